using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>
/// PostgreSQL restarts under a running node, quicker than a worker's next look at the queue: the jobs queued afterwards
/// all run, none is left fetched by a worker that never runs it (docs/operations.md, "Jobs after a crash").
/// </summary>
[Collection(ServerCollection.Outages)]
public sealed class JobsAfterRestartTests
{
    [Fact]
    public async Task AfterAQuickDatabaseRestart_EveryJobQueuedRuns()
    {
        await using var postgres = await PrivatePostgres.StartTemporaryAsync();
        await using var node = await TestNode.StartAsync(postgres.ConnectionString);
        var client = node.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = node.Services.GetRequiredService<JobStorage>();
        // The workers are waiting for jobs (none queued) when the database goes away and comes back.
        Assert.True(await SucceededAsync(storage, [client.Enqueue(() => Console.Write(""))], TimeSpan.FromSeconds(30)));
        await Task.Delay(500);
        await postgres.KillForTestAsync();
        await postgres.RestartForTestAsync();

        string[] jobs = [.. Enumerable.Range(0, 6).Select(_ => client.Enqueue(() => Console.Write("")))];
        Assert.True(await SucceededAsync(storage, jobs, TimeSpan.FromSeconds(30)),
            string.Join("; ", jobs.Select(id => $"{id}: {storage.GetConnection().GetStateData(id)?.Name}")));
    }

    static Task<bool> SucceededAsync(JobStorage storage, string[] jobs, TimeSpan within) => TestNode.EventuallyAsync(() =>
    {
        using var connection = storage.GetConnection();
        return Task.FromResult(jobs.All(id => connection.GetStateData(id)?.Name == "Succeeded"));
    }, within);
}
