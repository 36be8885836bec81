using System.Net;
using System.Net.Http.Headers;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// A node's /metrics speaks for that node: ASP.NET Core's meters and SkillsHub's own are made per node, so another node
/// in the same process (as in these tests) adds nothing to them (docs/operations.md, "Metrics"). That is also why
/// <see cref="MetricsTests"/> may run beside the other collections.
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

        // A public lookup is counted by SkillsHub's own meter (skillshub_lookups_total, by route and status).
        const string lookups = "skillshub_lookups_total";
        const string lookup = "/api/certificates/S000031000001255000001?t=x";
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync(lookup)).StatusCode);
        var text = "";
        Assert.True(await TestNode.EventuallyAsync(async () => MetricsTests.Sample(text = await scraper.GetStringAsync("/metrics"), lookups) >= 1,
            TimeSpan.FromSeconds(10)), text);
        var lookupsBefore = MetricsTests.Sample(text, lookups);

        using var elsewhere = other.Client();
        for (var i = 0; i < 5; i++)
        {
            (await elsewhere.GetAsync("/health/live")).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync(lookup)).StatusCode);
        }
        (await own.GetAsync("/health/live")).EnsureSuccessStatusCode();

        // ASP.NET Core's meters are the node's own (its meter factory's): its one further request, not the other node's five.
        Assert.Equal(before + 1, await LiveRequestsCountedAsync(before + 1));
        // So is SkillsHub's: none of the other node's five lookups (read after the request above has been counted).
        Assert.Equal(lookupsBefore, MetricsTests.Sample(await scraper.GetStringAsync("/metrics"), lookups));
    }
}
