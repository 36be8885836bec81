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
    NpgsqlDataSource _db = null!;
    MarkStore _store = null!;

    public Task InitializeAsync()
    {
        _db = NpgsqlDataSource.Create(shared.Database);
        _store = new MarkStore(_db);
        return Task.CompletedTask;
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
        from, from + 1);

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
}
