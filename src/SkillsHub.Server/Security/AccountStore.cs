using Microsoft.AspNetCore.Identity;

namespace SkillsHub.Server.Security;

/// <summary>Organiser, admin and agency-officer accounts in PostgreSQL, passwords hashed with ASP.NET Core Identity's hasher.</summary>
public sealed class AccountStore(NpgsqlDataSource db, IPasswordHasher<AccountStore.Account> hasher, LiveConnections live)
{
    public sealed record Account(Guid Id, string UserName, string DisplayName, string PasswordHash, string[] Roles, string? AgencyCode, DateTime? DisabledAt, bool MustChangePassword = false);

    /// <summary>The outcome of a password check: the principal, or why there is none.</summary>
    public sealed record SignInCheck(ClaimsPrincipal? Principal, bool MustChangePassword, Guid AccountId)
    {
        public static readonly SignInCheck Failed = new(null, false, Guid.Empty);
    }

    /// <summary>Row shape for Dapper (text[] arrives as an array, so no positional constructor).</summary>
    sealed class AccountRow
    {
        public Guid Id { get; set; }
        public string UserName { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public string[] Roles { get; set; } = [];
        public string? AgencyCode { get; set; }
        public DateTime? DisabledAt { get; set; }
        public bool MustChangePassword { get; set; }
        public long ActiveSessions { get; set; }
        public DateTime? LastSeenAt { get; set; }

        public Account ToAccount() => new(Id, UserName, DisplayName, PasswordHash, Roles, AgencyCode, DisabledAt, MustChangePassword);
    }

    public sealed record AccountView(Guid Id, string UserName, string DisplayName, string[] Roles, string? AgencyCode, bool Disabled,
        bool MustChangePassword = false, long ActiveSessions = 0, DateTime? LastSeenAt = null);

    public async Task<AccountView> CreateAsync(string userName, string displayName, string password, IReadOnlyCollection<string> roles, string? agencyCode, CancellationToken ct = default) =>
        (await TryCreateAsync(userName, displayName, password, roles, agencyCode, ct)).Created
        ?? throw new InvalidOperationException($"An account '{NameKey(userName)}' already exists, or one whose name looks like it.");

    /// <summary>What a creation did: the account, or nothing because the name is taken or <see cref="LooksLike"/> an existing one's.</summary>
    public sealed record Creation(AccountView? Created, string? LooksLike = null);

    /// <summary>
    /// Creates the account, unless its name (<see cref="NameKey"/>) is taken or would pass for an existing account's
    /// (<see cref="Domain.Text.SignInText.LookAlikeKey"/>: "асе" in Cyrillic beside "ace"; docs/security.md, "Accounts").
    /// Creations take turns (a transaction-scoped advisory lock), so two look-alike names sent at the same moment cannot
    /// both be created. With <paramref name="mustChangePassword"/> the password is one-time: the first sign-in must
    /// replace it, as after an admin's reset (<see cref="ResetPasswordAsync"/>).
    /// </summary>
    /// <param name="createdBy">Who creates it, for the security audit's <c>account.create</c> row, written in the same transaction
    /// as the account (found by an outside tester: with the disk full, the account was created and its audit row lost).</param>
    public async Task<Creation> TryCreateAsync(string userName, string displayName, string password, IReadOnlyCollection<string> roles, string? agencyCode, CancellationToken ct = default,
        bool mustChangePassword = false, string? createdBy = null)
    {
        var id = Guid.NewGuid();
        var account = new Account(id, NameKey(userName), displayName, "", [.. roles], agencyCode, null, mustChangePassword);
        var hash = hasher.HashPassword(account, password);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('skillshub.accounts.create'))", transaction: transaction, cancellationToken: ct));
        var key = Domain.Text.SignInText.LookAlikeKey(account.UserName);
        var names = await connection.QueryAsync<string>(new CommandDefinition("select user_name from skillshub.accounts", transaction: transaction, cancellationToken: ct));
        if (names.FirstOrDefault(n => n != account.UserName && Domain.Text.SignInText.LookAlikeKey(n) == key) is { } twin)
        {
            return new Creation(null, twin);
        }
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into skillshub.accounts (id, user_name, display_name, password_hash, roles, agency_code, must_change_password)
            values (@Id, @UserName, @DisplayName, @hash, @Roles, @AgencyCode, @MustChangePassword) on conflict do nothing
            """,
            new { account.Id, account.UserName, account.DisplayName, hash, account.Roles, account.AgencyCode, account.MustChangePassword }, transaction: transaction, cancellationToken: ct));
        if (inserted == 1 && createdBy is not null)
        {
            await SecurityAudit.WriteAsync(connection, transaction, createdBy, "account.create", account.UserName,
                string.Join(",", account.Roles) + (mustChangePassword ? "; one-time password" : ""), ct);
        }
        await transaction.CommitAsync(ct);
        return new Creation(inserted == 1 ? new AccountView(id, account.UserName, displayName, account.Roles, agencyCode, false, mustChangePassword) : null);
    }

    /// <summary>A user name as stored and looked up: trimmed, NFC-normalised, lower case, so one name is one account however it is typed.</summary>
    public static string NameKey(string userName) => userName.Trim().Normalize(System.Text.NormalizationForm.FormC).ToLowerInvariant();

    public async Task<bool> ExistsAsync(string userName, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from skillshub.accounts where user_name = @name)", new { name = NameKey(userName) }, cancellationToken: ct));
    }

    public async Task<bool> AnyAdminAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from skillshub.accounts where 'Admin' = any(roles) and disabled_at is null)", cancellationToken: ct));
    }

    const string SelectAccount = "select id, user_name as UserName, display_name as DisplayName, password_hash as PasswordHash, roles, agency_code as AgencyCode, disabled_at as DisabledAt, must_change_password as MustChangePassword from skillshub.accounts";

    /// <summary>
    /// Checks a password. A failed check (unknown user, wrong password, disabled account) is
    /// indistinguishable to the caller; an account whose password an admin reset gets no principal
    /// until it sets its own (<see cref="ChangePasswordAsync"/>).
    /// </summary>
    public async Task<SignInCheck> VerifyAsync(string userName, string password, string scheme, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var account = (await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            SelectAccount + " where user_name = @name", new { name = NameKey(userName) }, cancellationToken: ct)))?.ToAccount();
        if (account is null || account.DisabledAt is not null)
        {
            // Same work as a real check so timing does not reveal which user names exist.
            hasher.VerifyHashedPassword(Nobody, _dummyHash.Value, password);
            return SignInCheck.Failed;
        }
        var result = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return SignInCheck.Failed;
        }
        if (account.MustChangePassword)
        {
            return new SignInCheck(null, true, account.Id);
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // The principal carries the stamp of the hash now stored (AccountStamp).
            account = account with { PasswordHash = hasher.HashPassword(account, password) };
            await connection.ExecuteAsync(new CommandDefinition("update skillshub.accounts set password_hash = @hash where id = @id",
                new { hash = account.PasswordHash, id = account.Id }, cancellationToken: ct));
        }
        return new SignInCheck(PrincipalOf(account, scheme), false, account.Id);
    }

    /// <summary>The principal of an enabled account by id (personal API tokens act with the account's current roles).</summary>
    public async Task<ClaimsPrincipal?> PrincipalAsync(Guid id, string scheme, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var account = (await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            SelectAccount + " where id = @id and disabled_at is null", new { id }, cancellationToken: ct)))?.ToAccount();
        return account is null ? null : PrincipalOf(account, scheme);
    }

    public static ClaimsPrincipal PrincipalOf(Account account, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Name, account.UserName),
            new("display_name", account.DisplayName),
            new(AccountStamp.Claim, AccountStamp.Of(account)),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (account.AgencyCode is not null)
        {
            claims.Add(new Claim(SkillsHubClaims.Agency, account.AgencyCode));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>
    /// Sets a new password after checking the current one (also the one-time password an admin gave);
    /// every session of the account ends. Null when the current password is wrong.
    /// </summary>
    public async Task<ClaimsPrincipal?> ChangePasswordAsync(string userName, string currentPassword, string newPassword, string scheme, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The current password is checked once, against the row held until the new one is stored: changes sent at once with
        // one one-time password each passed a check made before the lock, and each set a password (found by an outside tester).
        var account = (await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            SelectAccount + " where user_name = @name for update", new { name = NameKey(userName) }, transaction, cancellationToken: ct)))?.ToAccount();
        if (account is null || account.DisabledAt is not null)
        {
            // Same work as a real check so timing does not reveal which user names exist.
            hasher.VerifyHashedPassword(Nobody, _dummyHash.Value, currentPassword);
            return null;
        }
        if (hasher.VerifyHashedPassword(account, account.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            return null;
        }
        account = account with { PasswordHash = hasher.HashPassword(account, newPassword), MustChangePassword = false };
        await connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.accounts set password_hash = @hash, must_change_password = false where id = @id",
            new { hash = account.PasswordHash, id = account.Id }, transaction, cancellationToken: ct));
        await EndCredentialsAsync(connection, transaction, account.Id, account.UserName, account.UserName, "password changed", ct);
        await SecurityAudit.WriteAsync(connection, transaction, account.UserName, "password.change", account.UserName, null, ct);
        await transaction.CommitAsync(ct);
        live.CheckNow();
        return PrincipalOf(account, scheme);
    }

    /// <summary>Disables or enables an account; disabling ends its sessions. False for an unknown id.</summary>
    public async Task<bool> SetDisabledAsync(Guid id, bool disabled, string actor, string? reason, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            disabled
                ? "update skillshub.accounts set disabled_at = coalesce(disabled_at, now()) where id = @id returning user_name"
                : "update skillshub.accounts set disabled_at = null where id = @id returning user_name",
            new { id }, transaction, cancellationToken: ct));
        if (user is null)
        {
            return false;
        }
        if (disabled)
        {
            await EndCredentialsAsync(connection, transaction, id, user, actor, "account disabled", ct);
        }
        await SecurityAudit.WriteAsync(connection, transaction, actor, disabled ? "account.disable" : "account.enable", user, reason, ct);
        await transaction.CommitAsync(ct);
        live.CheckNow();
        return true;
    }

    /// <summary>Replaces an account's roles (and agency); its sessions end so the new roles apply at the next sign-in.</summary>
    public async Task<bool> SetRolesAsync(Guid id, IReadOnlyCollection<string> roles, string? agencyCode, string actor, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            SelectAccount + " where id = @id for update", new { id }, transaction, cancellationToken: ct));
        if (row is null)
        {
            return false;
        }
        // The same roles (in any order) and agency change nothing: the account's sessions go on (found by an outside
        // tester: a no-op "change" signed the account out everywhere).
        if (row.Roles.ToHashSet(StringComparer.Ordinal).SetEquals(roles) && row.AgencyCode == agencyCode)
        {
            return true;
        }
        var user = row.UserName;
        await connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.accounts set roles = @roles, agency_code = @agencyCode where id = @id",
            new { id, roles = roles.ToArray(), agencyCode }, transaction, cancellationToken: ct));
        await EndCredentialsAsync(connection, transaction, id, user, actor, "roles changed", ct);
        await SecurityAudit.WriteAsync(connection, transaction, actor, "account.roles", user, string.Join(",", roles) + (agencyCode is null ? "" : $" agency {agencyCode}"), ct);
        await transaction.CommitAsync(ct);
        live.CheckNow();
        return true;
    }

    /// <summary>
    /// Gives the account a random one-time password (returned once, stored only hashed) that must be
    /// changed at the next sign-in; its sessions end. Null for an unknown id.
    /// </summary>
    public async Task<string?> ResetPasswordAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            SelectAccount + " where id = @id for update", new { id }, transaction, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var account = row.ToAccount();
        // 15 characters from a 31-letter alphabet: about 74 bits, read off a screen once.
        var oneTime = string.Create(15, 0, (span, _) =>
        {
            const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
        await connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.accounts set password_hash = @hash, must_change_password = true where id = @id",
            new { hash = hasher.HashPassword(account, oneTime), id }, transaction, cancellationToken: ct));
        await EndCredentialsAsync(connection, transaction, id, account.UserName, actor, "password reset", ct);
        // A reset answers a forgotten or compromised password: the account's personal API tokens end with it, as its
        // sessions do (docs/security.md).
        var tokens = await ApiTokenStore.RevokeAllAsync(connection, transaction, id, ct);
        await SecurityAudit.WriteAsync(connection, transaction, actor, "password.reset", account.UserName, tokens > 0 ? $"{Domain.Text.Counted.Of(tokens, "API token", "API tokens")} revoked" : null, ct);
        await transaction.CommitAsync(ct);
        live.CheckNow();
        return oneTime;
    }

    /// <summary>
    /// Ends what the account's sign-ins started: every session, and the pairing codes it issued that no tablet has redeemed
    /// yet (a code outliving a disabled or compromised account would pair a tablet after it; docs/security.md, "Tablets").
    /// </summary>
    static async Task EndCredentialsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string user, string actor, string reason, CancellationToken ct)
    {
        await SessionStore.EndAllAsync(connection, transaction, id, reason, ct);
        await DeviceStore.VoidCodesIssuedByAsync(connection, transaction, new DeviceStore.IssuedBy(Account: id), actor, user, $"issued by {user}: {reason}", ct);
    }

    const string SelectView = """
        select a.id, a.user_name as UserName, a.display_name as DisplayName, '' as PasswordHash, a.roles, a.agency_code as AgencyCode,
               a.disabled_at as DisabledAt, a.must_change_password as MustChangePassword,
               count(s.id) as ActiveSessions, max(s.last_seen_at) as LastSeenAt
        from skillshub.accounts a
        left join skillshub.sessions s on s.account_id = a.id and s.ended_at is null and s.expires_at > now()
        """;

    public async Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AccountRow>(new CommandDefinition(SelectView + " group by a.id order by a.user_name", cancellationToken: ct));
        return rows.Select(View).ToList();
    }

    /// <summary>One account as <see cref="ListAsync"/> shows it, or null.</summary>
    public async Task<AccountView?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(SelectView + " where a.id = @id group by a.id", new { id }, cancellationToken: ct));
        return row is null ? null : View(row);
    }

    static AccountView View(AccountRow a) =>
        new(a.Id, a.UserName, a.DisplayName, a.Roles, a.AgencyCode, a.DisabledAt is not null, a.MustChangePassword, a.ActiveSessions, a.LastSeenAt);

    /// <summary>A hash with the configured work factor, checked for unknown names so they cost what a real check costs.</summary>
    readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));

    static readonly Account Nobody = new(Guid.Empty, "", "", "", [], null, null);
}

/// <summary>
/// The first admin: from configuration (Bootstrap:AdminUser / Bootstrap:AdminPassword), or, for the
/// embedded demo only, generated and printed once on the console.
/// </summary>
sealed class AdminBootstrap(AccountStore accounts, IConfiguration configuration, SkillsHub.Storage.DatabaseLocation database, ILogger<AdminBootstrap> logger) : IHostedService
{
    static string? Value(string[] lines, string key) =>
        lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line ? line[key.Length..].Trim() : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var credentials = database.DataDirectory is { } data ? Path.Combine(Path.GetDirectoryName(data)!, "demo-credentials.txt") : null;
        if (await accounts.AnyAdminAsync(cancellationToken))
        {
            if (credentials is not null && File.Exists(credentials))
            {
                SkillsHub.Storage.SecretFile.Restrict(credentials);
                var saved = (await File.ReadAllTextAsync(credentials, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var (savedUser, savedPassword) = (Value(saved, "admin user:"), Value(saved, "admin password:"));
                // Printed only while it still signs in (found by an outside tester: after the admin changed it, every start
                // went on printing a password that no longer worked).
                if (savedUser is not null && savedPassword is not null
                    && (await accounts.VerifyAsync(savedUser, savedPassword, "Demo", cancellationToken)) is { Principal: not null } or { MustChangePassword: true })
                {
                    // Worded as at the first start (an outside tester: the file's two lines, flattened, read "admin user: admin
                    // admin password: ...").
                    logger.LogWarning("Demo admin: sign in at /console with user '{User}' and password '{Password}' (saved in {File}).", savedUser, savedPassword, credentials);
                }
                else
                {
                    logger.LogInformation("The demo admin's password in {Credentials} was changed since it was generated; it is no longer printed", credentials);
                }
            }
            return;
        }
        var user = configuration["Bootstrap:AdminUser"];
        var password = configuration["Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrWhiteSpace(password))
        {
            if (!database.IsEmbedded)
            {
                logger.LogWarning("No admin account exists. Set Bootstrap:AdminUser and Bootstrap:AdminPassword once to create one.");
                return;
            }
            user = "admin";
            password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9)).ToLowerInvariant();
            SkillsHub.Storage.SecretFile.Write(credentials!, $"admin user: {user}\nadmin password: {password}\n");
            logger.LogWarning("Demo admin created. Sign in at /console with user '{User}' and password '{Password}' (also saved in {File}).", user, password, credentials);
        }
        if (!await accounts.ExistsAsync(user, cancellationToken))
        {
            // The first admin's password follows the rule every password does (found by an outside tester: 5 characters were
            // taken): a node whose setting breaks it says so in one line.
            if (Domain.Text.SignInText.PasswordFault(password, user, "Bootstrap:AdminPassword") is { } fault)
            {
                throw new StartupException($"Bootstrap:AdminPassword is not acceptable: {fault}");
            }
            await accounts.CreateAsync(user, "Administrator", password, [Roles.Admin], null, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
