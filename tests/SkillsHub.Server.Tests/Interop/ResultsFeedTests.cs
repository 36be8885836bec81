using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// The open results feed: a client that drops the connection at random points and resumes with ?since= receives
/// every event exactly once, in id order; SSE resumes from Last-Event-ID; a frozen board's events show nothing new.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class ResultsFeedTests(NodeFixture shared) : IClassFixture<NodeFixture>
{

    [Fact]
    public async Task AClientDisconnectingAtRandom_ReceivesEveryEventExactlyOnce_AndFrozenHidesNewMarks()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var feed = $"/api/competitions/{scenario.Code}/events";
        var kr = scenario.Experts["E-KR"];
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 16; i++)
            {
                if (i == 6)
                {
                    (await scenario.Organiser.PutAsJsonAsync($"{scenario.Path}/visibility", new { mode = "Frozen" })).EnsureSuccessStatusCode();
                }
                if (i == 10)
                {
                    (await scenario.Organiser.PutAsJsonAsync($"{scenario.Path}/visibility", new { mode = "Live" })).EnsureSuccessStatusCode();
                }
                var competitor = i % 3 == 0 ? "FR-07" : "CN-07";
                var response = await scenario.MarkAsync(kr, competitor, $"feed-{i}", new { aspectId = "A1.1", achieved = i % 2 == 0 }, new { aspectId = "A1.2", score = i % 4 });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await Task.Delay(Random.Shared.Next(20, 120));
            }
        });

        var received = new List<JsonObject>();
        long last = 0;
        var random = new Random(17);
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var quietRounds = 0;
        var reconnects = 0;
        while (quietRounds < 3)
        {
            // Read a few events (or wait a little), then drop the connection mid-stream and resume.
            using var cut = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(50, 600)));
            var before = received.Count;
            var take = random.Next(1, 5);
            try
            {
                using var response = await http.GetAsync($"{feed}?since={last}", HttpCompletionOption.ResponseHeadersRead, cut.Token);
                Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cut.Token));
                while (take > 0 && await reader.ReadLineAsync(cut.Token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        continue; // heartbeat
                    }
                    var e = (JsonObject)JsonNode.Parse(line)!;
                    received.Add(e);
                    last = (long)e["id"]!;
                    take--;
                }
            }
            catch (OperationCanceledException)
            {
            }
            reconnects++;
            quietRounds = writer.IsCompleted && received.Count == before && last == await ScalarAsync(node, "select coalesce(max(id), 0) from skillshub.feed_events") ? quietRounds + 1 : 0;
        }
        await writer;

        var ids = received.Select(e => (long)e["id"]!).ToList();
        var stored = await ScalarAsync(node, "select count(*) from skillshub.feed_events");
        Assert.True(reconnects > 5, $"only {reconnects} connections");
        Assert.Equal(Enumerable.Range(1, (int)stored).Select(i => (long)i), ids); // each once, in order, none missing
        var types = received.Select(e => (string)e["type"]!).ToList();
        Assert.Contains("standings", types);
        Assert.Equal(["Live", "Frozen", "Live"], received.Where(e => (string)e["type"]! == "visibility").Select(e => (string)e["data"]!["mode"]!));

        // While frozen the public view does not move: every standings event in frozen mode shows the same rows,
        // though marks kept changing underneath (the live totals after unfreezing differ).
        var frozen = received.Where(e => (string)e["type"]! == "standings" && (string)e["data"]!["mode"]! == "Frozen").Select(e => e["data"]!["rows"]!.ToJsonString()).ToList();
        Assert.NotEmpty(frozen);
        Assert.Single(frozen.Distinct());

        // Server-Sent Events: the same events, resumed from Last-Event-ID.
        var request = new HttpRequestMessage(HttpMethod.Get, feed);
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Last-Event-ID", "2");
        using var sseCut = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var sse = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, sseCut.Token);
        Assert.Equal("text/event-stream", sse.Content.Headers.ContentType?.MediaType);
        using var sseReader = new StreamReader(await sse.Content.ReadAsStreamAsync(sseCut.Token));
        var sseIds = new List<long>();
        var sseTypes = new List<string>();
        while ((sseIds.Count < stored - 2 || sseTypes.Count < stored - 2) && await sseReader.ReadLineAsync(sseCut.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                sseIds.Add(long.Parse(line[4..]));
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                sseTypes.Add(line[7..]);
            }
        }
        Assert.Equal(ids.Skip(2), sseIds);
        Assert.Equal(types.Skip(2), sseTypes);

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"{feed}?since=-1")).StatusCode);
    }
}
