using System.Threading.Channels;
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

/// <summary>
/// The append-only audit trail (skillshub.audit). Re-sending an idempotent write adds no second row.
/// </summary>
/// <remarks>
/// Marks' audit rows go through a group commit: a single writer takes every row waiting at that moment
/// and inserts them in one statement, through connections whose commits do not wait for the disk
/// (synchronous_commit off); each mark's synchronous state write right after flushes them. Alone, a
/// row goes out at once; under load, one round trip carries the rows of many marks.
/// </remarks>
public sealed class AuditLog : IAsyncDisposable
{
    const int MaxRowsPerInsert = 500;

    readonly NpgsqlDataSource _db;
    readonly NpgsqlDataSource _relaxed;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;

    sealed record Pending(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Written);

    /// <param name="db">The database; commits wait for the disk.</param>
    /// <param name="relaxed">The same database through connections with synchronous_commit off.</param>
    public AuditLog(NpgsqlDataSource db, NpgsqlDataSource relaxed)
    {
        _db = db;
        _relaxed = relaxed;
        _writer = Task.Run(WriteQueuedAsync);
    }

    public static AuditLog Create(NpgsqlDataSource db, string connectionString)
    {
        var relaxed = new NpgsqlConnectionStringBuilder(connectionString);
        relaxed.Options = (relaxed.Options + " -c synchronous_commit=off").Trim();
        return new AuditLog(db, NpgsqlDataSource.Create(relaxed.ConnectionString));
    }

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
        if (!flushedByNextCommit)
        {
            await InsertAsync(_db, entries, ct);
            return;
        }
        var pending = new Pending(entries, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(AuditLog));
        }
        await pending.Written.Task.WaitAsync(ct);
    }

    async Task WriteQueuedAsync()
    {
        var batch = new List<Pending>();
        var rows = new List<AuditEntry>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            rows.Clear();
            while (rows.Count < MaxRowsPerInsert && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                rows.AddRange(next.Entries);
            }
            try
            {
                await InsertAsync(_relaxed, rows, CancellationToken.None);
                batch.ForEach(p => p.Written.TrySetResult());
            }
            catch (Exception e)
            {
                // Every waiting write fails as its own insert would have; callers retry.
                batch.ForEach(p => p.Written.TrySetException(e));
            }
        }
    }

    static async Task InsertAsync(NpgsqlDataSource source, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
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
        }, cancellationToken: ct));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        await _relaxed.DisposeAsync();
    }

    public sealed record AuditRow(long Id, DateTime At, string? CompetitorId, string? AspectId, string Actor, string? Device, string Action, string Outcome, string? OldValue, string? NewValue, string? Reason);

    public async Task<IReadOnlyList<AuditRow>> ReadAsync(string competition, int skill, string? competitorId, string? aspectId, int limit, CancellationToken ct = default)
    {
        await using var connection = await _db.OpenConnectionAsync(ct);
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
