using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace SkillsHub.Server.Security;

/// <summary>Organiser, admin and agency-officer accounts in PostgreSQL, passwords hashed with ASP.NET Core Identity's hasher.</summary>
public sealed class AccountStore(NpgsqlDataSource db, IPasswordHasher<AccountStore.Account> hasher)
{
    public sealed record Account(Guid Id, string UserName, string DisplayName, string PasswordHash, string[] Roles, string? AgencyCode, DateTime? DisabledAt);

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

        public Account ToAccount() => new(Id, UserName, DisplayName, PasswordHash, Roles, AgencyCode, DisabledAt);
    }

    public sealed record AccountView(Guid Id, string UserName, string DisplayName, string[] Roles, string? AgencyCode, bool Disabled);

    public async Task<AccountView> CreateAsync(string userName, string displayName, string password, IReadOnlyCollection<string> roles, string? agencyCode, CancellationToken ct = default)
    {
        var id = Guid.NewGuid();
        var account = new Account(id, userName.Trim().ToLowerInvariant(), displayName, "", [.. roles], agencyCode, null);
        var hash = hasher.HashPassword(account, password);
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into skillshub.accounts (id, user_name, display_name, password_hash, roles, agency_code) values (@Id, @UserName, @DisplayName, @hash, @Roles, @AgencyCode)",
            new { account.Id, account.UserName, account.DisplayName, hash, account.Roles, account.AgencyCode }, cancellationToken: ct));
        return new AccountView(id, account.UserName, displayName, account.Roles, agencyCode, false);
    }

    public async Task<bool> ExistsAsync(string userName, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from skillshub.accounts where user_name = lower(@userName))", new { userName }, cancellationToken: ct));
    }

    public async Task<bool> AnyAdminAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from skillshub.accounts where 'Admin' = any(roles) and disabled_at is null)", cancellationToken: ct));
    }

    /// <summary>The signed-in principal, or null for an unknown user, a wrong password or a disabled account (indistinguishable to the caller).</summary>
    public async Task<ClaimsPrincipal?> VerifyAsync(string userName, string password, string scheme, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var account = (await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            "select id, user_name as UserName, display_name as DisplayName, password_hash as PasswordHash, roles, agency_code as AgencyCode, disabled_at as DisabledAt from skillshub.accounts where user_name = lower(@userName)",
            new { userName = userName.Trim() }, cancellationToken: ct)))?.ToAccount();
        if (account is null || account.DisabledAt is not null)
        {
            // Same work as a real check so timing does not reveal which user names exist.
            hasher.VerifyHashedPassword(new Account(Guid.Empty, "", "", "", [], null, null), DummyHash, password);
            return null;
        }
        var result = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.ExecuteAsync(new CommandDefinition("update skillshub.accounts set password_hash = @hash where id = @id",
                new { hash = hasher.HashPassword(account, password), id = account.Id }, cancellationToken: ct));
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Name, account.UserName),
            new("display_name", account.DisplayName),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (account.AgencyCode is not null)
        {
            claims.Add(new Claim(SkillsHubClaims.Agency, account.AgencyCode));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public async Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AccountRow>(new CommandDefinition(
            "select id, user_name as UserName, display_name as DisplayName, '' as PasswordHash, roles, agency_code as AgencyCode, disabled_at as DisabledAt from skillshub.accounts order by user_name",
            cancellationToken: ct));
        return rows.Select(a => new AccountView(a.Id, a.UserName, a.DisplayName, a.Roles, a.AgencyCode, a.DisabledAt is not null)).ToList();
    }

    static readonly string DummyHash = new PasswordHasher<Account>().HashPassword(new Account(Guid.Empty, "", "", "", [], null, null), Guid.NewGuid().ToString());
}

/// <summary>
/// The first admin: from configuration (Bootstrap:AdminUser / Bootstrap:AdminPassword), or, for the
/// embedded demo only, generated and printed once on the console.
/// </summary>
sealed class AdminBootstrap(AccountStore accounts, IConfiguration configuration, Hosting.SkillsHubDatabase database, ILogger<AdminBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var credentials = database.DataDirectory is { } data ? Path.Combine(Path.GetDirectoryName(data)!, "demo-credentials.txt") : null;
        if (await accounts.AnyAdminAsync(cancellationToken))
        {
            if (credentials is not null && File.Exists(credentials))
            {
                logger.LogWarning("Demo sign-in for /console: {Credentials}", (await File.ReadAllTextAsync(credentials, cancellationToken)).Replace('\n', ' ').Trim());
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
            await File.WriteAllTextAsync(credentials!, $"admin user: {user}\nadmin password: {password}\n", cancellationToken);
            logger.LogWarning("Demo admin created. Sign in at /console with user '{User}' and password '{Password}' (also saved in {File}).", user, password, credentials);
        }
        if (!await accounts.ExistsAsync(user, cancellationToken))
        {
            await accounts.CreateAsync(user, "Administrator", password, [Roles.Admin], null, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
