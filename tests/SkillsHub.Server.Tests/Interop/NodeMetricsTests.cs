using System.Net.Http.Headers;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// A node's /metrics speaks for that node: ASP.NET Core's meters are made per node, so another node in the same
/// process (as in these tests) adds nothing to them (docs/operations.md, "Metrics"). It reads only its own node's
/// figures, so it runs beside the other collections, unlike <see cref="MetricsTests"/>.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class NodeMetricsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ANodesMetrics_CountItsOwnRequests_NotThoseOfAnotherNodeInTheSameProcess()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), $"--Metrics:ScrapeToken={MetricsTests.ScrapeToken}");
        await using var other = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        using var scraper = node.Client();
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MetricsTests.ScrapeToken);
        using var own = node.Client();

        // A request's duration is recorded as it completes, and the exporter answers a repeated scrape from its cache
        // for a moment: each count is read once it has reached what the node has served so far.
        const string live = "http_route=\"/health/live\"";
        async Task<double> LiveRequestsCountedAsync(double atLeast)
        {
            var text = "";
            Assert.True(await TestNode.EventuallyAsync(async () =>
            {
                text = await scraper.GetStringAsync("/metrics");
                return MetricsTests.Sample(text, "http_server_request_duration_seconds_count", live) >= atLeast;
            }, TimeSpan.FromSeconds(10)), text);
            return MetricsTests.Sample(text, "http_server_request_duration_seconds_count", live);
        }

        (await own.GetAsync("/health/live")).EnsureSuccessStatusCode();
        var before = await LiveRequestsCountedAsync(1);

        using var elsewhere = other.Client();
        for (var i = 0; i < 5; i++)
        {
            (await elsewhere.GetAsync("/health/live")).EnsureSuccessStatusCode();
        }
        (await own.GetAsync("/health/live")).EnsureSuccessStatusCode();

        // ASP.NET Core's meters are the node's own (its meter factory's): its one further request, not the other node's five.
        Assert.Equal(before + 1, await LiveRequestsCountedAsync(before + 1));
    }
}
