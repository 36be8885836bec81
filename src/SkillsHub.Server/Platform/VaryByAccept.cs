namespace SkillsHub.Server.Platform;

/// <summary>
/// An endpoint whose answer depends on the request's Accept (the results feed: NDJSON, SSE or 406) says so on every
/// answer, <c>Vary: Accept</c>, those given before it runs included (a malformed or unknown competition's 400 or 404),
/// so a cache never hands one client's answer to another (docs/feed.md; found by outside testers).
/// </summary>
public static class VaryByAccept
{
    sealed class Marker;

    public static RouteHandlerBuilder VariesByAccept(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new Marker());

    /// <summary>Early in the pipeline, after routing has chosen the endpoint and before anything answers for it.</summary>
    public static IApplicationBuilder UseVaryByAccept(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null)
        {
            context.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, Microsoft.Net.Http.Headers.HeaderNames.Accept);
        }
        return next(context);
    });
}
