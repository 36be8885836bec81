using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using SkillsHub.Abstractions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

public sealed record LoginRequest(string? UserName, string? Password);

/// <summary>Who is signed in. For a cookie session, <c>AntiforgeryToken</c> is the value every state-changing request must send in the X-XSRF-TOKEN header (docs/security.md).</summary>
public sealed record Me(string Name, string DisplayName, IReadOnlyList<string> Roles, string? Agency, string? CompetitionCode, int? SkillNumber, string? ExpertId, string? AntiforgeryToken = null);

public sealed record ChangePasswordRequest(string? UserName, string? Password,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Domain.Text.SignInText.MaxPasswordLength)] string? NewPassword);

/// <summary>
/// An account an admin creates, with its first password. With <c>mustChangePassword</c> (default false) that password is
/// one-time: the first sign-in must replace it (docs/security.md). <c>displayName</c> is optional: left out or blank,
/// the account shows its user name.
/// </summary>
public sealed record CreateAccountRequest(string? UserName,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Domain.Text.SignInText.MaxPasswordLength)] string? Password, string[]? Roles, string? DisplayName = null, string? AgencyCode = null, bool MustChangePassword = false);

public sealed record PairingCodeRequest(string? ExpertId);

/// <summary>A pairing code and the link a tablet opens to redeem it (on PublicBaseUrl, for the console's QR code).</summary>
public sealed record PairingCodeView(string Code, string ExpertId, DateTimeOffset ExpiresAt, string PairUrl);

/// <summary>A pairing code to redeem; <c>deviceName</c> is optional ("tablet" when left out or blank).</summary>
/// <param name="For">"console" when the Chief Expert's console redeems the code: a code of any other expert is refused
/// (403) and stays redeemable on a judge's tablet. Left out: any expert's code pairs a tablet.</param>
public sealed record RedeemRequest(string? Code, string? DeviceName = null, string? For = null);

/// <summary>Codes whose state the issuer asks for (at most 50; in the body, never the address).</summary>
public sealed record CodeStatesRequest(string[]? Codes);

public sealed record RedeemResponse(string Token, Guid DeviceId, string CompetitionCode, int SkillNumber, string ExpertId, string ExpertName, string Role);

/// <summary>Why a tablet is revoked: one line of at most 200 characters, as the handler checks it.</summary>
public sealed record RevokeRequest([property: System.ComponentModel.DataAnnotations.MaxLength(Domain.Text.TextInput.MaxLength), Platform.OneLine] string? Reason);

/// <summary>Sign-in for accounts (cookie), tablet pairing (device token), account administration.</summary>
public static class AuthApi
{
    // Guessing passwords or pairing codes is slowed per client (Security/RateLimiting.cs).
    public const string SignInLimit = RateLimiting.SignIn;

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/login", Login).RequireAuthorization(Policies.Public).RequireRateLimiting(SignInLimit).WithSmallBody().WithMetadata(StartsAFreshSession.Instance)
            .Produces(StatusCodes.Status401Unauthorized).Produces(StatusCodes.Status403Forbidden).Produces(StatusCodes.Status409Conflict) // problems (OpenApiContract)
            .WithSummary("Signs an organiser, admin or agency officer in (sets the session cookie); the answer's antiforgeryToken goes in the X-XSRF-TOKEN header of every state-changing request (docs/security.md).");
        auth.MapPost("/password", ChangePassword).RequireAuthorization(Policies.Public).RequireRateLimiting(SignInLimit).WithSmallBody().WithMetadata(StartsAFreshSession.Instance)
            .WithSummary("Sets a new password after checking the current one (also the one-time password an admin reset); ends the account's other sessions and signs in.");
        auth.MapPost("/logout", Logout).RequireAuthorization(Policies.SignedIn)
            .WithSummary("Signs out on every node: a session's row in PostgreSQL is closed; a tablet's device token or a personal API token sent as the bearer is revoked.");
        auth.MapGet("/me", GetMe).RequireAuthorization(Policies.SignedIn)
            .WithSummary("Who is signed in (account or paired tablet); for a cookie session also the antiforgery token to send as X-XSRF-TOKEN.");

        endpoints.MapPost("/api/pairing/redeem", Redeem).WithTags("Sign-in").RequireAuthorization(Policies.Public).RequireRateLimiting(RateLimiting.Pairing).WithSmallBody()
            .WithSummary("A tablet exchanges a one-time pairing code for a device token bound to one expert.");

        var skill = endpoints.MapGroup("/api/competitions/{code}/skills/{number:skill}").WithTags("Sign-in").RequireAuthorization(Policies.SkillChief);
        skill.MapPost("/pairing-codes", IssueCode).WithSummary("Issues a one-time pairing code for an expert of this skill (an organiser; a Chief Expert's tablet for the Chief Expert only).");
        skill.MapPost("/pairing-codes/status", CodeStates).WithSmallBody()
            .WithSummary("Where pairing codes of this skill stand: waiting, used (with the tablet it paired) or void (expired, voided, unknown, or issued by someone else). The console follows the codes it shows.");
        skill.MapGet("/devices", ListDevices).WithSummary("The skill's paired tablets: expert, device name, when paired, and when and why revoked.");
        skill.MapPost("/devices/{deviceId:guid}/revoke", RevokeDevice).WithSummary("Revokes a paired tablet: its token stops working at once.");

        endpoints.MapAccountsApi();
        return endpoints;
    }

    /// <summary>
    /// Signs in with the session cookie. The answer carries the antiforgery token (antiforgeryToken)
    /// that scripts send back in the X-XSRF-TOKEN header on every state-changing request.
    /// </summary>
    static async Task<Results<Ok<Me>, ProblemHttpResult>> Login(LoginRequest request, AccountStore accounts, HttpContext http)
    {
        // Each missing field named itself (found by an outside tester: a missing password was refused naming userName).
        if (Missing(("userName", request.UserName, "Enter your user name."), ("password", request.Password, "Enter your password.")) is { Length: > 0 } missing)
        {
            return Problems.Validation(missing);
        }
        if (RequestForgery.NeedsHttps(http))
        {
            // Session cookies of an HTTPS deployment are Secure: a sign-in over plain HTTP could not keep one.
            return TypedResults.Problem(title: "HTTPS required", detail: "This server signs in over HTTPS only (Security:Https / an https PublicBaseUrl).",
                statusCode: StatusCodes.Status403Forbidden, extensions: new Dictionary<string, object?> { ["field"] = "scheme" });
        }
        // An account changed while its sign-in was being made (roles, state; Security/AccountStamp.cs) is verified once more
        // as it now is; changed again, the answer says so, not "wrong password" (found by an outside tester: a right password
        // was told it was wrong when an admin changed the account's roles at that moment).
        for (var attempt = 1; ; attempt++)
        {
            var check = await accounts.VerifyAsync(request.UserName!, request.Password!, CookieAuthenticationDefaults.AuthenticationScheme, http.RequestAborted);
            if (check.MustChangePassword)
            {
                return TypedResults.Problem(title: "Password change required",
                    detail: "This one-time password must be replaced: send it with a new password to /api/auth/password.",
                    statusCode: StatusCodes.Status403Forbidden, extensions: new Dictionary<string, object?> { ["field"] = "newPassword", ["passwordChangeRequired"] = true });
            }
            if (check.Principal is null)
            {
                return TypedResults.Problem(title: "Sign-in failed", detail: "The user name or password is wrong, or the account is disabled.", statusCode: StatusCodes.Status401Unauthorized);
            }
            if (await TrySignIn(http, check.Principal) is { } signedIn)
            {
                return signedIn;
            }
            if (attempt == 2)
            {
                return TypedResults.Problem(title: "Account changed while signing in",
                    detail: "The account changed while signing in (its password, roles or state): sign in again.", statusCode: StatusCodes.Status409Conflict);
            }
        }
    }

    /// <summary>
    /// The fields left out or blank, each named itself (a password is blank only when empty: spaces may be part of one).
    /// </summary>
    static (string Field, string Message)[] Missing(params (string Field, string? Value, string Message)[] fields) =>
        [.. fields.Where(f => f.Field == "password" ? string.IsNullOrEmpty(f.Value) : string.IsNullOrWhiteSpace(f.Value)).Select(f => (f.Field, f.Message))];

    /// <param name="stale">The answer when the account changed while signing in (Security/AccountStamp.cs): no session was stored.</param>
    static async Task<Results<Ok<Me>, ProblemHttpResult>> SignIn(HttpContext http, ClaimsPrincipal principal, ProblemHttpResult stale) =>
        await TrySignIn(http, principal) is { } signedIn ? signedIn : stale;

    /// <summary>The session stored and the answer, or null when the account changed meanwhile and no session was stored.</summary>
    static async Task<Results<Ok<Me>, ProblemHttpResult>?> TrySignIn(HttpContext http, ClaimsPrincipal principal)
    {
        try
        {
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        }
        catch (StaleSignInException)
        {
            return null;
        }
        // The antiforgery token is bound to the user it is issued for: issue it for the new session.
        http.User = principal;
        return TypedResults.Ok(ToMe(principal) with { AntiforgeryToken = RequestForgery.Issue(http) });
    }

    static async Task<Results<Ok<Me>, ProblemHttpResult>> ChangePassword(ChangePasswordRequest request, AccountStore accounts, HttpContext http)
    {
        var errors = Missing(("userName", request.UserName, "Enter your user name."), ("password", request.Password, "Enter your current password.")).ToList();
        if (Domain.Text.SignInText.PasswordFault(request.NewPassword, request.UserName, "new password") is { } passwordFault)
        {
            errors.Add(("newPassword", passwordFault));
        }
        else if (request.NewPassword == request.Password)
        {
            errors.Add(("newPassword", "The new password must differ from the current one."));
        }
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }
        var principal = await accounts.ChangePasswordAsync(request.UserName!, request.Password!, request.NewPassword!, CookieAuthenticationDefaults.AuthenticationScheme, http.RequestAborted);
        if (principal is null)
        {
            // Bad input naming the field, as a wrong pairing code is (Redeem), not a 401 a page reads as a session gone
            // (docs/security.md, "Sessions"; found by an outside tester: the contract declared no 401 here). One answer
            // for a wrong name, a wrong password and a disabled account, so it tells nothing of which names exist.
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(
                new Dictionary<string, string[]> { ["password"] = ["The user name or current password is wrong, or the account is disabled."] })
            {
                Title = "Password not changed",
                Detail = "The user name or current password is wrong, or the account is disabled.",
                Status = StatusCodes.Status400BadRequest,
            });
        }
        return await SignIn(http, principal, Problems.Conflict("Sign in again",
            "The password was changed, and the account changed again at once (an admin's reset, roles or state): sign in with the password it has now.", "password"));
    }

    /// <summary>
    /// Ends the credential the request came with, whichever it is (found by an outside tester: a tablet's or a token's sign-out
    /// answered 204 and ended nothing): a session's row is closed, a paired tablet is revoked, a personal API token is
    /// revoked; each is audited as its revocation by an admin or Chief Expert is.
    /// </summary>
    static async Task<NoContent> Logout(HttpContext http, ClaimsPrincipal user, DeviceStore devices, ApiTokenStore tokens, CancellationToken ct)
    {
        switch (user.Identity?.AuthenticationType)
        {
            case DeviceAuthenticationHandler.SchemeName when user.Competition() is { } competition && user.SkillNumber() is { } skill
                && Guid.TryParse(user.DeviceId(), out var device):
                await devices.RevokeAsync(competition, skill, device, user.Actor(), "Signed out on the tablet", ct);
                break;
            case ApiTokenAuthenticationHandler.SchemeName when BearerTokens.TokenOf(http.Request) is { } token:
                await tokens.RevokeOwnAsync(token, user.Identity!.Name ?? "", ct);
                break;
            default:
                // With the PostgreSQL session store, signing out closes the session row: the old cookie is refused everywhere.
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                RequestForgery.Forget(http);
                break;
        }
        return TypedResults.NoContent();
    }

    static Ok<Me> GetMe(ClaimsPrincipal user, HttpContext http) =>
        TypedResults.Ok(user.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme
            ? ToMe(user) with { AntiforgeryToken = RequestForgery.Issue(http) }
            : ToMe(user));

    static Me ToMe(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "",
        user.FindFirstValue("display_name") ?? user.Identity?.Name ?? "",
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToList(),
        user.FindFirstValue(SkillsHubClaims.Agency),
        user.Competition(),
        user.SkillNumber(),
        user.ExpertId());

    static async Task<Results<Ok<PairingCodeView>, ProblemHttpResult>> IssueCode(string code, int number, PairingCodeRequest request, DeviceStore devices, IGrainFactory grains, ClaimsPrincipal user,
        PublicAddress site, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.ExpertId))
        {
            return Problems.Validation(("expertId", "Name the expert the code is for."));
        }
        // An id in a body as a tablet's marks name theirs: trimmed, and one outside the rule is a 422 naming it, before any
        // grain (docs/scoring.md, "Limits and identifiers"; found by an outside tester: " E " and "a/b" were unknown experts).
        var expertId = request.ExpertId.Trim();
        if (!Domain.Marking.Identifiers.IsValid(expertId))
        {
            return Problems.Unprocessable("Input not accepted", [("expertId", Domain.Marking.Identifiers.Rule("expert"))]);
        }
        var expert = await grains.GetGrain<IEventGrain>(SkillKey.Format(code, number)).GetExpert(expertId);
        if (expert is null)
        {
            return Problems.NotFound("Unknown expert", $"Expert '{expertId}' is not registered in skill {number} of {code}.", "expertId");
        }
        // Whoever redeems a code marks as its expert, so a Chief Expert's tablet pairs a tablet for the Chief Expert alone:
        // with a code for a foreign expert, redeemed on a second tablet of their own, a Chief Expert marked their own
        // compatriot (found by an outside tester). Codes for the other experts come from an organiser (docs/security.md).
        if (user.ExpertId() is { } chief && !string.Equals(chief, expert.Id, StringComparison.Ordinal))
        {
            return TypedResults.Problem(title: "Only your own tablet", statusCode: StatusCodes.Status403Forbidden,
                detail: $"A Chief Expert pairs a tablet for themselves only; a pairing code for expert '{expert.Id}' is issued by an organiser, since whoever redeems it marks as that expert.",
                extensions: new Dictionary<string, object?> { ["field"] = "expertId" });
        }
        var issued = await devices.IssueCodeAsync(code.ToUpperInvariant(), number, expert.Id, DeviceStore.Issuer.Of(user), ct);
        return TypedResults.Ok(new PairingCodeView(issued.Code, issued.ExpertId, issued.ExpiresAt, site.Url($"/judge?code={Uri.EscapeDataString(issued.Code)}")));
    }

    /// <summary>How many pairing codes one status request may name, and how long one may be (the OpenAPI document states both).</summary>
    public const int MaxCodesAsked = 50, MaxCodeLength = 32;

    static async Task<Results<Ok<IReadOnlyList<DeviceStore.CodeState>>, ProblemHttpResult>> CodeStates(string code, int number, CodeStatesRequest request, DeviceStore devices, ClaimsPrincipal user, CancellationToken ct)
    {
        if (request.Codes is not { Length: > 0 and <= MaxCodesAsked } codes || codes.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > MaxCodeLength))
        {
            return Problems.Validation(("codes", $"Name 1 to {MaxCodesAsked} pairing codes, each as it was issued."));
        }
        // Only the caller's own codes: anyone else's answer "void", like an unknown code, so the status is no oracle for
        // guessing a code issued for another expert faster than redeeming allows (docs/security.md, "Tablets").
        return TypedResults.Ok(await devices.CodeStatesAsync(code.ToUpperInvariant(), number, codes.Distinct(StringComparer.Ordinal).ToList(), DeviceStore.Issuer.Of(user).Actor, ct));
    }

    static async Task<Results<Ok<RedeemResponse>, ProblemHttpResult>> Redeem(RedeemRequest request, DeviceStore devices, IGrainFactory grains, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            return Problems.Validation(("code", "Enter the pairing code the organiser gave you."));
        }
        if (request.For is not (null or "console"))
        {
            return Problems.Validation(("for", "for is \"console\" (the Chief Expert's console) or left out (a judge's tablet)."));
        }
        // The console is a Chief Expert's: another expert's code is declined before it is used, so it still pairs that
        // expert's tablet (found by an outside tester: an expert's code redeemed at /console was used up on a page that
        // then said it was not for them).
        Func<string, int, string, Task<bool>>? accept = request.For == "console"
            ? async (competition, skill, expertId) => (await grains.GetGrain<IEventGrain>(SkillKey.Format(competition, skill)).GetExpert(expertId))?.Role == ExpertRole.ChiefExpert
            : null;
        var (device, declined) = await devices.RedeemAsync(request.Code, string.IsNullOrWhiteSpace(request.DeviceName) ? "tablet" : request.DeviceName.Trim(), accept, ct);
        if (declined)
        {
            return TypedResults.Problem(title: "This code pairs a judge's tablet, not the console",
                detail: "The console is for Chief Experts. Open the judge app (/judge) with this code; it has not been used.",
                statusCode: StatusCodes.Status403Forbidden, extensions: new Dictionary<string, object?> { ["field"] = "code" });
        }
        static ProblemHttpResult NotAccepted() => TypedResults.Problem(title: "Pairing code not accepted", detail: "The code is wrong, expired or already used. Ask the organiser for a new one.",
            statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["field"] = "code" });
        if (device is null)
        {
            return NotAccepted();
        }
        var expert = await grains.GetGrain<IEventGrain>(SkillKey.Format(device.CompetitionCode, device.SkillNumber)).GetExpert(device.ExpertId);
        if (expert is null)
        {
            // Taken off the skill while the code was being issued (a removal voids the codes it finds open): no tablet for
            // them, and the one just made is revoked, audited (docs/scoring.md, "An expert who leaves").
            await devices.RevokeAnyAsync(device.DeviceId, "pairing", "the expert is not on the skill", CancellationToken.None);
            return NotAccepted();
        }
        return TypedResults.Ok(new RedeemResponse(device.Token, device.DeviceId, device.CompetitionCode, device.SkillNumber, device.ExpertId,
            expert.Name, expert.Role == ExpertRole.ChiefExpert ? Roles.ChiefExpert : Roles.Expert));
    }

    static async Task<Ok<IReadOnlyList<DeviceStore.DeviceView>>> ListDevices(string code, int number, DeviceStore devices, CancellationToken ct) =>
        TypedResults.Ok(await devices.ListAsync(code.ToUpperInvariant(), number, ct));

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeDevice(string code, int number, Guid deviceId, RevokeRequest request, DeviceStore devices, ClaimsPrincipal user, CancellationToken ct)
    {
        if (Domain.Text.TextInput.Normalise(request.Reason ?? "").Length == 0)
        {
            return Problems.Validation(("reason", "Say why the tablet is revoked."));
        }
        return await devices.RevokeAsync(code.ToUpperInvariant(), number, deviceId, user.Actor(), Domain.Text.TextInput.Normalise(request.Reason!), ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("Unknown device", $"No active device {deviceId} in skill {number} of {code}.", "deviceId");
    }
}
