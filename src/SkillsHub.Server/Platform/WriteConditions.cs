using Microsoft.Net.Http.Headers;

namespace SkillsHub.Server.Platform;

/// <summary>
/// Preconditions on a write (RFC 9110, section 13; docs/operations.md, "Conditions on a write"). A write's resource is
/// taken to exist and carries no entity tag: no write is conditional on one. So If-Match naming entity tags is false (no
/// tag can match) and If-None-Match "*" is false (the resource exists): 412, and nothing is done; If-Match "*" and
/// If-None-Match naming entity tags are true, and If-Unmodified-Since is ignored (no modification date). Found by an
/// outside tester: a PUT with If-Match "bogus" was performed. Evaluated once the caller is authorised and the competition
/// is known, so the refusals that need no condition come first, as RFC 9110 (13.2.1) orders them.
/// A read's If-Match is evaluated too: a read's entity tag is weak (or it has none), and If-Match compares strongly, so a
/// tag it names never matches: 412 (found by an outside tester: reads answered 200 to If-Match "bogus"). If-None-Match on
/// a read is the 304 of Hosting/TransferRegistration.cs.
/// </summary>
public static class WriteConditions
{
    public static IApplicationBuilder UseWriteConditions(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (HttpMethods.IsOptions(request.Method) || context.GetEndpoint() is null || !Applies(request.Path)
            || (read ? FalseIfMatch(request.Headers) : FalseCondition(request.Headers)) is not { } header)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status412PreconditionFailed;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "Precondition failed",
                Detail = read
                    ? "If-Match names an entity tag, and this read's is weak (or it has none), which If-Match's strong comparison never matches. Read without If-Match, or revalidate with If-None-Match."
                    : header == HeaderNames.IfMatch
                    ? "If-Match names an entity tag, and SkillsHub's writes carry none, so none can match: nothing was done. Send the write without If-Match."
                    : "If-None-Match is \"*\", and the resource this writes exists: nothing was done. Send the write without If-None-Match.",
                Extensions = { ["field"] = header },
            },
        });
    });

    /// <summary>
    /// The operations whose conditions are read: the API's, and the public documents beside it, the agencies' keys
    /// (/.well-known/jwks.json), the credentials' vocabulary (/ns/...) and the API document (/openapi/...); found by outside
    /// testers: each answered 200 to If-Match "bogus" while every other read answered 412. Pages and static files are not
    /// operations.
    /// </summary>
    public static bool Applies(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/.well-known/jwks.json") || path.StartsWithSegments("/ns")
        || path.StartsWithSegments("/openapi");

    /// <summary>If-Match when it is false: any value but "*" alone, a malformed one too (a request its client made conditional is never answered unchecked).</summary>
    static string? FalseIfMatch(IHeaderDictionary headers) => headers.IfMatch.Count > 0 && headers.IfMatch.ToString().Trim() != "*" ? HeaderNames.IfMatch : null;

    /// <summary>The header whose condition is false, or null.</summary>
    static string? FalseCondition(IHeaderDictionary headers)
    {
        if (FalseIfMatch(headers) is { } ifMatch)
        {
            return ifMatch;
        }
        return EntityTagHeaderValue.TryParseList(headers.IfNoneMatch, out var tags) && tags.Any(t => t.Equals(EntityTagHeaderValue.Any))
            ? HeaderNames.IfNoneMatch
            : null;
    }
}
