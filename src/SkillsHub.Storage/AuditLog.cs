using Dapper;
using Npgsql;

namespace SkillsHub.Storage;

public sealed record AuditEntry(
    string CompetitionCode,
    int SkillNumber,
    string? CompetitorId,
    string? AspectId,
    string Actor,
    string? Device,
    string Action,
    string Outcome,
    string? OldValue,
    string? NewValue,
    string? Reason,
    string? IdempotencyKey,
    IReadOnlyList<string>? Aspects = null);

/// <summary>
/// The append-only audit trail (skillshub.audit). A mark's audit rows are written in the mark's own
/// transaction (<see cref="MarkStore"/>), exactly once; other actions (locks, visibility) append here.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource db)
{
    const string InsertSql = """
        insert into skillshub.audit (competition_code, skill_number, competitor_id, aspect_id, actor, device, action, outcome, old_value, new_value, reason, idempotency_key, aspects)
        select c, s, who, a, act_by, dev, act, res, ov, nv, why, k, string_to_array(aspects, ' ')
        from unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
            as u(c, s, who, a, act_by, dev, act, res, ov, nv, why, k, aspects)
        """;

    /// <summary>Appends entries in one durable commit.</summary>
    public async Task WriteAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(InsertSql, connection);
        AddParameters(command.Parameters, entries);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The insert of <paramref name="entries"/> as one command of a caller's batch (one transaction).</summary>
    public static NpgsqlBatchCommand InsertCommand(IReadOnlyList<AuditEntry> entries)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        AddParameters(command.Parameters, entries);
        return command;
    }

    static void AddParameters(NpgsqlParameterCollection p, IReadOnlyList<AuditEntry> entries)
    {
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.CompetitionCode).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => (short)e.SkillNumber).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.CompetitorId).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.AspectId).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.Actor).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.Device).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.Action).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.Outcome).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.OldValue).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.NewValue).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.Reason).ToArray() });
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.IdempotencyKey).ToArray() });
        // An array a row, passed as its ids joined by spaces (never part of an id: Domain's Identifiers).
        p.Add(new NpgsqlParameter { Value = entries.Select(e => e.Aspects is null ? null : string.Join(' ', e.Aspects)).ToArray() });
    }

    /// <summary>A row as read. <c>AspectIds</c>: every aspect the row is about (a refused batch's, a batch's stale marks),
    /// or its one aspect, or null for a skill-level action. <c>Key</c>: the batch's Idempotency-Key for a mark's row (a
    /// resend answered from its first answer writes no row; two rows with two keys are two batches), else null.</summary>
    public sealed record AuditRow(long Id, DateTime At, string? CompetitorId, string? AspectId, string[]? AspectIds, string Actor, string? Device, string Action, string Outcome, string? OldValue, string? NewValue, string? Reason, string? Key = null);

    /// <summary>The skill's rows, newest first; <paramref name="before"/> (an id) pages back through older ones.</summary>
    public async Task<IReadOnlyList<AuditRow>> ReadAsync(string competition, int skill, string? competitorId, string? aspectId, int limit, CancellationToken ct = default, long? before = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // The aspects come as one string (ids never hold a space): Dapper does not bind a text[] column to a record's string[].
        var rows = await connection.QueryAsync<StoredRow>(new CommandDefinition("""
            select id, at, competitor_id as CompetitorId, aspect_id as AspectId, array_to_string(coalesce(aspects, array[aspect_id]), ' ') as AspectIds,
                   actor, device, action, outcome, old_value as OldValue, new_value as NewValue, reason, idempotency_key as Key
            from skillshub.audit
            where competition_code = @competition and skill_number = @skill
              and (@competitorId::text is null or competitor_id = @competitorId)
              and (@aspectId::text is null or aspect_id = @aspectId or aspects @> array[@aspectId::text])
              and (@before::bigint is null or id < @before)
            order by id desc limit @limit
            """, new { competition, skill = (short)skill, competitorId, aspectId, limit, before }, cancellationToken: ct));
        return rows.Select(r => new AuditRow(r.Id, r.At, r.CompetitorId, r.AspectId, r.AspectIds is { Length: > 0 } ids ? ids.Split(' ') : null,
            r.Actor, r.Device, r.Action, r.Outcome, r.OldValue, r.NewValue, r.Reason, r.Key)).ToList();
    }

    sealed record StoredRow(long Id, DateTime At, string? CompetitorId, string? AspectId, string? AspectIds, string Actor, string? Device, string Action, string Outcome, string? OldValue, string? NewValue, string? Reason, string? Key);
}
