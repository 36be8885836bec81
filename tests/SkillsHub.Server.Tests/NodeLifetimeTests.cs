using System.Net;
using System.Runtime.CompilerServices;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests;

/// <summary>
/// A node that has stopped leaves nothing of itself reachable, so a process that starts and stops nodes (a test run
/// starts about sixty) does not carry every one of them to the end (Hosting/StoppedPipelineRelease.cs; docs/testing.md).
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
}
