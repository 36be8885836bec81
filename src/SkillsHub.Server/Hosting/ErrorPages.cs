using Microsoft.AspNetCore.Diagnostics;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Bodies for empty error answers (unknown address, 401, 403, ...): a browser asking for a page gets
/// SkillsHub's own error page in the site's style; API clients keep RFC 7807 problem details
/// (docs/pages.md, "Errors").
/// </summary>
public static class ErrorPages
{
    static readonly string[] ApiPrefixes = ["/api", "/hubs", "/health", "/openapi"];

    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (WantsPage(http.Request) && PageText() is { } page)
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            await http.Response.WriteAsync(page.Replace("data-status=\"404\"", $"data-status=\"{status}\"", StringComparison.Ordinal));
            return;
        }
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status };
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // A body over the node's or the endpoint's limit, refused before a handler read it: name the body and the
            // limit, as the endpoints' own 413s do (found by an outside tester: a bare "Content Too Large").
            var limit = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            problem.Title = "Request body too large"; // the title (and so the code) of every other 413 (Platform/Problems.cs)
            problem.Detail = limit is { } bytes
                ? $"The request body is larger than this endpoint's limit of {bytes / 1024} KB."
                : "The request body is larger than this endpoint accepts.";
            problem.Extensions["field"] = "body";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [problem.Detail] };
            if (limit is not null)
            {
                problem.Extensions["limitBytes"] = limit;
            }
        }
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary>A browser navigating to a page: GET or HEAD, HTML accepted, and not an API address.</summary>
    public static bool WantsPage(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        if (ApiPrefixes.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    static string? PageText()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "web", "error.html");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
