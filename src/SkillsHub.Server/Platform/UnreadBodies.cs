using Microsoft.AspNetCore.Http.Features;

namespace SkillsHub.Server.Platform;

/// <summary>
/// An answer written before its request's body was read (a 401, 403, 404 or 415 from the pipeline, before the endpoint) to a
/// request whose <c>Content-Length</c> is over the endpoint's body limit: the server cannot read past the limit to reach
/// the next request on the connection, so it closes the connection after the answer. The answer says so
/// (<c>Connection: close</c>), and the client opens a new connection for its next request (docs/security.md, "Bad input").
/// Found by an outside tester: a 70 KB marks batch answered 403, then the next request on the same connection was lost
/// ("Remote end closed connection without response").
/// </summary>
public static class UnreadBodies
{
    public static IApplicationBuilder UseConnectionCloseAfterOversizeBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // HTTP/2 and HTTP/3 end a request's stream, not the connection, and have no Connection header.
        if (context.Request.ContentLength is long length && !HttpMethods.IsGet(context.Request.Method)
            && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
        {
            context.Response.OnStarting(() =>
            {
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is long limit && length > limit)
                {
                    context.Response.Headers.Connection = "close";
                }
                return Task.CompletedTask;
            });
        }
        return next(context);
    });
}
