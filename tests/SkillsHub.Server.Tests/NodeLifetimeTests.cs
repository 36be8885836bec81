using System.Net;
using System.Runtime.CompilerServices;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests;

/// <summary>
/// A node that has stopped leaves nothing of itself reachable, so a process that starts and stops nodes (a test run
/// starts about sixty) does not carry every one of them to the end (Security/RateLimiting.UseRateLimits; docs/testing.md).
/// </summary>
[Collection(ServerCollection.Nodes)]
public sealed class NodeLifetimeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AStoppedNode_IsCollected_AfterServingThroughTheWholePipeline()
    {
        var stopped = await ServeAndStopAsync(await postgres.NewDatabaseAsync());
        // Hangfire keeps the job activator of the node that started last in a static: another node takes that place.
        await using var next = await TestNode.StartAsync(await postgres.NewDatabaseAsync());

        var collected = await TestNode.EventuallyAsync(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return Task.FromResult(!stopped.IsAlive);
        }, TimeSpan.FromSeconds(15));
        Assert.True(collected, "The stopped node's services are still reachable: something process-wide (a timer, a static, a listener) holds on to it.");
    }

    /// <summary>Starts a node, sends it requests that pass every middleware (the rate limiter included), stops it; returns a weak reference to its services.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static async Task<WeakReference> ServeAndStopAsync(string database)
    {
        await using var node = await TestNode.StartAsync(database);
        using (var organiser = await MarkingScenario.SignInAsync(node, "lifetime-organiser", [Roles.Organiser]))
        {
            Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync("/api/competitions")).StatusCode);
        }
        return new WeakReference(node.Services);
    }

    /// <summary>
    /// A stopping node ends its results-feed streams at once (docs/feed.md): the followers resume elsewhere with ?since=,
    /// and the node's stop is not held until the host gives up on open requests (30 s).
    /// </summary>
    [Fact]
    public async Task AStoppingNode_EndsItsResultsFeedStreams_AtOnce()
    {
        var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var stream = await http.GetAsync("/api/competitions/WSC2024/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var read = stream.Content.ReadAsStringAsync();

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await node.DisposeAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"the node took {stopping.Elapsed.TotalSeconds:0.0} s to stop with a feed stream open");
        await read.WaitAsync(TimeSpan.FromSeconds(5)); // the stream ended, not cut
    }
}
