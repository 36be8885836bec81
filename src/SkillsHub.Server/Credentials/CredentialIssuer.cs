// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Certification;

namespace SkillsHub.Server.Credentials;

public sealed record IssuedCredential(string Number, string AgencyKey, int StatusIndex, string KeyId, string Jwt)
{
    /// <summary>The credential (JSON-LD) the JWT carries, without the JWT claims.</summary>
    public JsonObject Document => VcJwt.CredentialOf(VcJwt.TryParse(Jwt, out _)!.Payload);
}

/// <summary>
/// Issues each certificate's signed credential once (on first request, or for a whole session by the
/// bundle job), allocating its status-list index in the same transaction, and answers the status lists.
/// </summary>
public sealed class CredentialIssuer(NpgsqlDataSource db, AgencyKeys keys, RegistryTokens tokens, CertificateStore certificates, Certification.CertificateLookupCache registry)
{
    public Task<CertificateRecord?> CertificateAsync(string number, CancellationToken ct) => certificates.RecordAsync(number, ct);

    public async Task<IssuedCredential?> FindAsync(string number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await FindAsync(connection, number, ct);
    }

    static Task<IssuedCredential?> FindAsync(NpgsqlConnection connection, string number, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<IssuedCredential>(new CommandDefinition(
            "select number, agency_key as AgencyKey, status_index as StatusIndex, key_id as KeyId, jwt from skillshub.credentials where number = @number", new { number }, cancellationToken: ct));

    /// <summary>The certificate's credential, signed now if it has none yet; null when there is no such certificate.</summary>
    public async Task<IssuedCredential?> EnsureAsync(string number, CredentialUrls urls, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await FindAsync(connection, number, ct) is { } existing)
        {
            return existing;
        }
        var certificate = await CertificateStore.RecordAsync(connection, number, ct);
        if (certificate is null)
        {
            return null;
        }
        var key = await keys.ActiveAsync(certificate.AgencyKey, ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("insert into skillshub.status_list_counters (agency_key) values (@agency) on conflict do nothing",
            new { agency = certificate.AgencyKey }, transaction, cancellationToken: ct));
        // The counter row lock serialises allocations per agency; a rollback (lost race) returns the index.
        var index = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "update skillshub.status_list_counters set next_index = next_index + 1 where agency_key = @agency returning next_index - 1",
            new { agency = certificate.AgencyKey }, transaction, cancellationToken: ct));
        // The credential carries the verify link with the certificate's access token (docs/security.md).
        var document = OpenBadgeCredential.Build(certificate.Facts(index), urls with { TokenKey = tokens.Key });
        var input = VcJwt.SigningInput(urls.KeyId(certificate.AgencyKey, key.KeyId), document);
        var jwt = VcJwt.Assemble(input, AgencyKeys.Sign(key, input));
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.credentials (number, agency_key, status_index, key_id, jwt) values (@number, @agency, @index, @keyId, @jwt) on conflict (number) do nothing
            """, new { number, agency = certificate.AgencyKey, index, keyId = key.KeyId, jwt }, transaction, cancellationToken: ct));
        if (inserted == 0)
        {
            await transaction.RollbackAsync(ct);
            return await FindAsync(connection, number, ct);
        }
        await transaction.CommitAsync(ct);
        return new IssuedCredential(number, certificate.AgencyKey, index, key.KeyId, jwt);
    }

    /// <summary>The agency's current list for a purpose: revoked (or suspended) certificates' indices set.</summary>
    public async Task<BitstringStatusList> StatusListAsync(string agencyKey, StatusPurpose purpose, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var size = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "select next_index from skillshub.status_list_counters where agency_key = @agencyKey", new { agencyKey }, cancellationToken: ct)) ?? 0;
        var set = await connection.QueryAsync<int>(new CommandDefinition("""
            select r.status_index from skillshub.credentials r join skillshub.certificates c on c.number = r.number
            where r.agency_key = @agencyKey and c.status = @status
            """, new { agencyKey, status = purpose == StatusPurpose.Revocation ? "revoked" : "suspended" }, cancellationToken: ct));
        return BitstringStatusList.WithBits(set, size);
    }

    public async Task<(string Name, string Type)?> AgencyAsync(string agencyKey, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Name, string Type)>(new CommandDefinition(
            "select name, type::text from skillshub.agencies where key = @agencyKey", new { agencyKey }, cancellationToken: ct));
        return row.Name is null ? null : row;
    }

    public sealed record StatusChange(string Outcome, string? Problem);

    /// <summary>
    /// Revokes (final), suspends or reinstates (lifts a suspension) a certificate of the agency, with the
    /// reason and an audit event. Outcome "not-found" for another agency's certificate, "conflict" for
    /// a change the state forbids (anything after revocation; reinstating what is not suspended).
    /// </summary>
    public async Task<StatusChange> ChangeStatusAsync(string agencyKey, string number, string action, string reason, string actor, CredentialUrls urls, CancellationToken ct)
    {
        // The credential (and its list index) exists before its bit can be set.
        if (await CertificateAsync(number, ct) is not { } certificate || certificate.AgencyKey != agencyKey)
        {
            return new("not-found", null);
        }
        await EnsureAsync(number, urls, ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "select status from skillshub.certificates where number = @number for update", new { number }, transaction, cancellationToken: ct));
        var next = (action, current) switch
        {
            (_, "revoked") => null,
            ("revoke", _) => "revoked",
            ("suspend", "valid") => "suspended",
            ("reinstate", "suspended") => "valid",
            _ => null,
        };
        if (next is null)
        {
            return new("conflict", current == "revoked"
                ? "The certificate is revoked; revocation is final."
                : action == "suspend" ? "The certificate is already suspended." : "Only a suspended certificate can be reinstated.");
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            update skillshub.certificates set status = @next, status_reason = @statusReason, status_changed_at = now(), status_changed_by = @actor where number = @number;
            insert into skillshub.certificate_status_events (number, action, reason, actor) values (@number, @action, @reason, @actor);
            """, new { number, next, statusReason = next == "valid" ? null : reason, reason, actor, action }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        // This node's lookups see the change at once, other nodes' at their next poll (docs/security.md).
        registry.Invalidate(number);
        return new(next, null);
    }
}
