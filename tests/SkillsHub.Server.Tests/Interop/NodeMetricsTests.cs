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
        (await own.GetAsync("/health/live")).EnsureSuccessStatusCode();
        var before = await scraper.GetStringAsync("/metrics");

        using var elsewhere = other.Client();
        for (var i = 0; i < 5; i++)
        {
            (await elsewhere.GetAsync("/health/live")).EnsureSuccessStatusCode();
        }
        (await own.GetAsync("/health/live")).EnsureSuccessStatusCode();

        // ASP.NET Core's meters are the node's own (its meter factory's); the other node's five requests are not here.
        // (The exporter answers a repeated scrape from its cache for a moment: wait for the node's own request.)
        const string live = "http_route=\"/health/live\"";
        var after = before;
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            after = await scraper.GetStringAsync("/metrics");
            return MetricsTests.Sample(after, "http_server_request_duration_seconds_count", live) > MetricsTests.Sample(before, "http_server_request_duration_seconds_count", live);
        }, TimeSpan.FromSeconds(10)), after);
        Assert.Equal(MetricsTests.Sample(before, "http_server_request_duration_seconds_count", live) + 1, MetricsTests.Sample(after, "http_server_request_duration_seconds_count", live));
    }
}
