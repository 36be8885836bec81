namespace SkillsHub.Server.Platform;

/// <summary>
/// Every problem answer carries a stable machine <c>code</c> extension the pages translate (docs/pages.md,
/// "Languages"): the one an endpoint sets (mark refusals: <c>marks.locked</c>, ...), otherwise the
/// title's slug ("Unknown skill" -> <c>unknown-skill</c>). The English title and detail stay for API clients.
/// </summary>
public static class ProblemCodes
{
    /// <summary>A job failed unexpectedly (Hangfire retries it); the English message says what happened (docs/certification.md, "Jobs and their progress").</summary>
    public const string JobFailed = "job.failed";

    /// <summary>An import found problems in its file and stored nothing; the per-line report says which.</summary>
    public const string FileRejected = "job.file-rejected";

    /// <summary>The database could not be reached (also the code of the 503 answer, Hosting/DatabaseUnavailableHandler.cs).</summary>
    public const string DatabaseUnavailable = "database-unavailable";

    /// <summary>No CJK font to draw a certificate PDF with (also the code of the 503 answer).</summary>
    public const string PdfRenderingUnavailable = "pdf-rendering-unavailable";

    /// <summary>An agency's signing key cannot be unsealed (also the code of the 503 answer).</summary>
    public const string SigningKeyUnavailable = "signing-key-unavailable";

    public static WebApplicationBuilder AddProblemCodes(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ProblemDetailsOptions>(o => o.CustomizeProblemDetails = Apply);
        ProblemsForEveryClient.Decorate(builder.Services);
        return builder;
    }

    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // An extension without a value is left out, as ASP.NET leaves out a null detail or instance: the contract types
        // each extension without null (docs/operations.md, "API contract"; found by an outside tester: a refused mark's
        // "scores": null, and "aspectId": null for an unknown competitor, which generated clients failed to read).
        foreach (var empty in problem.Extensions.Where(e => e.Value is null).Select(e => e.Key).ToList())
        {
            problem.Extensions.Remove(empty);
        }
        // A 415, ASP.NET's (a body it binds, sent as text or a form) or Platform/Body.cs's, names the Content-Type.
        if ((problem.Status ?? context.HttpContext.Response.StatusCode) == StatusCodes.Status415UnsupportedMediaType && !problem.Extensions.ContainsKey("field"))
        {
            problem.Extensions["field"] = "Content-Type";
            problem.Detail ??= $"The body must be JSON (Content-Type: application/json), not '{context.HttpContext.Request.ContentType ?? "none"}'.";
        }
        // A 408, however it was made (the framework's binding writes its own, an endpoint reading its body throws): the body
        // stopped arriving, which is not a body of the wrong shape (found by an outside tester: "Bad request", blaming it).
        if ((problem.Status ?? context.HttpContext.Response.StatusCode) == StatusCodes.Status408RequestTimeout && !problem.Extensions.ContainsKey("field"))
        {
            problem.Extensions["field"] = "body";
            problem.Detail ??= "The request's body stopped arriving before it was complete, so nothing was applied. Send it again (a mark with the same Idempotency-Key).";
        }
        // A problem that names one field names it at the top too, however it was made (docs/pages.md, "Errors").
        if (!problem.Extensions.ContainsKey("field") && problem is HttpValidationProblemDetails { Errors.Count: 1 } validation)
        {
            problem.Extensions["field"] = validation.Errors.Keys.Single();
        }
        if (!problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = Slug(problem.Title) ?? $"http-{problem.Status ?? context.HttpContext.Response.StatusCode}";
        }
        // ASP.NET names no type for 429; each status has one (docs/security.md), and a 429 says when to come back in its
        // body too, whichever limit gave it (found by an outside tester: the per-certificate and per-holder limits did not).
        if ((problem.Status ?? context.HttpContext.Response.StatusCode) == StatusCodes.Status429TooManyRequests)
        {
            problem.Type ??= TooManyRequestsType;
            if (!problem.Extensions.ContainsKey("retryAfter") && int.TryParse(context.HttpContext.Response.Headers.RetryAfter, out var seconds))
            {
                problem.Extensions["retryAfter"] = seconds;
            }
        }
    }

    /// <summary>The problem type of every 429 (RFC 6585, section 4). A type, not a code: ProblemCodes' constants are codes.</summary>
    public static readonly string TooManyRequestsType = "https://tools.ietf.org/html/rfc6585#section-4";

    /// <summary>A refused mark's code: "KeyReused" -> "marks.key-reused".</summary>
    public static string Refusal(string kind) =>
        "marks." + string.Concat(kind.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Lower-case ASCII words joined by '-': "Outside the agency's scope" -> "outside-the-agencys-scope".</summary>
    public static string? Slug(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }
        var slug = new StringBuilder(title.Length);
        foreach (var c in title.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if ((c is ' ' or '-' or '_' or '/' or '.') && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        return slug.ToString().TrimEnd('-') is { Length: > 0 } s ? s : null;
    }
}
