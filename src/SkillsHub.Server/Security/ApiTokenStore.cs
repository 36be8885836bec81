using System.Security.Cryptography;

namespace SkillsHub.Server.Security;

/// <summary>
/// Personal API tokens for organisers' (and admins', agency officers') scripts (docs/security.md): a
/// bearer token that acts with its account's current roles, stops when the account is disabled or
/// the token revoked, and records its last use. Only a SHA-256 hash is stored; the token is shown once.
/// </summary>
public sealed class ApiTokenStore(NpgsqlDataSource db, LiveConnections live)
{
    public const string Prefix = "shp_";

    /// <summary>A token that may still be used (t: the token, a: its account): every request's check, and the hub's.</summary>
    const string Live = "t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and a.disabled_at is null";

    public sealed record TokenView(Guid Id, string Name, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt, DateTime? ExpiresAt);

    public sealed record CreatedToken(Guid Id, string Name, string Token, DateTime CreatedAt, DateTime? ExpiresAt);

    /// <summary>
    /// The most tokens an account may hold unrevoked (docs/security.md): a script needs one or a few, and a stolen session
    /// cannot plant an unbounded number of credentials to revoke one by one.
    /// </summary>
    public const int MaxLive = 50;

    /// <summary>The furthest end a token may be given: a year and a day.</summary>
    public static readonly TimeSpan LongestLife = TimeSpan.FromDays(366);

    /// <summary>What a creation did: the token, or why there is none.</summary>
    public sealed record Creation(CreatedToken? Created, bool TooMany = false, bool Stale = false);

    /// <summary>
    /// The new token (ending at <paramref name="expiresAt"/>, if given); none when the account already holds
    /// <see cref="MaxLive"/> live tokens, or when the session asking for it has ended or its account changed since it
    /// signed in (<paramref name="stamp"/>, <paramref name="session"/>: AccountStamp; found by an outside tester: tokens
    /// created while an admin reset the password outlived the reset).
    /// </summary>
    public async Task<Creation> CreateAsync(Guid account, string userName, string name, DateTimeOffset? expiresAt, string? stamp, Guid? session, CancellationToken ct)
    {
        var token = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The account's row is locked so that two creations at once count each other; the count is a statement of its
        // own, after the lock, so its snapshot holds the tokens of the creation it waited for.
        await connection.ExecuteAsync(new CommandDefinition(
            "select 1 from skillshub.accounts where id = @account for update", new { account }, transaction, cancellationToken: ct));
        if (!await AccountStamp.HoldsAsync(connection, transaction, account, stamp, ct) || (session is { } id0 && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from skillshub.sessions where id = @id0 and ended_at is null)", new { id0 }, transaction, cancellationToken: ct))))
        {
            return new Creation(null, Stale: true);
        }
        var live = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*)::int from skillshub.api_tokens where account_id = @account and revoked_at is null and (expires_at is null or expires_at > now())",
            new { account }, transaction, cancellationToken: ct));
        if (live >= MaxLive)
        {
            return new Creation(null, TooMany: true);
        }
        var created = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(
            "insert into skillshub.api_tokens (id, account_id, name, token_hash, expires_at) values (@id, @account, @name, @hash, @expiresAt) returning created_at",
            new { id, account, name, hash = BearerTokens.Hash(token), expiresAt = expiresAt?.UtcDateTime }, transaction, cancellationToken: ct));
        await SecurityAudit.WriteAsync(connection, transaction, userName, "token.create", userName, $"{name} ({id})", ct);
        await transaction.CommitAsync(ct);
        return new Creation(new CreatedToken(id, name, token, created, expiresAt?.UtcDateTime));
    }

    public async Task<IReadOnlyList<TokenView>> ListAsync(Guid account, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<TokenView>(new CommandDefinition("""
            select id as Id, name as Name, created_at as CreatedAt, last_used_at as LastUsedAt, revoked_at as RevokedAt, expires_at as ExpiresAt
            from skillshub.api_tokens where account_id = @account order by created_at
            """, new { account }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Revokes every token of the account, in the caller's transaction (an admin's password reset).</summary>
    internal static Task<int> RevokeAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid account, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.api_tokens set revoked_at = now() where account_id = @account and revoked_at is null",
            new { account }, transaction, cancellationToken: ct));

    /// <summary>Revokes one of the account's own tokens; false when it is not theirs or already revoked.</summary>
    public async Task<bool> RevokeAsync(Guid account, string userName, Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.api_tokens set revoked_at = now() where id = @id and account_id = @account and revoked_at is null",
            new { id, account }, transaction, cancellationToken: ct)) == 1;
        if (revoked)
        {
            await SecurityAudit.WriteAsync(connection, transaction, userName, "token.revoke", userName, id.ToString(), ct);
            await DeviceStore.VoidCodesIssuedByAsync(connection, transaction, new DeviceStore.IssuedBy(Token: id), userName, userName, $"issued with API token {id}: token revoked", ct);
        }
        await transaction.CommitAsync(ct);
        live.CheckNow();
        return revoked;
    }

    /// <summary>Revokes the token itself (its holder signs out with it); audited as the holder's revocation.</summary>
    public async Task RevokeOwnAsync(string token, string userName, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var id = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "update skillshub.api_tokens set revoked_at = now() where token_hash = @hash and revoked_at is null returning id",
            new { hash = BearerTokens.Hash(token) }, transaction, cancellationToken: ct));
        if (id is { } revoked)
        {
            await SecurityAudit.WriteAsync(connection, transaction, userName, "token.revoke", userName, revoked.ToString(), ct);
            await DeviceStore.VoidCodesIssuedByAsync(connection, transaction, new DeviceStore.IssuedBy(Token: revoked), userName, userName, $"issued with API token {revoked}: token revoked", ct);
        }
        await transaction.CommitAsync(ct);
        live.CheckNow();
    }

    /// <summary>The account a live token belongs to (enabled account, unrevoked token) and the token's id; notes its use at most once a minute.</summary>
    public async Task<(Guid Account, Guid Token)?> AccountOfAsync(string token, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<(Guid, Guid)?>(new CommandDefinition($$"""
            with live as (
                select t.id, t.account_id, t.last_used_at from skillshub.api_tokens t join skillshub.accounts a on a.id = t.account_id
                where t.token_hash = @hash and {{Live}}),
            touched as (
                update skillshub.api_tokens set last_used_at = now()
                where id in (select id from live where last_used_at is null or last_used_at < now() - interval '1 minute'))
            select account_id, id from live
            """, new { hash = BearerTokens.Hash(token) }, cancellationToken: ct));
    }

    /// <summary>
    /// Of these token hashes, the live tokens' (<see cref="Live"/>), read as a request's check reads them. A token acts with its account's current roles, so each comes with them: a connection opened with other roles no longer
    /// has what a request with the token would.
    /// </summary>
    public static async Task<IEnumerable<(string Hash, string[] Roles, string? AgencyCode)>> LiveAmongAsync(NpgsqlDataSource db, IEnumerable<string> tokenHashes, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QueryAsync<(string, string[], string?)>(new CommandDefinition(
            $"select t.token_hash, a.roles, a.agency_code from skillshub.api_tokens t join skillshub.accounts a on a.id = t.account_id where t.token_hash = any(@hashes) and {Live}",
            new { hashes = tokenHashes.ToArray() }, cancellationToken: ct));
    }
}
