namespace SkillsHub.Server.Security;

/// <summary>
/// Security headers on every response (docs/security.md): a Content-Security-Policy allowing only
/// the server's own scripts (no inline script anywhere; Scalar's assets are served locally), no
/// framing except the big-screen board by the origins in Security:FrameAncestors, nosniff, a strict
/// referrer policy, a Permissions-Policy, and HSTS when the deployment is HTTPS.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IConfiguration configuration)
{
    readonly string _policy = Csp("'none'");
    readonly string _boardPolicy = Csp(configuration.GetSection("Security:FrameAncestors").Get<string[]>() is { Length: > 0 } origins
        ? string.Join(' ', origins.Select(o => o.TrimEnd('/')))
        : "'none'");
    readonly bool _https = SecurityRegistration.UsesHttps(configuration);

    /// <summary>
    /// What is not a page (the API's JSON, the hub, the built scripts and style sheets) loads nothing and is framed by no
    /// one: the shortest policy that says so, as OWASP advises for APIs. The page's 280-byte policy on each of them was most
    /// of the headers a phone received (docs/pages.md, "Transfer"). Chosen by address, not by the answer's type: a 304 has
    /// none, and its headers replace the cached answer's, so a page revalidated would have lost its scripts. Not for a PDF
    /// (a browser's viewer shows it as a page), nor for the judge app's service worker (a script whose policy is the
    /// worker's own).
    /// </summary>
    const string NotAPage = "default-src 'none'; frame-ancestors 'none'";

    static readonly PathString[] NotPages = ["/api", "/hubs", "/assets", "/health", "/metrics", "/openapi"];

    static bool IsNotAPage(HttpRequest request) =>
        NotPages.Any(p => request.Path.StartsWithSegments(p)) && !request.Path.Value!.EndsWith("pdf", StringComparison.OrdinalIgnoreCase);

    // Styles: the pages and Scalar set style attributes; scripts are the ones that matter and stay 'self'.
    static string Csp(string frameAncestors) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        $"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frameAncestors}";

    public Task InvokeAsync(HttpContext context)
    {
        // Set as the answer starts, not as the request comes in: the exception handler clears the headers of an answer it
        // takes over (a body or query value that does not bind, a database outage), and those answers carry them too
        // (found by an outside tester: such a 400 had no CSP and no nosniff).
        context.Response.OnStarting(static state =>
        {
            var (self, http) = ((SecurityHeaders, HttpContext))state;
            self.Apply(http);
            return Task.CompletedTask;
        }, (this, context));
        return next(context);
    }

    void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = IsNotAPage(context.Request) ? NotAPage : context.Request.Path.StartsWithSegments("/board") ? _boardPolicy : _policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (_https)
        {
            headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        }
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized && string.IsNullOrEmpty(headers.WWWAuthenticate))
        {
            // A 401 names a challenge (RFC 9110, 15.5.2): every signed-in endpoint takes a bearer token (a tablet's or a
            // personal API token) beside the session cookie; a token that was sent and refused is invalid_token (RFC 6750, 3).
            var sentToken = BearerTokens.TokenOf(context.Request) is not null;
            headers.WWWAuthenticate = sentToken ? "Bearer realm=\"SkillsHub\", error=\"invalid_token\"" : "Bearer realm=\"SkillsHub\"";
        }
    }
}
