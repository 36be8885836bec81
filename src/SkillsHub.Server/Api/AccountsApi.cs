using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

public sealed record SetRolesRequest(string[]? Roles, string? AgencyCode = null);

/// <summary>Why an account is disabled, for the audit; optional (blank is not given).</summary>
/// <summary>Why an account is disabled: one line of at most 200 characters, as the handler checks it.</summary>
public sealed record DisableRequest([property: System.ComponentModel.DataAnnotations.MaxLength(Domain.Text.TextInput.MaxLength), Platform.OneLine] string? Reason = null);

public sealed record OneTimePassword(string UserName, string Password);

/// <summary>A token's name is at most 100 characters (the text rule checks it: Platform/TextInputFilter.cs).</summary>
/// <remarks>
/// <c>expiresAt</c>, if given, ends the token: after now and at most <see cref="ApiTokenStore.LongestLife"/> ahead. A
/// property the form does not have (<c>scopes</c>, say) is refused, not ignored: a client asking for less than the
/// account's roles must not get a token with all of them (found by an outside tester).
/// </remarks>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateTokenRequest([property: System.ComponentModel.DataAnnotations.MaxLength(100)] string? Name, DateTimeOffset? ExpiresAt = null);

/// <summary>
/// Account administration for admins (accounts, sessions, paired tablets, the security audit) and
/// each account's own personal API tokens (docs/security.md). Every change is audited.
/// </summary>
public static class AccountsApi
{
    /// <summary>The most security-audit entries one page holds (<c>?limit=</c>, 200 when left out).</summary>
    public const int SecurityAuditMaxPage = 1000;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        accounts.MapGet("/", (AccountStore store, CancellationToken ct) => store.ListAsync(ct))
            .WithSummary("Accounts with their roles, state, active sessions and last activity.");
        accounts.MapGet("/{id:guid}", async Task<Results<Ok<AccountStore.AccountView>, ProblemHttpResult>> (Guid id, AccountStore store, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } account ? TypedResults.Ok(account) : UnknownAccount(id))
            .WithSummary("One account, as listed: where creating one points (Location).");
        accounts.MapPost("/", CreateAccount)
            .WithSummary("Creates an account with its roles (and agency for officers) and the first password, chosen by the admin; one-time (to be changed at the first sign-in) when mustChangePassword is true.");
        accounts.MapPut("/{id:guid}/roles", SetRoles).WithSummary("Replaces the account's roles; its sessions end.");
        accounts.MapPost("/{id:guid}/disable", (Guid id, DisableRequest? request, AccountStore store, ClaimsPrincipal user, CancellationToken ct) =>
            SetDisabled(id, true, request?.Reason, store, user, ct)).WithSummary("Disables the account: its sessions and API tokens stop at once.");
        accounts.MapPost("/{id:guid}/enable", (Guid id, AccountStore store, ClaimsPrincipal user, CancellationToken ct) =>
            SetDisabled(id, false, null, store, user, ct)).WithSummary("Enables a disabled account again.");
        accounts.MapPost("/{id:guid}/reset-password", ResetPassword)
            .WithSummary("Sets a one-time password (shown once in the answer, to be changed at the next sign-in); the account's sessions end.");

        var sessions = endpoints.MapGroup("/api/sessions").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        sessions.MapGet("/", (SessionStore store, Guid? accountId, CancellationToken ct) => store.ListActiveAsync(accountId, ct))
            .WithSummary("Active sign-in sessions (optionally of one account).");
        sessions.MapPost("/{id:guid}/end", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, SessionStore store, ClaimsPrincipal user, CancellationToken ct) =>
            await store.EndAsync(id, user.Actor(), ct) ? TypedResults.NoContent() : Problems.NotFound("Unknown session", $"No active session {id}.", "id"))
            .WithSummary("Ends a session on every node.");

        var devices = endpoints.MapGroup("/api/devices").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        devices.MapGet("/", (DeviceStore store, CancellationToken ct) => store.ListActiveAsync(ct)).WithSummary("Every paired, unrevoked tablet.");
        devices.MapPost("/{id:guid}/revoke", RevokeDevice).WithSummary("Revokes any paired tablet.");

        // Paged back from the newest, as a skill's audit trail is: every entry stays readable however many come after it
        // (found by an outside tester: the 200 newest were all there was).
        // At most 1000, not the 500 of other pages: the console's account page reads again as many entries as it shows, up to
        // 1000, so the older ones loaded stay when it is drawn again (docs/security.md, "Bad input"; console/admin.ts).
        endpoints.MapGet("/api/security-audit", async Task<Results<Ok<IReadOnlyList<SecurityAudit.Entry>>, ProblemHttpResult>> (SecurityAudit audit, CancellationToken ct, int limit = 200, long? before = null) =>
                Paging.Faults(null, limit, SecurityAuditMaxPage, before).ToArray() is { Length: > 0 } faults ? Problems.Validation(faults) : TypedResults.Ok(await audit.LatestAsync(limit, ct, before)))
            .WithTags("Accounts").RequireAuthorization(Policies.Admin).WithPageLimit(SecurityAuditMaxPage)
            .WithSummary("Account-administration events, newest first: 200 (?limit=, up to 1000), then the page before ?before= (the last id of the previous page).");

        var tokens = endpoints.MapGroup("/api/me/tokens").WithTags("Accounts").RequireAuthorization(Policies.Account);
        tokens.MapGet("/", (ApiTokenStore store, ClaimsPrincipal user, CancellationToken ct) => store.ListAsync(AccountId(user), ct))
            .WithSummary("Your personal API tokens with their last use.");
        tokens.MapGet("/{id:guid}", async Task<Results<Ok<ApiTokenStore.TokenView>, ProblemHttpResult>> (Guid id, ApiTokenStore store, ClaimsPrincipal user, CancellationToken ct) =>
            (await store.ListAsync(AccountId(user), ct)).FirstOrDefault(t => t.Id == id) is { } token ? TypedResults.Ok(token) : Problems.NotFound("Unknown token", $"No token {id} of yours.", "id"))
            .WithSummary("One of your personal API tokens with its last use (never the token itself): where creating one points (Location).");
        // A token cannot breed tokens: creating one takes a signed-in session (Security/SessionOnly.cs).
        tokens.MapPost("/", CreateToken).RequireAuthorization(Policies.AccountSession).WithSummary("Creates a personal API token (bearer) acting with your roles; the token is shown once. Location: the token's own address.");
        tokens.MapPost("/{id:guid}/revoke", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, ApiTokenStore store, ClaimsPrincipal user, CancellationToken ct) =>
            await store.RevokeAsync(AccountId(user), user.Identity!.Name!, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Unknown token", $"No active token {id} of yours.", "id"))
            .WithSummary("Revokes one of your API tokens: it stops working at once.");
        return endpoints;
    }

    static Guid AccountId(ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);

    static async Task<Results<Created<ApiTokenStore.CreatedToken>, ProblemHttpResult>> CreateToken(CreateTokenRequest request, ApiTokenStore store, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return Problems.Validation(("name", "Name the token (1 to 100 characters), e.g. the script that uses it."));
        }
        if (Domain.Text.TextInput.Check(name) is { } fault)
        {
            return Problems.Validation(("name", fault));
        }
        var now = clock.GetUtcNow();
        if (request.ExpiresAt is { } end && (end <= now || end > now + ApiTokenStore.LongestLife))
        {
            return Problems.Unprocessable("Input not accepted", [("expiresAt", $"A token ends after now and at most {ApiTokenStore.LongestLife.TotalDays:0} days ahead; leave expiresAt out for a token that lasts until revoked.")]);
        }
        var session = Guid.TryParseExact(user.FindFirstValue(SessionStore.SessionIdClaim), "N", out var key) ? key : (Guid?)null;
        var creation = await store.CreateAsync(AccountId(user), user.Identity!.Name!, Domain.Text.TextInput.Normalise(name), request.ExpiresAt, user.FindFirstValue(AccountStamp.Claim), session, ct);
        if (creation.Stale)
        {
            return TypedResults.Problem(title: "Not signed in", detail: "Your session ended, or your account changed, while the token was being made: sign in again.", statusCode: StatusCodes.Status401Unauthorized);
        }
        if (creation.Created is not { } created)
        {
            return Problems.Conflict("Too many tokens", $"You hold {ApiTokenStore.MaxLive} API tokens that are not revoked: revoke one you no longer use first.", "name");
        }
        return TypedResults.Created($"/api/me/tokens/{created.Id}", created);
    }

    static async Task<Results<Created<AccountStore.AccountView>, ProblemHttpResult>> CreateAccount(CreateAccountRequest request, AccountStore accounts, Certification.AgencyStore agencies, ClaimsPrincipal user, CancellationToken ct)
    {
        request = request with { Roles = Roles.Canonical(request.Roles) };
        var errors = new List<(string, string)>();
        if ((Domain.Text.TextInput.Check(request.UserName) ?? Domain.Text.SignInText.UserNameFault(request.UserName)) is { } fault)
        {
            errors.Add(("userName", fault));
        }
        if (request.DisplayName is not null && Domain.Text.TextInput.Check(request.DisplayName) is { } displayFault)
        {
            errors.Add(("displayName", displayFault));
        }
        if (Domain.Text.SignInText.PasswordFault(request.Password, request.UserName) is { } passwordFault)
        {
            errors.Add(("password", passwordFault));
        }
        errors.AddRange(CheckRoles(request.Roles, request.AgencyCode));
        if (errors.Count == 0 && await AgencyProblemAsync(request.Roles!, request.AgencyCode, agencies, ct) is { } agencyProblem)
        {
            errors.Add(agencyProblem);
        }
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }
        // Optional: blank is left out, and the account shows its user name (found by an outside tester: "" was stored).
        var displayName = Domain.Text.TextInput.NormaliseOptional(request.DisplayName) ?? Domain.Text.TextInput.Normalise(request.UserName!);
        // The name as stored (trimmed, lower case) decides, so " name" and "NAME" meet the existing "name".
        var (created, twin) = await accounts.TryCreateAsync(request.UserName!, displayName, request.Password!, request.Roles!, AgencyOf(request.Roles!, request.AgencyCode), ct,
            request.MustChangePassword, createdBy: user.Actor());
        // A name that would pass for an existing account's in the console, the session list and the audit ("асе" in Cyrillic
        // beside "ace", "paypa1" beside "paypal") is taken too (docs/security.md, "Accounts"; found by an outside tester).
        if (twin is not null)
        {
            return Problems.Conflict("User name taken", $"'{AccountStore.NameKey(request.UserName!)}' would look like the existing account '{twin}'.", "userName");
        }
        if (created is null)
        {
            return Problems.Conflict("User name taken", $"An account '{AccountStore.NameKey(request.UserName!)}' already exists.", "userName");
        }
        // Its account.create audit row was written with it, in one transaction.
        return TypedResults.Created($"/api/accounts/{created.Id}", created);
    }

    /// <summary>
    /// An officer's agency is one on file, and only officers name one (found by an outside tester: an officer of an
    /// agency that does not exist, and an organiser "of" an agency, were both created).
    /// </summary>
    static async Task<(string, string)?> AgencyProblemAsync(string[] roles, string? agencyCode, Certification.AgencyStore agencies, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(agencyCode))
        {
            return null;
        }
        if (!roles.Contains(Roles.AgencyOfficer))
        {
            return ("agencyCode", "Only an agency officer is bound to an agency; leave agencyCode out for other roles.");
        }
        return await agencies.DomainAgencyAsync(AgencyKeyText(agencyCode), ct) is null ? ("agencyCode", $"No agency '{agencyCode.Trim()}' is on file.") : null;
    }

    /// <summary>The agency an account is bound to as stored: an officer's code trimmed (NBSP too), nobody else's.</summary>
    static string? AgencyOf(string[] roles, string? agencyCode) =>
        roles.Contains(Roles.AgencyOfficer) && !string.IsNullOrWhiteSpace(agencyCode) ? AgencyKeyText(agencyCode) : null;

    /// <summary>An agency code as the agency's filing reads it: a lower-case y or s is the capital (found by an outside tester:
    /// "s121…" was refused here and taken by the filing).</summary>
    static string AgencyKeyText(string agencyCode) =>
        Domain.Certification.AgencyKey.TryParse(agencyCode, out var key) ? key.ToString() : agencyCode.Trim();

    static IEnumerable<(string, string)> CheckRoles(string[]? roles, string? agencyCode)
    {
        roles ??= [];
        if (roles.Length == 0 || roles.Any(r => !Roles.AccountRoles.Contains(r)))
        {
            yield return ("roles", $"Roles must be one or more of {string.Join(", ", Roles.AccountRoles)}.");
        }
        else if (roles.GroupBy(r => r, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            yield return ("roles", $"{twice.Key} is given {twice.Count()} times; give each role once.");
        }
        if (roles.Contains(Roles.AgencyOfficer) && string.IsNullOrWhiteSpace(agencyCode))
        {
            yield return ("agencyCode", "An agency officer is bound to one agency.");
        }
    }

    static async Task<Results<NoContent, ProblemHttpResult>> SetRoles(Guid id, SetRolesRequest request, AccountStore accounts, Certification.AgencyStore agencies, ClaimsPrincipal user, CancellationToken ct)
    {
        request = request with { Roles = Roles.Canonical(request.Roles) };
        var errors = CheckRoles(request.Roles, request.AgencyCode).ToList();
        if (errors.Count == 0 && await AgencyProblemAsync(request.Roles!, request.AgencyCode, agencies, ct) is { } agencyProblem)
        {
            errors.Add(agencyProblem);
        }
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }
        if (IsSelf(user, id) && !request.Roles!.Contains(Roles.Admin))
        {
            return SelfRefused("roles", "An admin cannot remove their own Admin role (ask another admin).");
        }
        var agency = request.Roles!.Contains(Roles.AgencyOfficer) ? request.AgencyCode!.Trim() : null;
        return await accounts.SetRolesAsync(id, request.Roles!, agency, user.Actor(), ct) ? TypedResults.NoContent() : UnknownAccount(id);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> SetDisabled(Guid id, bool disabled, string? reason, AccountStore accounts, ClaimsPrincipal user, CancellationToken ct)
    {
        if (disabled && IsSelf(user, id))
        {
            return SelfRefused("id", "An admin cannot disable their own account (ask another admin).");
        }
        if (reason is not null && Domain.Text.TextInput.Check(reason) is { } fault)
        {
            return Problems.Validation(("reason", fault));
        }
        return await accounts.SetDisabledAsync(id, disabled, user.Actor(), Domain.Text.TextInput.NormaliseOptional(reason), ct) ? TypedResults.NoContent() : UnknownAccount(id);
    }

    static async Task<Results<Ok<OneTimePassword>, ProblemHttpResult>> ResetPassword(Guid id, AccountStore accounts, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        if (IsSelf(user, id))
        {
            // A reset ends the caller's own sessions and tokens and forces a change at the next sign-in: the last admin
            // could lose the only admin sign-in (found by an outside tester). Their own password changes with the current one.
            return SelfRefused("id", "An admin changes their own password with their current one (POST /api/auth/password), not by a reset (ask another admin when it is lost).");
        }
        var password = await accounts.ResetPasswordAsync(id, user.Actor(), ct);
        if (password is null)
        {
            return UnknownAccount(id);
        }
        // Shown once: never cached by the browser or a proxy.
        http.Response.Headers.CacheControl = "no-store";
        var name = (await accounts.ListAsync(ct)).Single(a => a.Id == id).UserName;
        return TypedResults.Ok(new OneTimePassword(name, password));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeDevice(Guid id, RevokeRequest request, DeviceStore devices, ClaimsPrincipal user, CancellationToken ct)
    {
        if (Domain.Text.TextInput.Normalise(request.Reason ?? "").Length == 0)
        {
            return Problems.Validation(("reason", "Say why the tablet is revoked."));
        }
        if (Domain.Text.TextInput.Check(request.Reason) is { } fault)
        {
            return Problems.Validation(("reason", fault));
        }
        return await devices.RevokeAnyAsync(id, user.Actor(), Domain.Text.TextInput.Normalise(request.Reason!), ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("Unknown device", $"No active device {id}.", "id");
    }

    static bool IsSelf(ClaimsPrincipal user, Guid id) => user.FindFirstValue(ClaimTypes.NameIdentifier) == id.ToString();

    static ProblemHttpResult SelfRefused(string field, string detail) => Problems.Conflict("Not on your own account", detail, field);

    static ProblemHttpResult UnknownAccount(Guid id) => Problems.NotFound("Unknown account", $"No account {id}.", "id");
}
