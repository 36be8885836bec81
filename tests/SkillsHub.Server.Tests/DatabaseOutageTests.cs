using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

[Collection(ServerCollection.Outages)]
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Ready_Is503WhileDatabaseIsDown_AndRecovers()
    {
        await using var postgres = await PrivatePostgres.StartTemporaryAsync();
        await using var node = await TestNode.StartAsync(postgres.ConnectionString);
        using var http = node.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        await postgres.KillForTestAsync();
        var down = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());

        await postgres.RestartForTestAsync();
        Assert.True(await TestNode.EventuallyAsync(
            async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));
    }

    /// <summary>
    /// PostgreSQL restarts under a running node, quicker than a worker's next look at the queue: the jobs queued afterwards
    /// all run, none is left fetched by a worker that never runs it (docs/operations.md, "Jobs after a crash").
    /// </summary>
    [Fact]
    public async Task AfterAQuickDatabaseRestart_EveryJobQueuedRuns()
    {
        await using var postgres = await PrivatePostgres.StartTemporaryAsync();
        await using var node = await TestNode.StartAsync(postgres.ConnectionString);
        var client = node.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = node.Services.GetRequiredService<JobStorage>();
        // The workers are waiting for jobs (none queued) when the database goes away and comes back.
        Assert.True(await JobsSucceededAsync(storage, [client.Enqueue(() => Console.Write(""))], TimeSpan.FromSeconds(30)));
        await Task.Delay(500);
        await postgres.KillForTestAsync();
        await postgres.RestartForTestAsync();

        string[] jobs = [.. Enumerable.Range(0, 6).Select(_ => client.Enqueue(() => Console.Write("")))];
        var succeeded = await JobsSucceededAsync(storage, jobs, TimeSpan.FromSeconds(30));
        using var connection = storage.GetConnection();
        Assert.True(succeeded, string.Join("; ", jobs.Select(id => $"{id}: {connection.GetStateData(id)?.Name}")));
    }

    /// <summary>
    /// The embedded PostgreSQL's postmaster killed under a running node (as the out-of-memory killer would): the node starts
    /// it again by itself, and what was committed before is still there (docs/deployment.md, "The embedded PostgreSQL").
    /// </summary>
    [Fact]
    public async Task TheEmbeddedPostgres_KilledUnderTheNode_IsStartedAgain()
    {
        var directory = Path.Combine(Path.GetTempPath(), "skillshub-embedded-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var node = await Hosting.SkillsHubNode.CreateAsync(
            [
                $"--Embedded:DataDirectory={directory}",
                "--Demo:Seed=false",
                "--urls=http://127.0.0.1:0",
                $"--Orleans:SiloPort={TestNode.FreePort()}",
                "--Logging:LogLevel:Default=Warning",
                "--Jobs:WorkerCount=1",
            ]);
            await node.StartAsync();
            using var http = node.Client();
            var organiser = "kept-" + Guid.NewGuid().ToString("N")[..8];
            await node.Services.GetRequiredService<Security.AccountStore>().CreateAsync(organiser, organiser, "correct horse battery staple", [Security.Roles.Organiser], null);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

            var data = node.Services.GetRequiredService<Hosting.SkillsHubDatabase>().DataDirectory!;
            var postmaster = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);
            using (var kill = Process.Start("kill", ["-KILL", postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }
            Assert.True(await TestNode.EventuallyAsync(async () => !Directory.Exists($"/proc/{postmaster}") || (await http.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK,
                TimeSpan.FromSeconds(10)), "the postmaster did not die");

            // Started again by the node: ready, and the account committed before the kill signs in.
            Assert.True(await TestNode.EventuallyAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60)),
                "the embedded PostgreSQL was not started again");
            var login = await http.PostAsJsonAsync("/api/auth/login", new { userName = organiser, password = "correct horse battery staple" });
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var again = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.NotEqual(postmaster, again);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    static Task<bool> JobsSucceededAsync(JobStorage storage, string[] jobs, TimeSpan within) => TestNode.EventuallyAsync(() =>
    {
        using var connection = storage.GetConnection();
        return Task.FromResult(jobs.All(id => connection.GetStateData(id)?.Name == "Succeeded"));
    }, within);

    [Fact]
    public async Task RestartOnTheSameDataDirectory_KeepsTheData()
    {
        var dataDirectory = Path.Combine(PrivatePostgres.ScratchRoot, "skillshub-keep-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var first = await PrivatePostgres.StartAsync(new PrivatePostgresOptions { DataDirectory = dataDirectory }))
            await using (var node = await TestNode.StartAsync(first.ConnectionString))
            {
                await Exec(first.ConnectionString, "insert into skillshub.members (code, name) values ('ZZ', 'Test member')");
            }
            await using var second = await PrivatePostgres.StartAsync(new PrivatePostgresOptions { DataDirectory = dataDirectory });
            await using var again = await TestNode.StartAsync(second.ConnectionString);
            var members = await again.Client().GetStringAsync("/api/members");
            Assert.Contains("Test member", members);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    static async Task Exec(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
