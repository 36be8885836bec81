using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace SkillsHub.Server.Security;

public sealed class RequestForgeryOptions
{
    /// <summary>Origins besides the server's own that may send state-changing requests (Security:AllowedOrigins).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public bool Https { get; set; }

    /// <summary>
    /// <c>Security:AllowedOrigins</c>, an array or one comma-separated value, each an origin as a browser sends it in its
    /// Origin header: http or https, a host, a port unless it is the scheme's own, no path (a trailing '/' is taken). Checked
    /// before the node's database is touched (at the start, docs/deployment.md "Start checks"): a value that is no origin
    /// could never match one, and was taken without a word (found by an outside tester: <c>notaurl</c>). Kept in the form
    /// browsers send (<c>https://a.example:443/</c> is <c>https://a.example</c>).
    /// </summary>
    public static string[] Read(IConfiguration configuration) =>
        ListSetting.Values(configuration, "Security:AllowedOrigins").Select(value => Origin(value) ?? throw new StartupException(
            $"Security:AllowedOrigins must be origins such as https://results.example.org (http or https, a host, a port if not the scheme's own, no path), separated by ',' (not '{value}').")).ToArray();

    static string? Origin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 && uri.UserInfo.Length == 0
            && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
            ? PublicAddress.Origin(uri)
            : null;
}

/// <summary>
/// Cross-site request forgery defence (docs/security.md). A state-changing request without a bearer
/// token is refused when its Origin is not the server's own (or listed), or when the browser says it
/// comes from another site (Sec-Fetch-Site) -- this also covers a page on another port of the same
/// host, which SameSite cookies do not. A state-changing request authenticated by the session cookie
/// must also carry the ASP.NET Core antiforgery token in the X-XSRF-TOKEN header. Bearer-token
/// requests (tablets, personal API tokens) carry no ambient credential and are exempt. The Hangfire
/// dashboard under /jobs validates the same antiforgery token itself; the SignalR hub's requests are
/// read-only but their Origin is checked, so no other site can open a jury member's live connection.
/// </summary>
public sealed class RequestForgery(RequestDelegate next, IAntiforgery antiforgery, IOptions<RequestForgeryOptions> options)
{
    public const string HeaderName = "X-XSRF-TOKEN";

    /// <summary>The readable cookie the pages copy into the X-XSRF-TOKEN header (the antiforgery cookie itself is HttpOnly).</summary>
    public const string PageCookie = "skillshub.xsrf";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));
        var token = BearerTokens.TokenOf(request) is not null;
        var authenticated = context.User.Identity?.IsAuthenticated == true;
        // A bearer token exempts a request only when the server took it: a made-up one (?access_token=x on a hub) is no
        // credential, and its request is checked as any other (found by an outside tester: it let another origin's page
        // negotiate with the hub).
        var bearer = token && authenticated;
        var cookieUser = !token && authenticated;
        var hub = request.Path.StartsWithSegments("/hubs");
        if (cookieUser && NeedsHttps(context))
        {
            // An HTTPS deployment's session cookie reached the node over plain HTTP (a proxy that did not say https, or a
            // script calling the node directly): the antiforgery cookie is Secure-only and could be neither checked nor
            // issued, which ended in a 500 and a sign-out that did nothing (found by an outside tester). The answer sign-in
            // gives over HTTP, for every request of the session (docs/security.md, "Headers").
            await Refuse(context, "HTTPS required", "This server serves signed-in requests over HTTPS only (Security:Https / an https PublicBaseUrl).", "scheme");
            return;
        }
        if (!bearer && (changes || (hub && cookieUser)))
        {
            if (request.Headers.Origin.ToString() is { Length: > 0 } origin && !Allowed(origin, request))
            {
                await Refuse(context, "Cross-origin request refused", $"Requests from {origin} may not change anything here.", "Origin");
                return;
            }
            if (cookieUser && request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
            {
                await Refuse(context, "Cross-site request refused", "A page of another site may not act with this session.", "Sec-Fetch-Site");
                return;
            }
        }
        if (changes && cookieUser && !hub && !request.Path.StartsWithSegments("/jobs") && !await antiforgery.IsRequestValidAsync(context))
        {
            await Refuse(context, "Antiforgery token missing or invalid",
                $"Send the token from the sign-in answer (antiforgeryToken) in the {HeaderName} header.", HeaderName);
            return;
        }
        await next(context);
    }

    /// <summary>
    /// The server's own origin is PublicBaseUrl's (Platform/PublicAddress.cs), never one built from the request's Host,
    /// which a client sets together with Origin. A loopback address stands for every loopback name on the same port
    /// (a demo at http://localhost:5000 opened as http://127.0.0.1:5000): no page of another machine has such an origin.
    /// </summary>
    bool Allowed(string origin, HttpRequest request) =>
        SameOrigin(origin, request.HttpContext.RequestServices.GetRequiredService<PublicAddress>().BaseUrl) ||
        options.Value.AllowedOrigins.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase));

    public static bool SameOrigin(string origin, string publicBaseUrl)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var given) || given.AbsolutePath != "/" || !Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var own))
        {
            return false;
        }
        if (string.Equals(PublicAddress.Origin(given), PublicAddress.Origin(own), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return given.IsLoopback && own.IsLoopback && given.Scheme == own.Scheme && given.Port == own.Port;
    }

    static Task Refuse(HttpContext context, string title, string detail, string field)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Results.Problem(title: title, detail: detail, statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["field"] = field }).ExecuteAsync(context);
    }

    /// <summary>
    /// Issues the antiforgery token for the signed-in user of this request: stores the HttpOnly
    /// cookie token, sets the readable page cookie and returns the request token.
    /// </summary>
    public static string Issue(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var https = context.RequestServices.GetRequiredService<IOptions<RequestForgeryOptions>>().Value.Https;
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Cookies.Append((https ? "__Host-" : "") + PageCookie, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false, SameSite = SameSiteMode.Strict, Secure = https || context.Request.IsHttps, Path = "/",
        });
        return tokens.RequestToken!;
    }

    /// <summary>True when the deployment is HTTPS-only and this request came over plain HTTP (no trusted proxy said https).</summary>
    public static bool NeedsHttps(HttpContext context) =>
        !context.Request.IsHttps && context.RequestServices.GetRequiredService<IOptions<RequestForgeryOptions>>().Value.Https;

    public static void Forget(HttpContext context)
    {
        var https = context.RequestServices.GetRequiredService<IOptions<RequestForgeryOptions>>().Value.Https;
        context.Response.Cookies.Delete((https ? "__Host-" : "") + PageCookie, new CookieOptions { Path = "/", Secure = https || context.Request.IsHttps });
    }
}
