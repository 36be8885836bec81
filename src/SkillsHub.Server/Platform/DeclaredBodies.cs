using Microsoft.Net.Http.Headers;

namespace SkillsHub.Server.Platform;

/// <summary>
/// An endpoint that reads its body itself (an upload or import: <see cref="RequestBodies.AcceptsFile"/>,
/// <see cref="RequestBodies.AcceptsCsv"/>, a bare-JWT alternative) takes only the media types its OpenAPI declares
/// (docs/security.md, "Bad input"): any other Content-Type is a 415 naming Content-Type at once, as a JSON body's is
/// (Platform/Body.cs). Before, a PDF sent as the candidates file was accepted (202) and its job failed.
/// </summary>
public static class DeclaredBodies
{
    public static IApplicationBuilder UseDeclaredBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Refusal(context) is { } refused)
        {
            await refused.ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    static ProblemHttpResult? Refusal(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        var alternatives = metadata?.GetOrderedMetadata<RequestBodies.RequestBodyAlternative>() ?? [];
        if (alternatives.Count == 0)
        {
            return null;
        }
        var json = metadata!.GetMetadata<RequestBodies.JsonBody>() is not null;
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var sent) || sent.MediaType.Value is not { } type)
        {
            // No Content-Type with no body: the handler decides (an empty body is its own 400 naming the field). With a
            // body, the server would have to guess what it is (a CSV was read as malformed JSON): 415.
            var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
            return hasBody ? Refused(alternatives, json, "no Content-Type") : null;
        }
        if (json && context.Request.HasJsonContentType() || alternatives.Any(a => a.ContentType.Equals(type, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        return Refused(alternatives, json, $"'{type}'");
    }

    static ProblemHttpResult Refused(IEnumerable<RequestBodies.RequestBodyAlternative> alternatives, bool json, string sent)
    {
        var declared = alternatives.Select(a => a.ContentType).Concat(json ? ["application/json"] : []).Distinct();
        return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
            detail: $"This endpoint takes {string.Join(", ", declared)} (see the API reference), not {sent}.");
    }
}
