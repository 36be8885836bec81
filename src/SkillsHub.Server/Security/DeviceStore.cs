using System.Security.Cryptography;
using SkillsHub.Storage;

namespace SkillsHub.Server.Security;

/// <summary>
/// Tablet pairing: a Chief Expert or organiser issues a one-time code for one expert; the tablet
/// redeems it for a device token bound to that expert until revoked. Only hashes are stored.
/// </summary>
public sealed class DeviceStore(NpgsqlDataSource db, TimeProvider clock, LiveConnections live) : IAsyncDisposable
{
    // No 0/O, 1/I/L: codes are read off a screen and typed on a tablet.
    const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>Symbols in a code, shown as two groups of five: 10 x log2(31) = 49.5 bits (docs/deployment.md: at least 40).</summary>
    public const int CodeSymbols = 10;

    public static double CodeBits => CodeSymbols * Math.Log2(CodeAlphabet.Length);

    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);

    public sealed record PairingCode(string Code, string ExpertId, DateTimeOffset ExpiresAt);

    public sealed record PairedDevice(Guid DeviceId, string Token, string CompetitionCode, int SkillNumber, string ExpertId);

    public sealed record DeviceIdentity(Guid DeviceId, string CompetitionCode, int SkillNumber, string ExpertId, string DeviceName);

    public sealed record DeviceView(Guid Id, string ExpertId, string DeviceName, DateTime PairedAt, DateTime? RevokedAt, string? RevokeReason);

    /// <summary>
    /// The credential a code is issued with: a tablet (a Chief Expert's own) or an account. The code stays good only while
    /// that credential does (<see cref="RedeemAsync"/>).
    /// </summary>
    public sealed record Issuer(string Actor, IssuedBy By)
    {
        public static Issuer Of(System.Security.Claims.ClaimsPrincipal user)
        {
            static Guid? Id(string? value) => Guid.TryParse(value, out var id) ? id : null;
            var device = Id(user.DeviceId());
            return new(user.Actor(), device is not null ? new IssuedBy(Device: device)
                : new IssuedBy(Account: Id(user.FindFirstValue(System.Security.Claims.ClaimTypes.NameIdentifier)),
                    Session: Id(user.FindFirstValue(SkillsHubClaims.Session)), Token: Id(user.FindFirstValue(ApiTokenAuthenticationHandler.TokenClaim))));
        }
    }

    /// <summary>The credentials a code was issued with (a tablet; or an account with its session or API token): any of them ending ends the code.</summary>
    public sealed record IssuedBy(Guid? Device = null, Guid? Account = null, Guid? Session = null, Guid? Token = null);

    public async Task<PairingCode> IssueCodeAsync(string competition, int skill, string expertId, Issuer issuer, CancellationToken ct = default)
    {
        var issuedBy = issuer.Actor;
        var code = string.Create(CodeSymbols + 1, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = i == CodeSymbols / 2 ? '-' : CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
            }
        });
        var expires = clock.GetUtcNow() + CodeLifetime;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.pairing_codes (code_hash, competition_code, skill_number, expert_id, issued_by, expires_at, issuer_device, issuer_account, issuer_session, issuer_token)
            values (@hash, @competition, @skill, @expertId, @issuedBy, @expires, @device, @account, @session, @token)
            """, new
            {
                hash = BearerTokens.Hash(Normalise(code)), competition, skill = (short)skill, expertId, issuedBy, expires = expires.UtcDateTime,
                device = issuer.By.Device, account = issuer.By.Account, session = issuer.By.Session, token = issuer.By.Token,
            },
            transaction, cancellationToken: ct));
        // Who issued a code for whom, and which tablet redeemed it (below), are on the security audit: a code issued for
        // another expert lets its holder mark as that expert (docs/security.md, "Tablets").
        await SecurityAudit.WriteAsync(connection, transaction, issuedBy, "pairing.issue", expertId, $"{competition}/{skill}", ct);
        await transaction.CommitAsync(ct);
        return new PairingCode(code, expertId, expires);
    }

    /// <summary>
    /// Redeems a code once; null when unknown, used, revoked or expired, or when the tablet that issued it has been
    /// revoked, or the account that issued it disabled, or its session ended or its API token revoked since (the caller
    /// cannot tell which).
    /// </summary>
    /// <summary>
    /// Redeems a code, unless <paramref name="accept"/> (given the code's competition, skill and expert) declines it: then
    /// nothing is written and the code stays redeemable (<c>Declined</c>). A null device that was not declined: the code is
    /// wrong, expired, used or void.
    /// </summary>
    /// <summary>
    /// A code (<c>p</c>) that can still pair a tablet: unused, not voided, not expired, and the credential that issued it still
    /// good: that tablet not revoked, that account not disabled, that session not ended or expired, that API token not
    /// revoked or expired (docs/security.md, "Tablets"; found by an outside tester: a code issued with a token that had since
    /// expired still paired a tablet).
    /// </summary>
    const string Redeemable = """
        (p.used_at is null and p.revoked_at is null and p.expires_at > now()
          and (p.issuer_device is null or exists (select 1 from skillshub.devices d where d.id = p.issuer_device and d.revoked_at is null))
          and (p.issuer_account is null or exists (select 1 from skillshub.accounts a where a.id = p.issuer_account and a.disabled_at is null))
          and (p.issuer_session is null or exists (select 1 from skillshub.sessions s where s.id = p.issuer_session and s.ended_at is null and s.expires_at > now()))
          and (p.issuer_token is null or exists (select 1 from skillshub.api_tokens t where t.id = p.issuer_token and t.revoked_at is null
            and (t.expires_at is null or t.expires_at > now()))))
        """;

    public async Task<(PairedDevice? Device, bool Declined)> RedeemAsync(string code, string deviceName, Func<string, int, string, Task<bool>>? accept, CancellationToken ct = default)
    {
        var codeHash = BearerTokens.Hash(Normalise(code));
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string competition_code, short skill_number, string expert_id, string issued_by)>(new CommandDefinition($"""
            update skillshub.pairing_codes p set used_at = now()
            where p.code_hash = @hash and {Redeemable}
            returning competition_code, skill_number, expert_id, issued_by
            """, new { hash = codeHash }, transaction, cancellationToken: ct));
        if (row.competition_code is null)
        {
            return (null, false);
        }
        if (accept is not null && !await accept(row.competition_code, row.skill_number, row.expert_id))
        {
            // The code's use is rolled back with the transaction: it stays redeemable where it belongs.
            return (null, true);
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = Guid.NewGuid();
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.devices (id, token_hash, competition_code, skill_number, expert_id, device_name, pairing_code_hash)
            values (@id, @hash, @competition, @skill, @expert, @name, @code)
            """, new { id, hash = BearerTokens.Hash(token), competition = row.competition_code, skill = row.skill_number, expert = row.expert_id, name = deviceName,
                code = codeHash }, transaction, cancellationToken: ct));
        await SecurityAudit.WriteAsync(connection, transaction, row.issued_by, "device.pair", row.expert_id,
            $"{row.competition_code}/{row.skill_number}: device {id} {Quoted(deviceName)} redeemed a code issued by {row.issued_by}", ct);
        await transaction.CommitAsync(ct);
        return (new PairedDevice(id, token, row.competition_code, row.skill_number, row.expert_id), false);
    }

    /// <summary>
    /// A name the tablet chose, quoted in the audit's detail so that it cannot end its quote: in double quotes, a quote or
    /// backslash in it escaped (found by an outside tester: a name with a single quote wrote a second sentence, naming
    /// another issuer, into the detail).
    /// </summary>
    internal static string Quoted(string name) => $"\"{name.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    public sealed record CodeState(string Code, string State, string? DeviceName);

    /// <summary>
    /// Where the skill's codes stand, for whoever issued them: <c>waiting</c> (redeemable), <c>used</c> (with the tablet it
    /// paired) or <c>void</c> (expired, voided, not a code of this skill, or issued by someone else: docs/security.md, "Tablets").
    /// </summary>
    public async Task<IReadOnlyList<CodeState>> CodeStatesAsync(string competition, int skill, IReadOnlyList<string> codes, string issuedBy, CancellationToken ct = default)
    {
        var hashes = codes.ToDictionary(c => c, c => BearerTokens.Hash(Normalise(c)));
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<(string code_hash, bool waiting, bool used, string? device_name)>(new CommandDefinition($"""
            select p.code_hash, {Redeemable}, p.used_at is not null, d.device_name
            from skillshub.pairing_codes p left join skillshub.devices d on d.pairing_code_hash = p.code_hash
            where p.competition_code = @competition and p.skill_number = @skill and p.code_hash = any(@hashes) and p.issued_by = @issuedBy
            """, new { competition, skill = (short)skill, hashes = hashes.Values.Distinct().ToArray(), issuedBy }, cancellationToken: ct)))
            .ToDictionary(r => r.code_hash, StringComparer.Ordinal);
        return codes.Select(c => rows.TryGetValue(hashes[c], out var r)
            ? new CodeState(c, r.used ? "used" : r.waiting ? "waiting" : "void", r.used ? r.device_name : null)
            : new CodeState(c, "void", null)).ToList();
    }

    /// <summary>
    /// The paired, unrevoked device holding the token, read from PostgreSQL for this request (no cache: a revoked
    /// tablet is refused by every node at its next request). Lookups that arrive while one is in flight share the
    /// next query (docs/security.md, "Tablets"): each still reads the rows after its request arrived.
    /// </summary>
    public async Task<DeviceIdentity?> FindByTokenAsync(string token, CancellationToken ct = default)
    {
        var lookup = new Lookup(BearerTokens.Hash(token), new TaskCompletionSource<DeviceIdentity?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_lookups.TryEnqueue(lookup))
        {
            throw new ObjectDisposedException(nameof(DeviceStore), "The node is stopping.");
        }
        return await lookup.Found.Task.WaitAsync(ct);
    }

    sealed record Lookup(string Hash, TaskCompletionSource<DeviceIdentity?> Found) : IGroupItem
    {
        public void Fail(Exception error) => Found.TrySetException(error);
    }

    readonly GroupQueue<Lookup> _lookups = new(group => FindAllAsync(db, group), maxGroup: 64, concurrency: 2);

    /// <summary>One query for the group's tokens; an error (the database down) fails every lookup of the group.</summary>
    static async Task FindAllAsync(NpgsqlDataSource db, List<Lookup> group)
    {
        var found = await UnrevokedAsync(db, group.Select(l => l.Hash), CancellationToken.None);
        foreach (var l in group)
        {
            l.Found.TrySetResult(found.GetValueOrDefault(l.Hash));
        }
    }

    /// <summary>The paired, unrevoked devices among these token hashes, by hash: every request's check, and the hub's (<see cref="LiveConnections"/>).</summary>
    public static async Task<Dictionary<string, DeviceIdentity>> UnrevokedAsync(NpgsqlDataSource db, IEnumerable<string> tokenHashes, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(string token_hash, Guid id, string competition_code, short skill_number, string expert_id, string device_name)>(new CommandDefinition(
            "select token_hash, id, competition_code, skill_number, expert_id, device_name from skillshub.devices where token_hash = any(@hashes) and revoked_at is null",
            new { hashes = tokenHashes.Distinct().ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.token_hash, r => new DeviceIdentity(r.id, r.competition_code, r.skill_number, r.expert_id, r.device_name), StringComparer.Ordinal);
    }

    public ValueTask DisposeAsync() => _lookups.DisposeAsync();

    public async Task<IReadOnlyList<DeviceView>> ListAsync(string competition, int skill, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DeviceView>(new CommandDefinition("""
            select id, expert_id as ExpertId, device_name as DeviceName, paired_at as PairedAt, revoked_at as RevokedAt, revoke_reason as RevokeReason
            from skillshub.devices where competition_code = @competition and skill_number = @skill order by paired_at
            """, new { competition, skill = (short)skill }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// Revokes one device of the skill (an organiser or the skill's Chief Expert); false when it is not a device of that
    /// skill or already revoked. Audited like an admin's revocation (found by an outside tester: it was not).
    /// </summary>
    public Task<bool> RevokeAsync(string competition, int skill, Guid deviceId, string revokedBy, string reason, CancellationToken ct = default) =>
        RevokeWhereAsync(deviceId, competition, (short)skill, revokedBy, reason, ct);

    public sealed record ActiveDevice(Guid Id, string CompetitionCode, int SkillNumber, string ExpertId, string DeviceName, DateTime PairedAt);

    /// <summary>Every paired, unrevoked tablet, for the admins' accounts screen.</summary>
    public async Task<IReadOnlyList<ActiveDevice>> ListActiveAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<(Guid id, string competition_code, short skill_number, string expert_id, string device_name, DateTime paired_at)>(new CommandDefinition("""
            select id, competition_code, skill_number, expert_id, device_name, paired_at
            from skillshub.devices where revoked_at is null order by competition_code, skill_number, expert_id, paired_at
            """, cancellationToken: ct));
        return rows.Select(r => new ActiveDevice(r.id, r.competition_code, r.skill_number, r.expert_id, r.device_name, r.paired_at)).ToList();
    }

    /// <summary>An admin revokes any tablet; audited with the reason. False when unknown or already revoked.</summary>
    public Task<bool> RevokeAnyAsync(Guid deviceId, string revokedBy, string reason, CancellationToken ct = default) =>
        RevokeWhereAsync(deviceId, null, null, revokedBy, reason, ct);

    /// <summary>
    /// Revokes every tablet of an expert of the skill (one taken off it), each audited, and first voids the pairing codes
    /// issued for them and not yet redeemed (audited as one row), so none pairs a tablet afterwards (found by an outside
    /// tester: a code issued before the removal paired a tablet after it, which worked again once the expert was named
    /// again). A redemption racing the removal either finished first, and its tablet is revoked here, or finds its code
    /// void. Returns how many tablets were revoked.
    /// </summary>
    public async Task<int> RevokeExpertsAsync(string competition, int skill, string expertId, string revokedBy, string reason, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            var voided = await connection.ExecuteAsync(new CommandDefinition("""
                update skillshub.pairing_codes set revoked_at = now()
                where competition_code = @competition and skill_number = @skill and expert_id = @expertId
                  and used_at is null and revoked_at is null and expires_at > now()
                """, new { competition, skill = (short)skill, expertId }, transaction, cancellationToken: ct));
            if (voided > 0)
            {
                await SecurityAudit.WriteAsync(connection, transaction, revokedBy, "pairing.revoke", expertId, $"{competition}/{skill}: {Domain.Text.Counted.Of(voided, "unused pairing code", "unused pairing codes")}: {reason}", ct);
            }
            await transaction.CommitAsync(ct);
        }
        var devices = await connection.QueryAsync<Guid>(new CommandDefinition("""
            select id from skillshub.devices where competition_code = @competition and skill_number = @skill and expert_id = @expertId and revoked_at is null
            """, new { competition, skill = (short)skill, expertId }, cancellationToken: ct));
        var revoked = 0;
        foreach (var device in devices)
        {
            revoked += await RevokeAsync(competition, skill, device, revokedBy, reason, ct) ? 1 : 0;
        }
        return revoked;
    }

    /// <summary>Revokes the device (of that skill when one is given) and writes <c>device.revoke</c> to the security audit in the same transaction.</summary>
    async Task<bool> RevokeWhereAsync(Guid deviceId, string? competition, short? skill, string revokedBy, string reason, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var expert = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            update skillshub.devices set revoked_at = now(), revoked_by = @revokedBy, revoke_reason = @reason
            where id = @deviceId and revoked_at is null
              and (@competition::text is null or (competition_code = @competition and skill_number = @skill::smallint))
            returning competition_code || '/' || skill_number || '/' || expert_id
            """, new { deviceId, competition, skill, revokedBy, reason }, transaction, cancellationToken: ct));
        if (expert is null)
        {
            return false;
        }
        await SecurityAudit.WriteAsync(connection, transaction, revokedBy, "device.revoke", expert, $"device {deviceId}: {reason}", ct);
        await VoidCodesIssuedByAsync(connection, transaction, new IssuedBy(Device: deviceId), revokedBy, expert, $"issued by device {deviceId}: {reason}", ct);
        await transaction.CommitAsync(ct);
        live.CheckNow();
        return true;
    }

    /// <summary>
    /// Voids the unused pairing codes a tablet or an account issued (audited as one row when there were any): the tablet was
    /// revoked, the account's sessions all ended, or the one session or API token ended. Found by outside testers: a code
    /// issued from a stolen tablet paired a new one after the tablet was revoked, and one issued with an API token after
    /// the token was revoked.
    /// </summary>
    internal static async Task VoidCodesIssuedByAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IssuedBy by,
        string actor, string target, string reason, CancellationToken ct)
    {
        var voided = await connection.ExecuteAsync(new CommandDefinition("""
            update skillshub.pairing_codes set revoked_at = now()
            where (issuer_device = @device or issuer_account = @account or issuer_session = @session or issuer_token = @token)
              and used_at is null and revoked_at is null and expires_at > now()
            """, new { device = by.Device, account = by.Account, session = by.Session, token = by.Token }, transaction, cancellationToken: ct));
        if (voided > 0)
        {
            await SecurityAudit.WriteAsync(connection, transaction, actor, "pairing.revoke", target, $"{Domain.Text.Counted.Of(voided, "unused pairing code", "unused pairing codes")} {reason}", ct);
        }
    }

    static string Normalise(string code) => code.Trim().ToUpperInvariant().Replace("-", "").Replace(" ", "");
}
