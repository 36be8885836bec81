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

/// <summary>
/// Everything one batch writes, in one transaction. <paramref name="RulesVersion"/> is the version of the skill's
/// marking rules the batch was checked against: entries are written only while those are still the skill's rules
/// (<see cref="MarkStore.AdvanceRulesAsync"/>).
/// </summary>
public sealed record MarkWrite(
    string Competition,
    int Skill,
    string CompetitorId,
    KeyRecord Request,
    IReadOnlyList<AuditEntry> Audit,
    IReadOnlyList<StoredEntry> Entries,
    long FromVersion,
    long ToVersion,
    long RulesVersion);

/// <summary>
/// Storage of mark sheets (skillshub.mark_entries, mark_sheets, mark_requests; docs/scoring.md,
/// "Idempotency"). A batch's key record, its audit rows and its entries are written in one transaction,
/// which commits durably before the mark is acknowledged.
/// </summary>
public sealed class MarkStore : IAsyncDisposable
{
    readonly NpgsqlDataSource db;
    readonly GroupQueue<Pending> _writes;

    public MarkStore(NpgsqlDataSource db)
    {
        this.db = db;
        _writes = new GroupQueue<Pending>(FlushAsync, MaxBatchesPerTransaction, Transactions);
    }

    /// <summary>PostgreSQL's unique_violation: the key was used before (by this or another competitor's sheet).</summary>
    public static bool IsKeyUsed(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "mark_requests_pkey" };

    /// <summary>The skill's marking rules changed after the batch was checked against them: nothing was written.</summary>
    public static bool IsRulesChanged(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.RaiseException, ConstraintName: "skill_rules_version" };

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

    /// <summary>
    /// The skill's rules version once its rules are loaded: the stored one, or <paramref name="version"/> when that is
    /// newer (a change whose grain state was not written still advanced the row; docs/scoring.md, "Rule changes and
    /// marks in flight").
    /// </summary>
    public async Task<long> ReconcileRulesAsync(string competition, int skill, long version, CancellationToken ct = default)
    {
        await using var command = db.CreateCommand("""
            insert into skillshub.skill_rules (competition_code, skill_number, version) values ($1, $2, $3)
            on conflict (competition_code, skill_number) do update set version = greatest(skill_rules.version, excluded.version)
            returning version
            """);
        AddParameters(command.Parameters, competition, (short)skill, version);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Makes <paramref name="version"/> the skill's rules version before a rule change is stored. It waits for every
    /// batch in flight to commit or fail; from then on, a batch checked under an older version writes nothing
    /// (<see cref="IsRulesChanged"/>) and is checked again. With <paramref name="onlyWithoutMarks"/>, nothing changes and
    /// the answer is false when the skill already has a mark, including one that was in flight. The change's audit row
    /// (<paramref name="change"/>) is written in the same transaction, so it precedes in the trail every mark checked under
    /// the new rules (found by an outside tester: a mark accepted under a new scheme was audited before the scheme change).
    /// </summary>
    public async Task<bool> AdvanceRulesAsync(string competition, int skill, long version, bool onlyWithoutMarks, AuditEntry change, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var advance = new NpgsqlCommand("""
            insert into skillshub.skill_rules (competition_code, skill_number, version) values ($1, $2, $3)
            on conflict (competition_code, skill_number) do update set version = excluded.version
            """, connection, transaction))
        {
            AddParameters(advance.Parameters, competition, (short)skill, version);
            await advance.ExecuteNonQueryAsync(ct);
        }
        if (onlyWithoutMarks)
        {
            // A new statement sees what the batches this one waited for committed.
            await using var marked = new NpgsqlCommand(
                "select exists (select 1 from skillshub.mark_entries where competition_code = $1 and skill_number = $2)", connection, transaction);
            AddParameters(marked.Parameters, competition, (short)skill);
            if ((bool)(await marked.ExecuteScalarAsync(ct))!)
            {
                await transaction.RollbackAsync(ct);
                return false;
            }
        }
        await using (var audit = new NpgsqlBatch(connection, transaction) { BatchCommands = { AuditLog.InsertCommand([change]) } })
        {
            await audit.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return true;
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
    /// Writes the batch in one transaction, acknowledged (the task completes) once it committed durably:
    /// the check that the skill's rules are still those the batch was checked against (see <see cref="IsRulesChanged"/>),
    /// the key record (a used key aborts everything, see <see cref="IsKeyUsed"/>), the audit rows,
    /// the changed entries and the sheet's new version (a concurrent writer aborts everything, see
    /// <see cref="IsVersionConflict"/>). Batches of other sheets that arrive while a transaction is in
    /// flight share the next one (group commit, docs/scoring.md, "Durability").
    /// </summary>
    public Task CommitAsync(MarkWrite write)
    {
        var pending = new Pending(write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_writes.TryEnqueue(pending))
        {
            throw new ObjectDisposedException(nameof(MarkStore), "The node is stopping; the batch was not written.");
        }
        return pending.Done.Task;
    }

    /// <summary>At most this many batches share one transaction.</summary>
    const int MaxBatchesPerTransaction = 32;

    /// <summary>Transactions in flight at once: one can wait for its WAL flush while the next is executed.</summary>
    const int Transactions = 2;

    sealed record Pending(MarkWrite Write, TaskCompletionSource Done) : IGroupItem
    {
        public void Fail(Exception error) => Done.TrySetException(error);
    }

    async Task FlushAsync(List<Pending> group)
    {
        try
        {
            await WriteAsync(group.Select(p => p.Write).ToList());
            foreach (var p in group)
            {
                p.Done.TrySetResult();
            }
        }
        catch (PostgresException e) when (group.Count > 1 && IsStatementError(e))
        {
            // The server refused one batch's statement and rolled the whole transaction back: nothing of
            // the group was written. Each batch again on its own, so a refusal reaches only its batch.
            foreach (var p in group)
            {
                try
                {
                    await WriteAsync([p.Write]);
                    p.Done.TrySetResult();
                }
                catch (Exception alone)
                {
                    p.Done.TrySetException(alone);
                }
            }
        }
        // Any other error (connection lost, server stopping) reaches every batch of the group through the queue
        // (IGroupItem.Fail): whether the commit happened is unknown for all of them.
    }

    /// <summary>
    /// An error of one statement (a used key, a sheet at another version, bad data), after which the
    /// server rolled the transaction back; not a lost connection or a stopping server, after which
    /// whether the commit happened is unknown.
    /// </summary>
    static bool IsStatementError(PostgresException e) => e.SqlState[..2] is "22" or "23" or "40" or "42" or "P0";

    /// <summary>
    /// The group's rows in four statements whatever its size (each row set as arrays, unnested): key records,
    /// entries, sheet versions and audit rows.
    /// </summary>
    async Task WriteAsync(IReadOnlyList<MarkWrite> writes)
    {
        await using var connection = await db.OpenConnectionAsync();
        // One round trip and one transaction: without error barriers an error in any command rolls back
        // the whole batch.
        await using var batch = new NpgsqlBatch(connection);
        // First, so the skills' rules rows stay share-locked until the commit and a rule change waits for this
        // transaction; in one order in every transaction, so two of them never wait for each other's rule changes.
        var rules = writes.Where(w => w.Entries.Count > 0).Select(w => (w.Competition, w.Skill, w.RulesVersion)).Distinct()
            .OrderBy(r => r.Competition, StringComparer.Ordinal).ThenBy(r => r.Skill).ThenBy(r => r.RulesVersion).ToList();
        if (rules.Count > 0)
        {
            batch.BatchCommands.Add(Command("select skillshub.check_rules($1, $2, $3)",
                rules.Select(r => r.Competition).ToArray(), rules.Select(r => (short)r.Skill).ToArray(), rules.Select(r => r.RulesVersion).ToArray()));
        }
        batch.BatchCommands.Add(Command("""
            insert into skillshub.mark_requests (competition_code, skill_number, expert_id, idempotency_key, competitor_id, request_hash, answer)
            select c, s, x, k, p, h, a::jsonb from unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[]) as u(c, s, x, k, p, h, a)
            """,
            writes.Select(w => w.Competition).ToArray(), writes.Select(w => (short)w.Skill).ToArray(), writes.Select(w => w.Request.ExpertId).ToArray(),
            writes.Select(w => w.Request.Key).ToArray(), writes.Select(w => w.Request.CompetitorId).ToArray(), writes.Select(w => w.Request.RequestHash).ToArray(),
            writes.Select(w => w.Request.AnswerJson).ToArray()));

        var entries = writes.SelectMany(w => w.Entries.Select(e => (Write: w, Entry: e))).ToList();
        if (entries.Count > 0)
        {
            // A batch names each aspect at most once (MarkRules refuses a repeat) and a group holds one batch
            // per sheet, so this one statement never upserts a row twice.
            batch.BatchCommands.Add(Command("""
                insert into skillshub.mark_entries (competition_code, skill_number, competitor_id, aspect_id, expert_id, score, achieved, deviation, deductions, created_at, device, device_sequence, changed)
                select c, s, p, a, x, sc, ok, dv, dd::int[], at, de, sq, ch
                from unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::boolean[], $8::numeric[], $9::text[], $10::timestamptz[], $11::text[], $12::bigint[], $13::bigint[])
                    as u(c, s, p, a, x, sc, ok, dv, dd, at, de, sq, ch)
                on conflict (competition_code, skill_number, competitor_id, aspect_id, expert_id) do update set
                    score = excluded.score, achieved = excluded.achieved, deviation = excluded.deviation, deductions = excluded.deductions,
                    created_at = excluded.created_at, device = excluded.device, device_sequence = excluded.device_sequence, changed = excluded.changed
                """,
                entries.Select(r => r.Write.Competition).ToArray(), entries.Select(r => (short)r.Write.Skill).ToArray(), entries.Select(r => r.Write.CompetitorId).ToArray(),
                entries.Select(r => r.Entry.AspectId).ToArray(), entries.Select(r => r.Entry.ExpertId).ToArray(),
                entries.Select(r => r.Entry.Score is { } s ? (short?)s : null).ToArray(), entries.Select(r => r.Entry.Achieved).ToArray(),
                entries.Select(r => r.Entry.Deviation).ToArray(),
                // int[] has no array of arrays of different lengths: each entry's deductions as an array literal.
                entries.Select(r => r.Entry.Deductions is { } d ? "{" + string.Join(",", d) + "}" : null).ToArray(),
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = entries.Select(r => r.Entry.CreatedAt?.UtcDateTime).ToArray() },
                entries.Select(r => r.Entry.Device).ToArray(),
                entries.Select(r => r.Entry.DeviceSequence).ToArray(), entries.Select(r => r.Entry.Changed).ToArray()));
        }

        var advanced = writes.Where(w => w.ToVersion != w.FromVersion).ToList();
        if (advanced.Count > 0)
        {
            batch.BatchCommands.Add(Command("select skillshub.advance_sheets($1, $2, $3, $4, $5)",
                advanced.Select(w => w.Competition).ToArray(), advanced.Select(w => (short)w.Skill).ToArray(), advanced.Select(w => w.CompetitorId).ToArray(),
                advanced.Select(w => w.FromVersion).ToArray(), advanced.Select(w => w.ToVersion).ToArray()));
        }

        var audit = writes.SelectMany(w => w.Audit).ToList();
        if (audit.Count > 0)
        {
            batch.BatchCommands.Add(AuditLog.InsertCommand(audit));
        }
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Writes what is queued, then stops the writers (the node is stopping).</summary>
    public ValueTask DisposeAsync() => _writes.DisposeAsync();

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
            parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }
    }
}
