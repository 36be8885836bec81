// Dapper.AOT is not enabled in this project; plain Dapper is intended here.

using System.Security.Cryptography;
using SkillsHub.Domain.Credentials;

namespace SkillsHub.Server.Credentials;

/// <summary>
/// The signed credentials (credentials, status_list_counters) and certificate status changes
/// (certificates.status, certificate_status_events); <see cref="CredentialIssuer"/> signs and decides, this stores.
/// </summary>
public sealed class CredentialStore(NpgsqlDataSource db)
{
    public async Task<IssuedCredential?> FindAsync(string number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await FindAsync(connection, number, ct);
    }

    static Task<IssuedCredential?> FindAsync(NpgsqlConnection connection, string number, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<IssuedCredential>(new CommandDefinition(
            "select number, agency_key as AgencyKey, status_index as StatusIndex, key_id as KeyId, jwt from skillshub.credentials where number = @number", new { number }, cancellationToken: ct));

    /// <summary>
    /// Allocates the certificate's status-list index, has <paramref name="sign"/> sign the credential for it and stores it,
    /// in one transaction; when another node stored one first, that one (the index goes back with the rollback).
    /// </summary>
    public async Task<IssuedCredential?> IssueAsync(string number, string agency, Func<int, (string KeyId, string Jwt)> sign, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("insert into skillshub.status_list_counters (agency_key) values (@agency) on conflict do nothing",
            new { agency }, transaction, cancellationToken: ct));
        // The counter row lock serialises allocations per agency; a rollback (lost race) returns the index. The counter
        // counts the agency's indices; the index itself is drawn at random among the free ones of the lists' size
        // (docs/credentials.md, "The credential"), never in issuing order.
        var issued = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "update skillshub.status_list_counters set next_index = next_index + 1 where agency_key = @agency returning next_index - 1",
            new { agency }, transaction, cancellationToken: ct));
        var index = await FreeIndexAsync(connection, transaction, agency, BitstringStatusList.EntriesFor(issued), ct);
        var (keyId, jwt) = sign(index);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.credentials (number, agency_key, status_index, key_id, jwt) values (@number, @agency, @index, @keyId, @jwt) on conflict (number) do nothing
            """, new { number, agency, index, keyId, jwt }, transaction, cancellationToken: ct));
        if (inserted == 0)
        {
            await transaction.RollbackAsync(ct);
            return await FindAsync(connection, number, ct);
        }
        await transaction.CommitAsync(ct);
        return new IssuedCredential(number, agency, index, keyId, jwt);
    }

    /// <summary>
    /// A random index below <paramref name="entries"/> that none of the agency's credentials holds. At most half are held
    /// (<see cref="BitstringStatusList.EntriesFor"/>), so eight draws find one at least 255 times in 256.
    /// </summary>
    static async Task<int> FreeIndexAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agency, int entries, CancellationToken ct)
    {
        while (true)
        {
            var drawn = Enumerable.Range(0, 8).Select(_ => RandomNumberGenerator.GetInt32(entries)).ToArray();
            var held = (await connection.QueryAsync<int>(new CommandDefinition(
                "select status_index from skillshub.credentials where agency_key = @agency and status_index = any(@drawn)",
                new { agency, drawn }, transaction, cancellationToken: ct))).ToHashSet();
            if (drawn.FirstOrDefault(i => !held.Contains(i), -1) is >= 0 and var free)
            {
                return free;
            }
        }
    }

    /// <summary>The size of the agency's status lists and the indices of its certificates in <paramref name="status"/>.</summary>
    public async Task<(int Size, IReadOnlyList<int> Set)> StatusBitsAsync(string agencyKey, string status, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var size = BitstringStatusList.EntriesFor(await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "select next_index from skillshub.status_list_counters where agency_key = @agencyKey", new { agencyKey }, cancellationToken: ct)) ?? 0);
        var set = await connection.QueryAsync<int>(new CommandDefinition("""
            select r.status_index from skillshub.credentials r join skillshub.certificates c on c.number = r.number
            where r.agency_key = @agencyKey and c.status = @status
            """, new { agencyKey, status }, cancellationToken: ct));
        return (size, set.ToList());
    }

    /// <summary>
    /// When the agency's status lists last changed: the latest status change of one of its certificates with a credential,
    /// or the latest credential issued (a new entry), else when its signing key was made; null without any of these. The
    /// lists' <c>validFrom</c>, so a list reads the same until it changes (docs/credentials.md, "Revocation and suspension").
    /// </summary>
    public async Task<DateTimeOffset?> StatusListsChangedAsync(string agencyKey, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var changed = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("""
            select coalesce(greatest(
                (select max(c.status_changed_at) from skillshub.credentials r join skillshub.certificates c on c.number = r.number where r.agency_key = @agencyKey),
                (select max(r.issued_at) from skillshub.credentials r where r.agency_key = @agencyKey)),
                (select min(k.created_at) from skillshub.agency_keys k where k.agency_key = @agencyKey))
            """, new { agencyKey }, cancellationToken: ct));
        // timestamptz comes as a UTC DateTime.
        return changed is { } utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : null;
    }

    public async Task<(string Name, string Type)?> AgencyAsync(string agencyKey, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Name, string Type)>(new CommandDefinition(
            "select name, type::text from skillshub.agencies where key = @agencyKey", new { agencyKey }, cancellationToken: ct));
        return row.Name is null ? null : row;
    }

    /// <summary>
    /// Locks the certificate's status, asks <paramref name="next"/> for the new one (null: the change is refused) and
    /// records it with its reason and event, in one transaction. Returns the status before and the one recorded.
    /// </summary>
    public async Task<(string? Current, string? Next)> ChangeStatusAsync(string number, string action, string reason, string actor, Func<string?, string?> next, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "select status from skillshub.certificates where number = @number for update", new { number }, transaction, cancellationToken: ct));
        if (next(current) is not { } status)
        {
            return (current, null);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            update skillshub.certificates set status = @status, status_reason = @statusReason, status_changed_at = now(), status_changed_by = @actor where number = @number;
            insert into skillshub.certificate_status_events (number, action, reason, actor) values (@number, @action, @reason, @actor);
            delete from skillshub.certificate_pdfs where number = @number;
            """, new { number, status, statusReason = status == "valid" ? null : reason, reason, actor, action }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return (current, status);
    }
}
