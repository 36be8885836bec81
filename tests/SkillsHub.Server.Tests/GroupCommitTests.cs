using Npgsql;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Group commit of marks on a real PostgreSQL (docs/scoring.md, "Durability"): batches queued while a transaction is
/// in flight share the next one; a batch the server refuses (a used key, a sheet at another version) rolls its group
/// back, and every other batch of the group is still written, each exactly once, while the refused one writes nothing.
/// The store is a second one on the shared node's database, with a competition of its own.
/// </summary>
[Collection(ServerCollection.Marking)]
public sealed class GroupCommitTests(NodeFixture shared) : IClassFixture<NodeFixture>, IAsyncLifetime
{
    readonly string _code = NodeFixture.NewCode("G");

    /// <summary>A rule change's audit row, written with each advance; under a code of its own, so the counts below are the marks'.</summary>
    AuditEntry Change => new(_code + "R", 7, null, null, "test", null, "test", "changed", null, null, null, null);
    NpgsqlDataSource _db = null!;
    MarkStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = NpgsqlDataSource.Create(shared.Database);
        _store = new MarkStore(_db);
        await _store.AdvanceRulesAsync(_code, 7, 1, onlyWithoutMarks: false, Change);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _db.DisposeAsync();
    }

    MarkWrite Write(string competitor, string key, long from, int value, string expert = "E1") => new(
        _code, 7, competitor,
        new KeyRecord(expert, key, competitor, [(byte)value, 1, 2, 3], $$"""{"ok":true,"v":{{value}}}"""),
        [new AuditEntry(_code, 7, competitor, "A1", expert, "tablet", "mark", "accepted", null, $"deductions {value}", null, key)],
        [new StoredEntry("A1", expert, null, null, null, [value, 0], DateTimeOffset.UtcNow, "tablet", value, from + 1)],
        from, from + 1, 1);

    /// <summary>Queues every write before any is awaited (so they share transactions), then waits for each.</summary>
    async Task<Exception?[]> CommitAllAsync(IEnumerable<MarkWrite> writes)
    {
        var tasks = writes.Select(_store.CommitAsync).ToList();
        var outcomes = new Exception?[tasks.Count];
        for (var i = 0; i < tasks.Count; i++)
        {
            try
            {
                await tasks[i];
            }
            catch (Exception e)
            {
                outcomes[i] = e;
            }
        }
        return outcomes;
    }

    async Task<long> CountAsync(string sql)
    {
        await using var command = _db.CreateCommand(sql);
        command.Parameters.AddWithValue(_code);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task BatchesQueuedTogether_ShareTransactions_AndEachIsWrittenOnce()
    {
        var outcomes = await CommitAllAsync(Enumerable.Range(1, 40).Select(i => Write($"C{i}", $"k{i}", 0, i)));

        Assert.All(outcomes, Assert.Null);
        Assert.Equal(40, await CountAsync("select count(*) from skillshub.mark_entries where competition_code = $1"));
        Assert.Equal(40, await CountAsync("select count(*) from skillshub.mark_requests where competition_code = $1"));
        Assert.Equal(40, await CountAsync("select count(*) from skillshub.audit where competition_code = $1"));
        Assert.Equal(40, await CountAsync("select count(*) from skillshub.mark_sheets where competition_code = $1 and version = 1"));
        // 40 batches queued at once cannot need 40 transactions: at most 32 share one, two are in flight.
        var transactions = await CountAsync("select count(distinct xmin::text) from skillshub.mark_requests where competition_code = $1");
        Assert.InRange(transactions, 2, 20);
        // Deductions (an array per entry) and the stamp survive the arrays the group is sent as.
        Assert.Equal(1, await CountAsync("select count(*) from skillshub.mark_entries where competition_code = $1 and competitor_id = 'C17' and deductions = '{17,0}' and device_sequence = 17"));
    }

    [Fact]
    public async Task ARefusedBatch_RollsBackOnlyItself_TheRestOfItsGroupIsWritten()
    {
        // Sheet S1 at version 1, key "used" taken by expert E1.
        Assert.Null((await CommitAllAsync([Write("S1", "used", 0, 1)]))[0]);

        var writes = Enumerable.Range(2, 12).Select(i => Write($"S{i}", $"fresh{i}", 0, i)).ToList();
        writes.Insert(5, Write("S20", "used", 0, 20));   // the key again, for another competitor
        writes.Insert(9, Write("S1", "stale", 0, 21));   // sheet S1 is at version 1, not 0
        var outcomes = await CommitAllAsync(writes);

        Assert.True(MarkStore.IsKeyUsed(outcomes[5]!), outcomes[5]?.ToString());
        Assert.True(MarkStore.IsVersionConflict(outcomes[9]!), outcomes[9]?.ToString());
        Assert.Equal(12, outcomes.Count(o => o is null));
        // Every accepted batch exactly once; nothing of the refused ones (no entry for S20, S1 unchanged, no audit).
        Assert.Equal(13, await CountAsync("select count(*) from skillshub.mark_entries where competition_code = $1"));
        Assert.Equal(13, await CountAsync("select count(*) from skillshub.audit where competition_code = $1"));
        Assert.Equal(0, await CountAsync("select count(*) from skillshub.mark_entries where competition_code = $1 and competitor_id = 'S20'"));
        Assert.Equal(1, await CountAsync("select count(*) from skillshub.mark_entries where competition_code = $1 and competitor_id = 'S1' and deductions = '{1,0}'"));
        Assert.Equal(0, await CountAsync("select count(*) from skillshub.mark_requests where competition_code = $1 and idempotency_key = 'stale'"));
        Assert.Equal("S1", await ScalarAsync("select competitor_id from skillshub.mark_requests where competition_code = $1 and idempotency_key = 'used'"));
    }

    async Task<string> ScalarAsync(string sql)
    {
        await using var command = _db.CreateCommand(sql);
        command.Parameters.AddWithValue(_code);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The rules version (docs/scoring.md, "Rule changes and marks in flight"): a batch checked under rules that have
    /// since changed writes nothing, and a change that must find no marks is refused once one is in.
    /// </summary>
    [Fact]
    public async Task ABatchCheckedUnderOldRules_WritesNothing_AndARuleChangeNeedingNoMarks_IsRefusedOnceOneIsIn()
    {
        Assert.Null((await CommitAllAsync([Write("R1", "r1", 0, 1)]))[0]);
        Assert.False(await _store.AdvanceRulesAsync(_code, 7, 2, onlyWithoutMarks: true, Change));
        // Refused: the version stayed at 1, so batches checked under it are still written.
        Assert.Null((await CommitAllAsync([Write("R2", "r2", 0, 2)]))[0]);

        Assert.True(await _store.AdvanceRulesAsync(_code, 7, 2, onlyWithoutMarks: false, Change));
        var stale = await CommitAllAsync([Write("R3", "r3", 0, 3), Write("R4", "r4", 0, 4) with { RulesVersion = 2 }]);

        Assert.True(MarkStore.IsRulesChanged(stale[0]!), stale[0]?.ToString());
        Assert.Null(stale[1]);
        Assert.Equal(0, await CountAsync("select count(*) from skillshub.mark_requests where competition_code = $1 and competitor_id = 'R3'"));
        Assert.Equal(0, await CountAsync("select count(*) from skillshub.audit where competition_code = $1 and competitor_id = 'R3'"));
        Assert.Equal(1, await CountAsync("select count(*) from skillshub.mark_entries where competition_code = $1 and competitor_id = 'R4'"));
        // A version never goes back when a skill's rules are loaded again from older grain state.
        Assert.Equal(2, await _store.ReconcileRulesAsync(_code, 7, 1));
        Assert.Equal(3, await _store.ReconcileRulesAsync(_code, 7, 3));
    }

    /// <summary>
    /// A rule change waits for a batch in flight: this test holds a batch's transaction open after its rules check, the
    /// change (which must find no marks) waits on it, and once the batch's mark commits the change is refused.
    /// </summary>
    [Fact]
    public async Task ARuleChange_WaitsForTheBatchesInFlight()
    {
        await using var batch = await _db.OpenConnectionAsync();
        await using var transaction = await batch.BeginTransactionAsync();
        await using (var check = new NpgsqlCommand("select skillshub.check_rules($1, $2, $3)", batch, transaction))
        {
            check.Parameters.AddWithValue(new[] { _code });
            check.Parameters.AddWithValue(new short[] { 7 });
            check.Parameters.AddWithValue(new long[] { 1 });
            await check.ExecuteNonQueryAsync();
        }

        var change = _store.AdvanceRulesAsync(_code, 7, 2, onlyWithoutMarks: true, Change);
        Assert.True(await TestNode.EventuallyAsync(async () => change.IsCompleted || await CountAsync("""
            select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
            and query like '%skill_rules%' and $1 <> ''
            """) > 0, TimeSpan.FromSeconds(20)), "the change never waited");
        Assert.False(change.IsCompleted);

        await using (var mark = new NpgsqlCommand("""
            insert into skillshub.mark_entries (competition_code, skill_number, competitor_id, aspect_id, expert_id, achieved, device, changed)
            values ($1, 7, 'W1', 'A1', 'E1', true, 'tablet', 1)
            """, batch, transaction))
        {
            mark.Parameters.AddWithValue(_code);
            await mark.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();

        Assert.False(await change);
    }
}
