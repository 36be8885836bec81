namespace SkillsHub.Server.Platform;

/// <summary>
/// The front end's pages served on routed addresses (/board/..., /console/..., /judge/..., /agency, /verify/...):
/// UTF-8 HTML, revalidated on every load (<c>no-cache</c>) so a new build shows at once, as the static pages are
/// (docs/pages.md, "Transfer").
/// </summary>
public static class HtmlPages
{
    /// <summary>A page answers HEAD as well as GET (RFC 9110: monitors and link checkers ask with HEAD).</summary>
    public static readonly string[] Methods = ["GET", "HEAD"];

    static readonly string[] ApiPrefixes = ["/api", "/hubs", "/health", "/openapi"];

    /// <summary>A browser navigating to a page: GET or HEAD, HTML accepted, and not an API address.</summary>
    public static bool IsNavigation(HttpRequest request)
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
        // text/html;q=0 is "not HTML" (RFC 9110, 12.4.2), not a request for it (found by an outside tester).
        return accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0);
    }

    public static IResult Page(HttpContext http, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "web", name);
        if (!File.Exists(path))
        {
            return TypedResults.Problem(title: "Page not built", detail: $"{name} is missing: build the web project.", statusCode: StatusCodes.Status404NotFound);
        }
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(path, "text/html; charset=utf-8");
    }
}
