using Microsoft.AspNetCore.Http.Features;

namespace SkillsHub.Server.Platform;

/// <summary>
/// An answer written before its request's body was read (a 401, 403, 404 or 415 from the pipeline, before the endpoint) to a
/// request whose body is over the endpoint's limit: the server cannot read past the limit to reach the next request on the
/// connection, so it closes the connection after the answer. The answer says so (<c>Connection: close</c>), and the client
/// opens a new connection for its next request (docs/security.md, "Bad input"). A body sent in chunks has no length to
/// compare: any refusal of one closes its connection. Found by an outside tester: a 70 KB marks batch answered 403, then
/// the next request on the same connection was lost ("Remote end closed connection without response").
/// </summary>
public static class UnreadBodies
{
    public static IApplicationBuilder UseConnectionCloseAfterOversizeBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        // HTTP/2 and HTTP/3 end a request's stream, not the connection, and have no Connection header.
        var http1 = HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol);
        var chunked = request.ContentLength is null && request.Headers.TransferEncoding.Count > 0;
        if (http1 && (request.ContentLength > 0 || chunked))
        {
            context.Response.OnStarting(() =>
            {
                var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
                if (chunked ? context.Response.StatusCode >= StatusCodes.Status400BadRequest : request.ContentLength > limit)
                {
                    context.Response.Headers.Connection = "close";
                }
                return Task.CompletedTask;
            });
        }
        return next(context);
    });
}
