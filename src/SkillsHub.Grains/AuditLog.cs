using Dapper;
using Npgsql;

namespace SkillsHub.Grains;

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
    string? IdempotencyKey);

/// <summary>The append-only audit trail (skillshub.audit). Re-sending an idempotent write adds no second row.</summary>
public sealed class AuditLog(NpgsqlDataSource db)
{
    /// <summary>
    /// Appends entries. With <paramref name="flushedByNextCommit"/> the commit does not wait for the
    /// disk: for callers that make a synchronous commit right after, which flushes this one too.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default, bool flushedByNextCommit = false)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (flushedByNextCommit)
        {
            await connection.ExecuteAsync(new CommandDefinition("set local synchronous_commit = off", transaction: transaction, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.audit (competition_code, skill_number, competitor_id, aspect_id, actor, device, action, outcome, old_value, new_value, reason, idempotency_key)
            select * from unnest(@competition, @skill, @competitor, @aspect, @actor, @device, @action, @outcome, @old, @new, @reason, @key)
            on conflict do nothing
            """, new
        {
            competition = entries.Select(e => e.CompetitionCode).ToArray(),
            skill = entries.Select(e => (short)e.SkillNumber).ToArray(),
            competitor = entries.Select(e => e.CompetitorId).ToArray(),
            aspect = entries.Select(e => e.AspectId).ToArray(),
            actor = entries.Select(e => e.Actor).ToArray(),
            device = entries.Select(e => e.Device).ToArray(),
            action = entries.Select(e => e.Action).ToArray(),
            outcome = entries.Select(e => e.Outcome).ToArray(),
            old = entries.Select(e => e.OldValue).ToArray(),
            @new = entries.Select(e => e.NewValue).ToArray(),
            reason = entries.Select(e => e.Reason).ToArray(),
            key = entries.Select(e => e.IdempotencyKey).ToArray(),
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    public sealed record AuditRow(long Id, DateTime At, string? CompetitorId, string? AspectId, string Actor, string? Device, string Action, string Outcome, string? OldValue, string? NewValue, string? Reason);

    public async Task<IReadOnlyList<AuditRow>> ReadAsync(string competition, int skill, string? competitorId, string? aspectId, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition("""
            select id, at, competitor_id as CompetitorId, aspect_id as AspectId, actor, device, action, outcome, old_value as OldValue, new_value as NewValue, reason
            from skillshub.audit
            where competition_code = @competition and skill_number = @skill
              and (@competitorId::text is null or competitor_id = @competitorId)
              and (@aspectId::text is null or aspect_id = @aspectId)
            order by id desc limit @limit
            """, new { competition, skill = (short)skill, competitorId, aspectId, limit }, cancellationToken: ct));
        return rows.ToList();
    }
}
