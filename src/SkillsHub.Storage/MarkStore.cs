using Npgsql;
using NpgsqlTypes;

namespace SkillsHub.Storage;

/// <summary>One expert's current entry for one aspect of a competitor, as stored.</summary>
public sealed record StoredEntry(
    string AspectId,
    string ExpertId,
    int? Score,
    bool? Achieved,
    decimal? Deviation,
    IReadOnlyList<int>? Deductions,
    DateTimeOffset? CreatedAt,
    string Device,
    long? DeviceSequence,
    long Changed);

/// <summary>A batch's Idempotency-Key record: who used it, the request's hash and the first answer (JSON).</summary>
public sealed record KeyRecord(string ExpertId, string Key, string CompetitorId, byte[] RequestHash, string AnswerJson);

/// <summary>Everything one batch writes, in one transaction.</summary>
public sealed record MarkWrite(
    string Competition,
    int Skill,
    string CompetitorId,
    KeyRecord Request,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<StoredEntry> Entries,
    long FromVersion,
    long ToVersion);

/// <summary>
/// Storage of mark sheets (skillshub.mark_entries, mark_sheets, mark_requests; docs/scoring.md,
/// "Idempotency"). A batch's key record, its audit rows and its entries are written in one transaction,
/// which commits durably before the mark is acknowledged.
/// </summary>
public sealed class MarkStore(NpgsqlDataSource db)
{
    /// <summary>PostgreSQL's unique_violation: the key was used before (by this or another competitor's sheet).</summary>
    public static bool IsKeyUsed(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "mark_requests_pkey" };

    /// <summary>PostgreSQL's serialization_failure: another activation advanced the sheet first.</summary>
    public static bool IsVersionConflict(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure };

    public async Task<(long Version, List<StoredEntry> Entries)> LoadAsync(string competition, int skill, string competitorId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("select version from skillshub.mark_sheets where competition_code = $1 and skill_number = $2 and competitor_id = $3",
                    competition, (short)skill, competitorId),
                Command("""
                    select aspect_id, expert_id, score, achieved, deviation, deductions, created_at, device, device_sequence, changed
                    from skillshub.mark_entries where competition_code = $1 and skill_number = $2 and competitor_id = $3
                    """, competition, (short)skill, competitorId),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var version = await reader.ReadAsync(ct) ? reader.GetInt64(0) : 0L;
        await reader.NextResultAsync(ct);
        var entries = new List<StoredEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new StoredEntry(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt16(2),
                reader.IsDBNull(3) ? null : reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<int[]>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.GetInt64(9)));
        }
        return (version, entries);
    }

    public async Task<KeyRecord?> FindKeyAsync(string competition, int skill, string expertId, string key, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("""
            select competitor_id, request_hash, answer::text from skillshub.mark_requests
            where competition_code = $1 and skill_number = $2 and expert_id = $3 and idempotency_key = $4
            """, connection);
        AddParameters(command.Parameters, competition, (short)skill, expertId, key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new KeyRecord(expertId, key, reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetString(2))
            : null;
    }

    /// <summary>
    /// Writes the batch in one transaction: the key record first (a used key aborts everything, see
    /// <see cref="IsKeyUsed"/>), the audit rows, the changed entries and the sheet's new version (a
    /// concurrent writer aborts everything, see <see cref="IsVersionConflict"/>).
    /// </summary>
    public async Task CommitAsync(MarkWrite write, CancellationToken ct = default)
    {
        var skill = (short)write.Skill;
        await using var connection = await db.OpenConnectionAsync(ct);
        // One round trip; without error barriers an error in any command rolls back the whole batch.
        await using var batch = new NpgsqlBatch(connection);
        var r = write.Request;
        batch.BatchCommands.Add(Command("""
            insert into skillshub.mark_requests (competition_code, skill_number, expert_id, idempotency_key, competitor_id, request_hash, answer)
            values ($1, $2, $3, $4, $5, $6, $7::jsonb)
            """, write.Competition, skill, r.ExpertId, r.Key, r.CompetitorId, r.RequestHash, r.AnswerJson));
        if (write.Audit.Count > 0)
        {
            batch.BatchCommands.Add(AuditLog.InsertCommand(write.Audit));
        }
        foreach (var e in write.Entries)
        {
            var command = Command("""
                insert into skillshub.mark_entries (competition_code, skill_number, competitor_id, aspect_id, expert_id, score, achieved, deviation, deductions, created_at, device, device_sequence, changed)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                on conflict (competition_code, skill_number, competitor_id, aspect_id, expert_id) do update set
                    score = excluded.score, achieved = excluded.achieved, deviation = excluded.deviation, deductions = excluded.deductions,
                    created_at = excluded.created_at, device = excluded.device, device_sequence = excluded.device_sequence, changed = excluded.changed
                """, write.Competition, skill, write.CompetitorId, e.AspectId, e.ExpertId);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Smallint, Value = e.Score is { } s ? (short)s : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = (object?)e.Achieved ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Numeric, Value = (object?)e.Deviation ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = (object?)e.Deductions?.ToArray() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)e.CreatedAt ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = e.Device });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)e.DeviceSequence ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = e.Changed });
            batch.BatchCommands.Add(command);
        }
        if (write.ToVersion != write.FromVersion)
        {
            batch.BatchCommands.Add(Command("select skillshub.advance_sheet($1, $2, $3, $4, $5)",
                write.Competition, skill, write.CompetitorId, write.FromVersion, write.ToVersion));
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddParameters(command.Parameters, values);
        return command;
    }

    static void AddParameters(NpgsqlParameterCollection parameters, params object[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
