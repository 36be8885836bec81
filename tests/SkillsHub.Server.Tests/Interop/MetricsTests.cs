using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>/metrics speaks Prometheus text to admins and to a scraper with the configured token, and its counters move.</summary>
[Collection(ServerCollection.Platform)]
public sealed partial class MetricsTests(PostgresFixture postgres)
{
    internal const string ScrapeToken = "scrape-token-for-tests-0123456789";

    /// <summary>The sum of a metric's samples whose labels include every given label (Prometheus text format 0.0.4).</summary>
    internal static double Sample(string text, string name, params string[] labels)
    {
        double total = 0;
        foreach (Match m in SampleLine().Matches(text))
        {
            if (m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    // A label's value is quoted and may hold braces (a route: route="/api/certificates/{number}").
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>(?:[^""}]|""(?:[^""\\]|\\.)*"")*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    [Fact]
    public async Task Metrics_AreAdminOrTokenOnly_AndMarkCountersLatencyAndConnectionsMove()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), $"--Metrics:ScrapeToken={ScrapeToken}");
        var scenario = await MarkingScenario.CreateAsync(node);
        using var scraper = node.Client();
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken);
        async Task<string> Scrape()
        {
            var response = await scraper.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            return await response.Content.ReadAsStringAsync();
        }

        var anonymousScrape = await node.Client().GetAsync("/metrics");
        Assert.True(anonymousScrape.StatusCode == HttpStatusCode.Unauthorized, $"{anonymousScrape.StatusCode} {anonymousScrape.Content.Headers.ContentType} {(await anonymousScrape.Content.ReadAsStringAsync())[..Math.Min(300, (int)(anonymousScrape.Content.Headers.ContentLength ?? 300))]}");
        using var wrongToken = node.Client();
        wrongToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongToken.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Organiser.GetAsync("/metrics")).StatusCode);
        // A tablet's token is a signed-in caller the policy refuses, not an invalid token (found by an outside tester: 401
        // invalid_token, which tells a tablet it was signed out).
        var tablet = await scenario.Experts["E-KR"].GetAsync("/metrics");
        Assert.True(tablet.StatusCode == HttpStatusCode.Forbidden, $"{tablet.StatusCode} {tablet.Headers.WwwAuthenticate}");
        using var admin = await MarkingScenario.SignInAsync(node, "metrics-admin", [Roles.Admin]);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
        // A scrape is a read: a POST is 405, not the figures (found by an outside tester).
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await admin.PostAsync("/metrics", new StringContent(""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scraper.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"))).StatusCode);

        var before = await Scrape();
        var kr = scenario.Experts["E-KR"];
        (await MarkingScenario.Mark(kr, "CN-07", "metrics-1", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        (await MarkingScenario.Mark(kr, "CN-07", "metrics-1", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode(); // a resend
        Assert.Equal(HttpStatusCode.Forbidden, (await MarkingScenario.Mark(scenario.Experts["E-FR"], "FR-07", "metrics-2", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await MarkingScenario.Mark(kr, "", "metrics-3", new { aspectId = "A1.1", achieved = true })).StatusCode);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(node.BaseAddress, "/hubs/leaderboard")).Build();
        await hub.StartAsync();

        string after = "";
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            after = await Scrape();
            return Sample(after, "skillshub_hub_connections") >= Sample(before, "skillshub_hub_connections") + 1;
        }, TimeSpan.FromSeconds(10)), after);
        foreach (var outcome in new[] { "accepted", "replayed", "refused", "invalid" })
        {
            Assert.True(Sample(after, "skillshub_marks_total", $"outcome=\"{outcome}\"") == Sample(before, "skillshub_marks_total", $"outcome=\"{outcome}\"") + 1,
                $"skillshub_marks_total{{outcome=\"{outcome}\"}} did not move by one:\n{after}");
        }
        Assert.Equal(Sample(before, "skillshub_mark_duration_seconds_count") + 4, Sample(after, "skillshub_mark_duration_seconds_count"));
        Assert.Contains("skillshub_mark_duration_seconds_bucket{", after);
        Assert.True(Sample(after, "skillshub_hub_pushes_total") > Sample(before, "skillshub_hub_pushes_total") || after.Contains("skillshub_hub_pushes_total"), after);
        Assert.Contains("skillshub_jobs{", after);
        Assert.Contains("db_client_", after); // Npgsql's own metrics
        Assert.Contains("http_server_request_duration_seconds", after);
    }
}
