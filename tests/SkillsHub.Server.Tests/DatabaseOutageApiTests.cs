using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>
/// PostgreSQL goes away under a running node: the API answers 503 with Retry-After (never 500), and
/// once the database is back the tablets' resends (same Idempotency-Key) are stored exactly once,
/// without restarting the node.
/// </summary>
[Collection(ServerCollection.Outages)]
public sealed class DatabaseOutageApiTests
{
    static string Path => MarkingScenario.SkillPath;

    [Fact]
    public async Task WhileDatabaseIsDown_ApiAnswers503WithRetryAfter_AndResendsAreStoredOnceAfterRestart()
    {
        // This test crashes its database, so it has a server of its own, and a durable one (fsync and
        // synchronous commit on, as in production): the throwaway test servers skip both and may lose
        // their last seconds of commits in a crash, which is exactly what this test must not see.
        await using var postgres = await PrivatePostgres.StartAsync(new PrivatePostgresOptions
        {
            DataDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "skillshub-outage-" + Guid.NewGuid().ToString("N")[..8]),
            DeleteOnStop = true,
        });
        await using var node = await TestNode.StartAsync(postgres.ConnectionString, $"--Metrics:ScrapeToken={Interop.MetricsTests.ScrapeToken}");
        var s = await MarkingScenario.CreateAsync(node);
        var (kr, jp, fr) = (s.Experts["E-KR"], s.Experts["E-JP"], s.Experts["E-FR"]);

        // Warm: FR-07's sheet grain is active and every tablet used below has been seen.
        Assert.Equal(HttpStatusCode.OK, (await MarkingScenario.Mark(kr, "FR-07", "warm", new { aspectId = "A1.1", achieved = true })).StatusCode);
        foreach (var tablet in new[] { kr, jp, fr })
        {
            Assert.Equal(HttpStatusCode.OK, (await tablet.GetAsync("/api/me/assignment")).StatusCode);
        }

        // Tablet tokens are checked against the database on every request (docs/security.md, "Tablets"), so the
        // tablets' sign-in fails with the database at once: nothing to wait for.
        await postgres.KillForTestAsync();

        // A mark for an active sheet (its audit and state writes fail) and one for a sheet not yet loaded (activation fails).
        var warm = await MarkingScenario.Mark(jp, "FR-07", "outage-warm", new { aspectId = "B1.1", achieved = true });
        var cold = await MarkingScenario.Mark(fr, "KR-07", "outage-cold", new { aspectId = "A1.1", achieved = true });
        foreach (var response in new[] { warm, cold })
        {
            await AssertUnavailable(response);
        }
        await AssertUnavailable(await s.Organiser.GetAsync($"{Path}/competitors/CN-07/sheet"));
        // A signed-in browser still gets its pages, as anyone does, and the error page for an unknown address: a page needs no
        // session (found by an outside tester: problem JSON in place of the console and the boards). Its API calls answer 503.
        // The jobs dashboard needs the database itself: the site's 503 page (the re-tester: problem JSON).
        foreach (var (page, status) in new[] { ("/console", HttpStatusCode.OK), ("/board/WSC2024?screen=1", HttpStatusCode.OK), ("/no-such-page", HttpStatusCode.NotFound), ("/jobs", HttpStatusCode.ServiceUnavailable) })
        {
            using var navigation = new HttpRequestMessage(HttpMethod.Get, page);
            navigation.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
            var answer = await s.Organiser.SendAsync(navigation);
            Assert.True(answer.StatusCode == status && answer.Content.Headers.ContentType?.MediaType == "text/html",
                $"{page}: {(int)answer.StatusCode} {answer.Content.Headers.ContentType} {await answer.Content.ReadAsStringAsync()}");
        }
        await AssertUnavailable(await s.Organiser.GetAsync("/api/auth/me"));
        // The monitoring scrape still answers: its token is the setting's, not looked up in the database (docs/operations.md).
        using var scraper = node.Client();
        scraper.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Interop.MetricsTests.ScrapeToken);
        var metrics = await scraper.GetAsync("/metrics");
        Assert.True(metrics.StatusCode == HttpStatusCode.OK, $"/metrics during the outage: {(int)metrics.StatusCode} {await metrics.Content.ReadAsStringAsync()}");
        Assert.Contains("skillshub_marks_total", await metrics.Content.ReadAsStringAsync());
        // Another token might be a tablet's, which only the database can tell: the answer says the node cannot tell now,
        // never that the scrape succeeded.
        using var stranger = node.Client();
        stranger.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-scrape-token");
        await AssertUnavailable(await stranger.GetAsync("/metrics"));
        // Standings precomputed in memory may still be served; what matters is that it is never a 500.
        var standings = await s.Anonymous.GetAsync($"{Path}/standings");
        Assert.Contains(standings.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });

        await postgres.RestartForTestAsync();

        // The tablets resend with the same keys until they are acknowledged; the node was not restarted.
        foreach (var (tablet, competitor, key, aspect) in new[] { (jp, "FR-07", "outage-warm", "B1.1"), (fr, "KR-07", "outage-cold", "A1.1") })
        {
            HttpResponseMessage? last = null;
            Assert.True(await TestNode.EventuallyAsync(async () =>
            {
                last = await MarkingScenario.Mark(tablet, competitor, key, new { aspectId = aspect, achieved = true });
                Assert.NotEqual(HttpStatusCode.InternalServerError, last.StatusCode);
                return last.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(30)), $"{key}: still {last?.StatusCode} {last?.Headers} {await last!.Content.ReadAsStringAsync()} ({await Counts(postgres.ConnectionString)})");
            Assert.True((await last!.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetBoolean());

            // A second resend replays the first answer and stores nothing new.
            var again = await MarkingScenario.Mark(tablet, competitor, key, new { aspectId = aspect, achieved = true });
            Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetBoolean());

            Assert.Equal(1L, await AcceptedAuditRows(postgres.ConnectionString, key));
            var sheet = await s.Organiser.GetFromJsonAsync<JsonElement>($"{Path}/competitors/{competitor}/sheet");
            Assert.True(sheet.GetProperty("aspects").EnumerateArray().Single(a => a.GetProperty("aspectId").GetString() == aspect).GetProperty("complete").GetBoolean(),
                $"{competitor} {aspect} is not on the sheet: {sheet}");
        }
        Assert.Equal(1L, await AcceptedAuditRows(postgres.ConnectionString, "warm"));
        Assert.Equal(HttpStatusCode.OK, (await s.Anonymous.GetAsync($"{Path}/standings")).StatusCode);
    }

    static async Task AssertUnavailable(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }

    static async Task<string> Counts(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*)::text || ' devices; ' || (select count(*) from skillshub.audit)::text || ' audit' from skillshub.devices", connection);
        return (string)(await count.ExecuteScalarAsync())!;
    }

    static async Task<long> AcceptedAuditRows(string connectionString, string key)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from skillshub.audit where idempotency_key = @key and outcome = 'accepted'", connection);
        count.Parameters.AddWithValue("key", key);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
