using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace SkillsHub.Server.Security;

public static class SecurityRegistration
{
    public const string SmartScheme = "SkillsHub";

    /// <summary>
    /// Accounts sign in with a cookie (pages and API); paired tablets send a bearer device token.
    /// A policy scheme picks the right one per request.
    /// </summary>
    public static WebApplicationBuilder AddSkillsHubSecurity(this WebApplicationBuilder builder)
    {
        // PBKDF2 (HMAC-SHA512); Security:PasswordHashIterations sets the work factor (docs/security.md). A stored hash
        // records its own count, so changing it never locks anyone out; after a raise, older hashes are redone at the
        // next sign-in.
        var iterations = PasswordHashIterations(builder.Configuration);
        builder.Services.Configure<PasswordHasherOptions>(o => o.IterationCount = iterations ?? o.IterationCount);
        // Over the password's compatibility form (NFKC), so another keyboard's é or a full-width ｐａｓｓ is the same password.
        builder.Services.AddSingleton<IPasswordHasher<AccountStore.Account>, PasswordFormHasher<AccountStore.Account>>();
        builder.Services.AddSingleton<KeyEncryption>();
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<DeviceStore>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SecurityAudit>();
        builder.Services.AddSingleton<ApiTokenStore>();
        builder.Services.AddSingleton<LiveConnections>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveConnections>());
        builder.Services.AddHostedService<AdminBootstrap>();
        var https = UsesHttps(builder.Configuration);
        var allowedOrigins = RequestForgeryOptions.Read(builder.Configuration);
        builder.Services.Configure<RequestForgeryOptions>(o =>
        {
            o.AllowedOrigins = allowedOrigins;
            o.Https = https;
        });
        // Under HTTPS the cookies are Secure and carry the __Host- prefix (no Domain, Path=/) (docs/security.md).
        var cookiePrefix = https ? "__Host-" : "";
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = RequestForgery.HeaderName;
            o.Cookie.Name = cookiePrefix + "skillshub.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            // Framing is governed by the CSP's frame-ancestors (SecurityHeaders), which lets the board be framed where configured.
            o.SuppressXFrameOptionsHeader = true;
        });

        builder.Services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, SmartScheme, o => o.ForwardDefaultSelector = context => SchemeOf(context.Request))
            .AddCookie(o =>
            {
                o.Cookie.Name = cookiePrefix + "skillshub";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.LoginPath = "/console/login";
                // APIs answer 401/403 rather than redirecting to a page.
                o.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, DeviceAuthenticationHandler>(DeviceAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        // Sessions live in PostgreSQL: the cookie carries only the session key (SessionStore).
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore>((o, store) => o.SessionStore = store);

        builder.Services.AddSingleton<IAuthorizationHandler, SkillScopeHandler>();
        builder.Services.AddSingleton<IAuthorizationHandler, SessionOnlyHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenWithReason>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Public, p => p.RequireAssertion(_ => true))
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Organiser, p => p.RequireRole(Roles.Admin, Roles.Organiser))
            .AddPolicy(Policies.SkillChief, p => p.RequireAuthenticatedUser().AddRequirements(new SkillScopeRequirement(ChiefOnly: true)))
            .AddPolicy(Policies.SkillExpert, p => p.RequireAuthenticatedUser().AddRequirements(new SkillScopeRequirement(ChiefOnly: false)))
            .AddPolicy(Policies.SkillReader, p => p.RequireAuthenticatedUser().AddRequirements(new SkillScopeRequirement(ChiefOnly: false, OrganisersToo: true)))
            .AddPolicy(Policies.Device, p => p.RequireAuthenticatedUser().RequireClaim(SkillsHubClaims.Device))
            .AddPolicy(Policies.Account, p => p.RequireRole(Roles.Admin, Roles.Organiser, Roles.AgencyOfficer))
            .AddPolicy(Policies.AccountSession, p => p.RequireRole(Roles.Admin, Roles.Organiser, Roles.AgencyOfficer).AddRequirements(new SessionOnlyRequirement()));
        return builder;
    }

    /// <summary>
    /// The scheme that authenticates a request: a personal API token, a tablet's device token, or else the session cookie.
    /// On /metrics the scrape token is not looked up as a tablet's, which reads the database: the metrics policy compares it
    /// with the setting itself, so a scrape answers during a database outage, when the figures matter most. Any other
    /// bearer token is looked up, so a tablet's there is a signed-in caller the policy refuses, 403, not an invalid token
    /// (found by an outside tester; docs/operations.md, "Metrics").
    /// </summary>
    public static string SchemeOf(HttpRequest request) =>
        BearerTokens.TokenOf(request) is { } token
            ? token.StartsWith(ApiTokenStore.Prefix, StringComparison.Ordinal) ? ApiTokenAuthenticationHandler.SchemeName
                : request.Path.StartsWithSegments("/metrics") && BearerTokens.IsScrapeToken(request) ? CookieAuthenticationDefaults.AuthenticationScheme
                : DeviceAuthenticationHandler.SchemeName
            : CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>
    /// Security:PasswordHashIterations when set: a whole number of at least 1,000, checked at start-up so a mistyped
    /// value stops the node with one line instead of failing every sign-in.
    /// </summary>
    static int? PasswordHashIterations(IConfiguration configuration)
    {
        const string Setting = "Security:PasswordHashIterations";
        return configuration[Setting] is null ? null : WholeNumberSetting.Read(configuration, Setting, 0, 1000);
    }

    /// <summary>
    /// HTTPS deployments get HSTS and __Host- Secure cookies: Security:Https when set, otherwise whether the
    /// PublicBaseUrl starts with https://.
    /// </summary>
    public static bool UsesHttps(IConfiguration configuration) =>
        configuration.GetValue<bool?>("Security:Https")
        ?? configuration["PublicBaseUrl"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ?? false;

    static Task StatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs") || context.Request.Path.StartsWithSegments("/jobs") || context.Request.Path.StartsWithSegments("/metrics"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        // A relative redirect: the handler's absolute one is built from the request's Host (docs/deployment.md).
        context.Response.Redirect(Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : context.RedirectUri);
        return Task.CompletedTask;
    }

    public static string? Competition(this ClaimsPrincipal user) => user.FindFirstValue(SkillsHubClaims.Competition);

    public static int? SkillNumber(this ClaimsPrincipal user) => int.TryParse(user.FindFirstValue(SkillsHubClaims.Skill), out var n) ? n : null;

    public static string? ExpertId(this ClaimsPrincipal user) => user.FindFirstValue(SkillsHubClaims.Expert);

    public static string? DeviceId(this ClaimsPrincipal user) => user.FindFirstValue(SkillsHubClaims.Device);

    public static string Actor(this ClaimsPrincipal user) => user.ExpertId() ?? user.Identity?.Name ?? "anonymous";

    public static bool IsJury(this ClaimsPrincipal user, string competition, int skill) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser) ||
        (user.IsInRole(Roles.ChiefExpert) && string.Equals(user.Competition(), competition, StringComparison.OrdinalIgnoreCase) && user.SkillNumber() == skill);
}

/// <summary>The route's competition and skill must be the device's own (or the caller an organiser/admin for chief-level access).</summary>
public sealed record SkillScopeRequirement(bool ChiefOnly, bool OrganisersToo = false) : IAuthorizationRequirement;

sealed class SkillScopeHandler : AuthorizationHandler<SkillScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SkillScopeRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }
        var user = context.User;
        var code = http.Request.RouteValues["code"]?.ToString();
        var number = int.TryParse(http.Request.RouteValues["number"]?.ToString(), out var n) ? n : (int?)null;
        if ((requirement.ChiefOnly || requirement.OrganisersToo) && (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser)))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        var sameSkill = code is not null && number is not null &&
            string.Equals(user.Competition(), code, StringComparison.OrdinalIgnoreCase) && user.SkillNumber() == number;
        var roleOk = requirement.ChiefOnly ? user.IsInRole(Roles.ChiefExpert) : user.IsInRole(Roles.Expert) || user.IsInRole(Roles.ChiefExpert);
        if (sameSkill && roleOk)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
