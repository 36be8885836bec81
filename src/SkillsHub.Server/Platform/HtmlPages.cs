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
