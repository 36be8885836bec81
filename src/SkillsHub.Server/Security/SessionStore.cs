using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace SkillsHub.Server.Security;

/// <summary>
/// Sign-in sessions kept in PostgreSQL (docs/security.md): the cookie holds only the protected
/// session key, the ticket is a row here. Every cookie request reads its row, uncached, so a session
/// ended on one node (sign-out, an admin ending it, the account disabled or its password or roles
/// changed) is refused by every node at its next request, and the hub connections it opened end (<see cref="LiveConnections"/>).
/// </summary>
public sealed class SessionStore(NpgsqlDataSource db, TimeProvider clock, LiveConnections live) : ITicketStore
{
    /// <summary>A session that may still be used (s: the session, a: its account): every request's check, and the hub's.</summary>
    const string Live = "s.ended_at is null and s.expires_at > now() and a.disabled_at is null";

    /// <summary>The claim in which the cookie handler keeps the session's key.</summary>
    public const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public sealed record SessionView(Guid Id, Guid AccountId, string UserName, DateTime CreatedAt, DateTime LastSeenAt, DateTime ExpiresAt, string? Client, string? Address);

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null, default);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) => StoreAsync(ticket, null, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext? httpContext, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var account = Guid.Parse(ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier)!);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Stored only while the account is what the principal was made from (AccountStamp): a sign-in that overlapped a
        // change of its password, roles or state is refused rather than outliving it.
        if (!await AccountStamp.HoldsAsync(connection, transaction, account, ticket.Principal.FindFirstValue(AccountStamp.Claim), cancellationToken))
        {
            throw new StaleSignInException();
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.sessions (id, account_id, ticket, expires_at, client, address)
            values (@id, @account, @ticket, @expires, @client, @address)
            """, new
        {
            id, account, ticket = TicketSerializer.Default.Serialize(ticket), expires = ExpiryOf(ticket),
            // Shown to admins in the session list: safe to show (docs/security.md, "Files and text").
            client = Truncate(httpContext?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? Domain.Text.TextInput.Displayable(agent) : null, 200),
            address = httpContext?.Connection.RemoteIpAddress?.ToString(),
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return id.ToString("N");
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, null, default);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) => RenewAsync(key, ticket, null, cancellationToken);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext? httpContext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return;
        }
        // A session stays its account's: a ticket of another account never renews it (a sign-in starts a new session;
        // FreshSessionOnSignIn), so ending an account's sessions always ends every session acting as it.
        var account = Guid.TryParse(ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var a) ? a : Guid.Empty;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.sessions set ticket = @ticket, expires_at = @expires where id = @id and account_id = @account and ended_at is null",
            new { id, account, ticket = TicketSerializer.Default.Serialize(ticket), expires = ExpiryOf(ticket) }, cancellationToken: cancellationToken));
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, null, default);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) => RetrieveAsync(key, null, cancellationToken);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext? httpContext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return null;
        }
        try
        {
            return await ReadAsync(key, id, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && httpContext is not null
            && HtmlPages.IsNavigation(httpContext.Request) && !httpContext.Request.Path.StartsWithSegments("/jobs", StringComparison.OrdinalIgnoreCase))
        {
            // A page is the same for everyone and needs no session: while the database is away a signed-in browser gets it as
            // anyone does, and the page says the outage itself (found by an outside tester: problem JSON in place of the
            // console, the boards and the error pages). The cookie stays; the API answers 503 as before.
            return null;
        }
    }

    async Task<AuthenticationTicket?> ReadAsync(string key, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // One round trip: the live ticket (account still enabled); "last seen" is written at most once a
        // minute, so an ordinary request reads without writing a row version.
        var ticket = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition($$"""
            with live as (
                select s.id, s.ticket, s.last_seen_at from skillshub.sessions s join skillshub.accounts a on a.id = s.account_id
                where s.id = @id and {{Live}}),
            touched as (
                update skillshub.sessions set last_seen_at = now()
                where id in (select id from live where last_seen_at < now() - interval '1 minute'))
            select ticket from live
            """, new { id }, cancellationToken: cancellationToken));
        if (ticket is null)
        {
            return null;
        }
        var live = TicketSerializer.Default.Deserialize(ticket);
        // A session stored by a release before principals carried their account's stamp (AccountStamp) is ended here, once,
        // and its holder signs in again: the stamp is what a token's creation checks, so such a session served every request
        // but that one (found by an outside tester upgrading: "Your session ended" at the token, while it still worked).
        if (live?.Principal.FindFirst(AccountStamp.Claim) is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update skillshub.sessions set ended_at = now(), ended_by = 'upgrade' where id = @id and ended_at is null", new { id }, cancellationToken: cancellationToken));
            return null;
        }
        // The request knows which session it came with: what it starts (a pairing code it issues) ends with that session.
        if (live?.Principal.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == SkillsHubClaims.Session))
        {
            identity.AddClaim(new Claim(SkillsHubClaims.Session, key));
        }
        return live;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, null, default);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, null, cancellationToken);

    public async Task RemoveAsync(string key, HttpContext? httpContext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParseExact(key, "N", out var id))
        {
            return;
        }
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var user = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            update skillshub.sessions s set ended_at = now(), ended_by = 'sign-out' from skillshub.accounts a
            where s.id = @id and a.id = s.account_id and s.ended_at is null returning a.user_name
            """, new { id }, transaction, cancellationToken: cancellationToken));
        if (user is not null)
        {
            await DeviceStore.VoidCodesIssuedByAsync(connection, transaction, new DeviceStore.IssuedBy(Session: id), user, user, $"issued in session {id}: signed out", cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        live.CheckNow();
    }

    /// <summary>Of these session keys, the ones still live (<see cref="Live"/>), read as a request's check reads them.</summary>
    public static async Task<IEnumerable<string>> LiveAmongAsync(NpgsqlDataSource db, IEnumerable<string> keys, CancellationToken ct)
    {
        var ids = keys.Select(k => Guid.ParseExact(k, "N")).ToArray();
        await using var connection = await db.OpenConnectionAsync(ct);
        var live = await connection.QueryAsync<Guid>(new CommandDefinition(
            $"select s.id from skillshub.sessions s join skillshub.accounts a on a.id = s.account_id where s.id = any(@ids) and {Live}",
            new { ids }, cancellationToken: ct));
        return live.Select(id => id.ToString("N"));
    }

    /// <summary>The key of the session the request's cookie names (live or not), or null when it carries none.</summary>
    public static string? KeyOf(HttpContext context, CookieAuthenticationOptions options) =>
        options.CookieManager.GetRequestCookie(context, options.Cookie.Name!) is { Length: > 0 } value
        && options.TicketDataFormat.Unprotect(value)?.Principal.FindFirstValue(SessionIdClaim) is { } key
        && Guid.TryParseExact(key, "N", out _) ? key : null;

    public async Task<IReadOnlyList<SessionView>> ListActiveAsync(Guid? account, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SessionView>(new CommandDefinition("""
            select s.id as Id, s.account_id as AccountId, a.user_name as UserName, s.created_at as CreatedAt, s.last_seen_at as LastSeenAt,
                   s.expires_at as ExpiresAt, s.client as Client, s.address as Address
            from skillshub.sessions s join skillshub.accounts a on a.id = s.account_id
            where s.ended_at is null and s.expires_at > now() and (@account is null or s.account_id = @account)
            order by s.last_seen_at desc
            """, new { account }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Ends one session (an admin's action); the audit row is written in the same transaction. False when not active.</summary>
    public async Task<bool> EndAsync(Guid id, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            update skillshub.sessions s set ended_at = now(), ended_by = @actor from skillshub.accounts a
            where s.id = @id and a.id = s.account_id and s.ended_at is null returning a.user_name
            """, new { id, actor }, transaction, cancellationToken: ct));
        if (user is null)
        {
            return false;
        }
        await SecurityAudit.WriteAsync(connection, transaction, actor, "session.end", user, $"session {id}", ct);
        await DeviceStore.VoidCodesIssuedByAsync(connection, transaction, new DeviceStore.IssuedBy(Session: id), actor, user, $"issued in session {id}: session ended", ct);
        await transaction.CommitAsync(ct);
        live.CheckNow();
        return true;
    }

    /// <summary>Ends every session of an account, inside the caller's transaction (which calls <see cref="LiveConnections.CheckNow"/> once committed).</summary>
    internal static Task<int> EndAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid account, string reason, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.sessions set ended_at = now(), ended_by = @reason where account_id = @account and ended_at is null",
            new { account, reason }, transaction, cancellationToken: ct));

    DateTime ExpiryOf(AuthenticationTicket ticket) => (ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddHours(12)).UtcDateTime;

    static string? Truncate(string? value, int length) => string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}

/// <summary>
/// A sign-in always starts a new session. The cookie handler would otherwise renew the session the
/// request's cookie names (a fixation risk, and a dead row after a password change), so on the
/// sign-in and password endpoints the old session is ended and its cookie removed from the request
/// before authentication runs.
/// </summary>
public sealed class FreshSessionOnSignIn(RequestDelegate next, Microsoft.Extensions.Options.IOptionsMonitor<CookieAuthenticationOptions> cookies, SessionStore sessions)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The endpoints are known by their metadata, as routing matched them, not by the path's spelling (found by an outside
        // tester: /api/auth/login/ with a trailing slash reached the sign-in and renewed the caller's old session).
        if (context.GetEndpoint()?.Metadata.GetMetadata<StartsAFreshSession>() is not null)
        {
            var options = cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme);
            var name = options.Cookie.Name!;
            if (options.CookieManager.GetRequestCookie(context, name) is { Length: > 0 })
            {
                var previous = SessionStore.KeyOf(context, options);
                context.Request.Headers.Cookie = string.Join("; ", context.Request.Cookies
                    // By name in any case, as the cookie handler finds it (found by an outside tester: SKILLSHUB= stayed and was renewed).
                    .Where(c => !string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase) && !c.Key.StartsWith(name + "C", StringComparison.OrdinalIgnoreCase))
                    .Select(c => $"{c.Key}={Uri.EscapeDataString(c.Value)}"));
                await next(context);
                // The old session ends only when the new one began; a failed attempt leaves it as it was.
                if (previous is not null && context.Response.StatusCode == StatusCodes.Status200OK)
                {
                    await sessions.RemoveAsync(previous, context, CancellationToken.None);
                }
                return;
            }
        }
        await next(context);
    }
}

/// <summary>Marks the endpoints that sign in (sign-in, password change): <see cref="FreshSessionOnSignIn"/> starts them a new session.</summary>
public sealed class StartsAFreshSession
{
    public static readonly StartsAFreshSession Instance = new();
}

/// <summary>Append-only trail of account administration (docs/security.md).</summary>
public sealed class SecurityAudit(NpgsqlDataSource db)
{
    public sealed record Entry(long Id, DateTime At, string Actor, string Action, string Target, string? Detail);

    internal static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string actor, string action, string target, string? detail, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "insert into skillshub.security_audit (actor, action, target, detail) values (@actor, @action, @target, @detail)",
            new { actor, action, target, detail }, transaction, cancellationToken: ct));

    public async Task WriteAsync(string actor, string action, string target, string? detail, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await WriteAsync(connection, null, actor, action, target, detail, ct);
    }

    /// <summary>The newest <paramref name="count"/> entries, or those before id <paramref name="before"/> (paging back).</summary>
    public async Task<IReadOnlyList<Entry>> LatestAsync(int count, CancellationToken ct, long? before = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Entry>(new CommandDefinition(
            "select id as Id, at as At, actor as Actor, action as Action, target as Target, detail as Detail from skillshub.security_audit where id < coalesce(@before, 9223372036854775807) order by id desc limit @count",
            new { count, before }, cancellationToken: ct));
        return rows.ToList();
    }
}
