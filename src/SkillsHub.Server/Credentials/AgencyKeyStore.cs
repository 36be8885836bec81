// Dapper.AOT is not enabled in this project; plain Dapper is intended here.

namespace SkillsHub.Server.Credentials;

/// <summary>
/// The agencies' signing keys as stored (agency_keys): public keys, private keys sealed by <see cref="Security.KeyEncryption"/>,
/// one active key per agency (a partial unique index). <see cref="AgencyKeys"/> creates, unseals and uses them.
/// </summary>
public sealed class AgencyKeyStore(NpgsqlDataSource db)
{
    public sealed record KeyRow(string AgencyKey, string KeyId, byte[] PublicKey, byte[] PrivateKey, string KekId);

    const string Columns = "agency_key as AgencyKey, key_id as KeyId, public_key as PublicKey, private_key as PrivateKey, kek_id as KekId";

    public async Task<KeyRow?> ActiveAsync(string agencyKey, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"select {Columns} from skillshub.agency_keys where agency_key = @agencyKey and retired_at is null", new { agencyKey }, cancellationToken: ct));
    }

    /// <summary>Stores a new active key unless the agency has one already (another node was first).</summary>
    public async Task AddAsync(string agencyKey, string keyId, byte[] publicKey, byte[] sealedKey, string kek, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.agency_keys (agency_key, key_id, public_key, private_key, kek_id) values (@agencyKey, @keyId, @publicKey, @sealedKey, @kek)
            on conflict do nothing
            """, new { agencyKey, keyId, publicKey, sealedKey, kek }, cancellationToken: ct));
    }

    /// <summary>The active keys sealed under another key-encryption key than <paramref name="kek"/>.</summary>
    public async Task<IReadOnlyList<KeyRow>> SealedUnderOthersAsync(string kek, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"select {Columns} from skillshub.agency_keys where retired_at is null and kek_id <> @kek", new { kek }, cancellationToken: ct))).ToList();
    }

    /// <summary>Replaces a key's sealed private key if it is still sealed under the key-encryption key it was read with; whether it was.</summary>
    public async Task<bool> ResealAsync(KeyRow row, byte[] sealedKey, string kek, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            update skillshub.agency_keys set private_key = @sealedKey, kek_id = @kek where agency_key = @agencyKey and key_id = @keyId and kek_id = @old
            """, new { sealedKey, kek, agencyKey = row.AgencyKey, keyId = row.KeyId, old = row.KekId }, cancellationToken: ct)) == 1;
    }

    /// <summary>Every public key the agency ever used (retired ones still verify old credentials).</summary>
    public async Task<IReadOnlyList<(string KeyId, byte[] PublicKey)>> PublicKeysAsync(string agencyKey, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(string, byte[])>(new CommandDefinition(
            "select key_id, public_key from skillshub.agency_keys where agency_key = @agencyKey order by created_at", new { agencyKey }, cancellationToken: ct))).ToList();
    }

    /// <summary>Every agency's public keys, for the server-wide JWK Set.</summary>
    public async Task<IReadOnlyList<(string AgencyKey, string KeyId, byte[] PublicKey)>> AllPublicKeysAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(string, string, byte[])>(new CommandDefinition(
            "select agency_key, key_id, public_key from skillshub.agency_keys order by agency_key, created_at", cancellationToken: ct))).ToList();
    }
}
