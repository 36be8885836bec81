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
        if (EncodingRefusal(context.Request) is { } encoding)
        {
            return encoding;
        }
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata is null)
        {
            return null;
        }
        var alternatives = metadata.GetOrderedMetadata<RequestBodies.RequestBodyAlternative>();
        var json = metadata.GetMetadata<RequestBodies.JsonBody>() is not null;
        // A write sent without the JSON body it requires is one answer on every endpoint (docs/operations.md, "A write
        // without its body"): 400 naming body, unless it names a Content-Type the endpoint does not take, which is 415 naming
        // Content-Type, as ASP.NET's routing answers for the bodies it binds. Found by an outside tester: the bodies the server
        // reads itself answered 415 to no Content-Type, those ASP.NET binds 400 (it reads no Content-Type without a body).
        if (!HasBody(context) && (json || metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()
            .Any(a => !a.IsOptional && a.ContentTypes.Any(t => t.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)))))
        {
            var named = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var given) ? given.MediaType.Value : null;
            if (named is not null && !context.Request.HasJsonContentType() && !alternatives.Any(a => a.ContentType.Equals(named, StringComparison.OrdinalIgnoreCase)))
            {
                return Refused(alternatives, json: true, $"'{named}'");
            }
            return Problems.MissingBody([.. new[] { "application/json" }.Concat(alternatives.Select(a => a.ContentType)).Distinct()]);
        }
        if (alternatives.Count == 0)
        {
            return null;
        }
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var sent) || sent.MediaType.Value is not { } type)
        {
            // No Content-Type with no body: the handler decides (an upload without its file is its own 400 naming the field).
            // With a body, the server would have to guess what it is (a CSV was read as malformed JSON): 415.
            return HasBody(context) ? Refused(alternatives, json, "no Content-Type") : null;
        }
        if (json && context.Request.HasJsonContentType() || alternatives.Any(a => a.ContentType.Equals(type, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        return Refused(alternatives, json, $"'{type}'");
    }

    /// <summary>Whether the request has a body, as ASP.NET's binding decides it (Content-Length above 0, or a chunked body).</summary>
    static bool HasBody(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody
            ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0);

    /// <summary>
    /// Every body is UTF-8 and sent as it is (docs/security.md, "Bad input"). A <c>charset</c> parameter naming UTF-8 (or
    /// US-ASCII, which is UTF-8 too), in any case and quoted or not (RFC 9110 allows both), is written as <c>utf-8</c> for
    /// the readers after this; any other
    /// charset, or none given (<c>charset=</c>), is 415 naming Content-Type; a <c>Content-Encoding</c> other than identity is
    /// 415 naming Content-Encoding (RFC 9110, 15.5.16). Found by an outside tester: a quoted, unknown or empty charset was a
    /// 500 on every body ASP.NET reads, and a gzip body was "not valid JSON", a body labelled br accepted.
    /// </summary>
    static readonly HashSet<string> Utf8Names = new(["utf-8", "utf8", "us-ascii", "ascii"], StringComparer.OrdinalIgnoreCase);

    static ProblemHttpResult? EncodingRefusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }
        foreach (var coding in request.Headers.ContentEncoding.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0))
        {
            if (!coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                    detail: $"The body is read as sent: no Content-Encoding ('{coding}' given).",
                    extensions: new Dictionary<string, object?> { ["field"] = "Content-Encoding" });
            }
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Parameters.FirstOrDefault(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)) is not { } charset)
        {
            return null;
        }
        var name = HeaderUtilities.RemoveQuotes(charset.Value).ToString().Trim();
        if (!Utf8Names.Contains(name))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Bodies are UTF-8 (charset=utf-8, us-ascii or none), not charset '{name}'.");
        }
        charset.Value = "utf-8";
        request.ContentType = type.ToString();
        return null;
    }

    static ProblemHttpResult Refused(IEnumerable<RequestBodies.RequestBodyAlternative> alternatives, bool json, string sent)
    {
        var declared = alternatives.Select(a => a.ContentType).Concat(json ? ["application/json"] : []).Distinct();
        return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
            detail: $"This endpoint takes {string.Join(", ", declared)} (see the API reference), not {sent}.");
    }
}
