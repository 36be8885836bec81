using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SkillsHub.Server.Security;

/// <summary>The bearer tokens tablets (<see cref="DeviceStore"/>) and scripts (<see cref="ApiTokenStore"/>) send, and how they are stored.</summary>
public static class BearerTokens
{
    /// <summary>
    /// The bearer token, from the Authorization header or, for SignalR's WebSocket and SSE requests
    /// (browsers cannot set headers there), from the access_token query parameter on /hubs.
    /// </summary>
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        return request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } token ? token : null;
    }

    /// <summary>What is stored of a token or pairing code: its SHA-256, never the value (docs/security.md).</summary>
    public static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>
    /// Whether the request's bearer token is the monitoring scrape token, <c>Metrics:ScrapeToken</c> (docs/operations.md,
    /// "Metrics"): compared with the setting alone, in constant time, never looked up in the database. False when the
    /// setting is not set.
    /// </summary>
    public static bool IsScrapeToken(HttpRequest request) =>
        request.HttpContext.RequestServices.GetRequiredService<IConfiguration>()["Metrics:ScrapeToken"] is { Length: > 0 } scrape
        && TokenOf(request) is { } sent
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(scrape));
}

/// <summary>Authenticates "Authorization: Bearer &lt;device token&gt;" against the paired, unrevoked devices.</summary>
sealed class DeviceAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DeviceStore devices, Orleans.IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Device";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerTokens.TokenOf(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }
        // No cache: a revoked tablet must be refused on its very next request, on every node.
        var device = await devices.FindByTokenAsync(token, Context.RequestAborted);
        var expert = device is null ? null
            : await grains.GetGrain<Abstractions.IEventGrain>(Abstractions.SkillKey.Format(device.CompetitionCode, device.SkillNumber)).GetExpert(device.ExpertId);
        if (device is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked device.");
        }
        if (expert is null)
        {
            return AuthenticateResult.Fail("The device's expert is no longer registered.");
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, device.ExpertId),
            new(ClaimTypes.Name, expert.Name),
            new(ClaimTypes.Role, expert.Role == Abstractions.ExpertRole.ChiefExpert ? Roles.ChiefExpert : Roles.Expert),
            new(SkillsHubClaims.Competition, device.CompetitionCode),
            new(SkillsHubClaims.Skill, device.SkillNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(SkillsHubClaims.Expert, device.ExpertId),
            new(SkillsHubClaims.Device, device.DeviceId.ToString()),
        };
        if (expert.Role == Abstractions.ExpertRole.ChiefExpert)
        {
            // A Chief Expert is also an expert of the skill.
            claims.Add(new Claim(ClaimTypes.Role, Roles.Expert));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}

/// <summary>Authenticates "Authorization: Bearer shp_..." as the token's account, with the account's current roles.</summary>
sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenStore tokens, AccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    public const string TokenClaim = "skillshub:api-token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerTokens.TokenOf(Request) is not { } token || !token.StartsWith(ApiTokenStore.Prefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }
        var live = await tokens.AccountOfAsync(token, Context.RequestAborted);
        var principal = live is null ? null : await accounts.PrincipalAsync(live.Value.Account, SchemeName, Context.RequestAborted);
        if (principal is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API token.");
        }
        // The token's id: what it does (a pairing code it issues) ends with it.
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(TokenClaim, live!.Value.Token.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
