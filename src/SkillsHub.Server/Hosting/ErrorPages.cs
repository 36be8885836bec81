using Microsoft.AspNetCore.Diagnostics;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Bodies for empty error answers (unknown address, 401, 403, ...): a browser asking for a page gets
/// SkillsHub's own error page in the site's style; API clients keep RFC 7807 problem details
/// (docs/pages.md, "Errors").
/// </summary>
public static class ErrorPages
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        // The page or the problem, by the Accept header: a shared cache must not hand one to the other's client.
        http.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, Microsoft.Net.Http.Headers.HeaderNames.Accept);
        if (await WritePageAsync(http, status))
        {
            return;
        }
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // A body over the node's or the endpoint's limit, refused before a handler read it: the same answer as the
            // endpoints' own 413s (found by an outside tester: a bare "Content Too Large").
            await Platform.Problems.BodyTooLarge(http).ExecuteAsync(http);
            return;
        }
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = status } });
    }

    /// <summary>The error page for <paramref name="status"/> when the request is a browser's navigation; false (nothing written) otherwise.</summary>
    public static async Task<bool> WritePageAsync(HttpContext http, int status)
    {
        if (!Platform.HtmlPages.IsNavigation(http.Request) || PageText() is not { } page)
        {
            return false;
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(page.Replace("data-status=\"404\"", $"data-status=\"{status}\"", StringComparison.Ordinal));
        return true;
    }

    static string? PageText()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "web", "error.html");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
