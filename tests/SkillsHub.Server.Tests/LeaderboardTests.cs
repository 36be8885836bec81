using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Abstractions;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Live leaderboards over SignalR, with real nodes, grains and PostgreSQL. The tests share one node, each with a
/// competition of its own; the failover test runs two nodes of its own. How fast a push arrives is measured by
/// the leaderboard benchmark (bench/SkillsHub.Bench), not asserted here: a loaded test machine is not a clock.
/// </summary>
[Collection(ServerCollection.Marking)]
public sealed class LeaderboardTests(PostgresFixture postgres, NodeFixture shared) : IClassFixture<NodeFixture>
{
    const int Skill = MarkingScenario.Skill;
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    sealed class Spectator : IAsyncDisposable
    {
        public required HubConnection Connection { get; init; }
        public required string Code { get; init; }
        public ConcurrentQueue<Standings> Received { get; } = new();

        public static async Task<Spectator> ConnectAsync(SkillsHubNode node, string code, string? token = null)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(node.BaseAddress, "/hubs/leaderboard"), o =>
                {
                    if (token is not null)
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                    }
                })
                .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
                .Build();
            var spectator = new Spectator { Connection = connection, Code = code };
            connection.On<Standings>("standings", s => spectator.Received.Enqueue(s));
            await connection.StartAsync();
            return spectator;
        }

        public Task<Standings> SubscribeAsync() => Connection.InvokeAsync<Standings>("Subscribe", Code, Skill);

        public async Task<Standings?> WaitForAsync(Func<Standings, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var hit = Received.FirstOrDefault(match);
                if (hit is not null)
                {
                    return hit;
                }
                await Task.Delay(20);
            }
            return Received.FirstOrDefault(match);
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    static decimal RawOf(Standings s, string competitor) => s.Rows.FirstOrDefault(r => r.CompetitorId == competitor)?.Raw ?? -1;

    static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    [Fact]
    public async Task Subscriber_GetsASnapshot_ThenAnUpdate_AndAReconnectYieldsASnapshot()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        await using var spectator = await Spectator.ConnectAsync(node, scenario.Code);
        var snapshot = await spectator.SubscribeAsync();
        Assert.Equal(3, snapshot.Rows.Count);

        var ack = await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "lb-1", new { aspectId = "A1.1", achieved = true });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var update = await spectator.WaitForAsync(s => RawOf(s, "KR-07") == 40m, Deadline);
        Assert.NotNull(update);
        Assert.True(update.Sequence > snapshot.Sequence);

        await spectator.Connection.StopAsync();
        await spectator.Connection.StartAsync();
        var again = await spectator.SubscribeAsync();
        Assert.Equal(40m, RawOf(again, "KR-07"));
        Assert.True(again.Sequence >= update.Sequence);
    }

    /// <summary>
    /// A view this node has pushed already is not pushed again: when the leaderboard registry restarts (its node left the
    /// cluster), each node sends its clients fresh standings of every skill they follow, and an outside tester's board got
    /// the last push of every unchanged skill twice under one sequence. The repeat is offered here as that resync offers it.
    /// </summary>
    [Fact]
    public async Task AViewPushedAlready_IsNotPushedAgain()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        await using var spectator = await Spectator.ConnectAsync(node, scenario.Code);
        await spectator.SubscribeAsync();
        (await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "again-1", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        var update = await spectator.WaitForAsync(s => RawOf(s, "KR-07") == 40m, Deadline);
        Assert.NotNull(update);

        var skill = node.Services.GetRequiredService<IGrainFactory>().GetGrain<IEventGrain>(SkillKey.Format(scenario.Code, Skill));
        var (live, publicView) = (await skill.GetStandings(live: true), await skill.GetStandings(live: false));
        Assert.Equal(update.Sequence, publicView.Sequence);
        var notifier = node.Services.GetRequiredService<Hubs.LeaderboardNotifier>();
        await notifier.OnStandings(live, publicView);
        await notifier.OnStandings(live, publicView);

        // A later change's push comes after anything the repeats would have sent, on the same connection.
        (await scenario.MarkAsync(scenario.Experts["E-FR"], "CN-07", "again-2", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        Assert.NotNull(await spectator.WaitForAsync(s => RawOf(s, "CN-07") == 40m, Deadline));
        Assert.Single(spectator.Received, s => s.Sequence == update.Sequence);
    }

    [Fact]
    public async Task TwoNodes_AClientOnBReceivesMarksEnteredOnA_AndBKeepsServingAfterAStops()
    {
        // Two nodes of its own: the test stops one.
        var db = await postgres.NewDatabaseAsync();
        var a = await TestNode.StartAsync(db);
        await using var b = await TestNode.StartAsync(db);
        var scenario = await MarkingScenario.CreateAsync(a);
        await using var spectator = await Spectator.ConnectAsync(b, scenario.Code);
        await spectator.SubscribeAsync();

        await MarkingScenario.Mark(scenario.Experts["E-FR"], "KR-07", "two-1", new { aspectId = "A1.1", achieved = true });
        Assert.NotNull(await spectator.WaitForAsync(s => RawOf(s, "KR-07") == 40m, Deadline));

        await a.DisposeAsync();

        // The same tablet token works against node B; the skill's grains reactivate there from PostgreSQL.
        var tablet = b.Client();
        tablet.DefaultRequestHeaders.Authorization = scenario.Experts["E-KR"].DefaultRequestHeaders.Authorization;
        HttpResponseMessage? ack = null;
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            ack = await MarkingScenario.Mark(tablet, "CN-07", "two-2", new { aspectId = "A1.1", achieved = true });
            return ack.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60)), ack is null ? "no answer" : await ack.Content.ReadAsStringAsync());
        // The leaderboard registry may have lived on A: it restarts on B, and B re-registers as soon as it learns A left.
        Assert.NotNull(await spectator.WaitForAsync(s => RawOf(s, "CN-07") == 40m && RawOf(s, "KR-07") == 40m, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task FrozenAndHiddenSkills_SendSpectatorsNothingNewer_ButTheJurySeesLive()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var chiefToken = scenario.Experts["E-DE"].DefaultRequestHeaders.Authorization!.Parameter!;
        await using var spectator = await Spectator.ConnectAsync(node, scenario.Code);
        await using var jury = await Spectator.ConnectAsync(node, scenario.Code, chiefToken);
        await spectator.SubscribeAsync();
        await jury.SubscribeAsync();

        var frozen = await scenario.Organiser.PutAsJsonAsync($"{scenario.Path}/visibility", new { mode = "Frozen" });
        Assert.Equal(HttpStatusCode.OK, frozen.StatusCode);
        var atFreeze = await scenario.Anonymous.GetFromJsonAsync<Standings>($"{scenario.Path}/standings", Json);
        await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "frz-1", new { aspectId = "A1.1", achieved = true });
        Assert.NotNull(await jury.WaitForAsync(s => RawOf(s, "KR-07") == 40m, Deadline));
        var publicHttp = await scenario.Anonymous.GetFromJsonAsync<Standings>($"{scenario.Path}/standings", Json);
        Assert.All(publicHttp!.Rows, r => Assert.Equal(0m, r.Raw));
        Assert.Equal(VisibilityMode.Frozen, publicHttp.Mode);
        // Found by an outside tester: the frozen view's sequence moved with the jury's, showing that marking went on.
        Assert.Equal((atFreeze!.Sequence, atFreeze.AsOf), (publicHttp.Sequence, publicHttp.AsOf));

        // No sleep to prove that nothing came: each push goes to the jury and the spectators together, in order on
        // each connection, so once the spectator holds the next change (hiding the skill), anything the frozen
        // mark sent it is already in its queue.
        await scenario.Organiser.PutAsJsonAsync($"{scenario.Path}/visibility", new { mode = "Hidden" });
        Assert.NotNull(await spectator.WaitForAsync(s => s.Mode == VisibilityMode.Hidden && s.Rows.Count == 0, Deadline));
        Assert.DoesNotContain(spectator.Received, s => s.Rows.Any(r => r.Raw > 0));

        await scenario.MarkAsync(scenario.Experts["E-KR"], "CN-07", "frz-2", new { aspectId = "A1.1", achieved = true });
        Assert.NotNull(await jury.WaitForAsync(s => RawOf(s, "CN-07") == 40m, Deadline));

        // Likewise the publication is the barrier for the hidden mark: nothing before it showed a mark.
        var publish = await scenario.Organiser.PostAsync($"{scenario.Path}/publish", null);
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        Assert.NotNull(await spectator.WaitForAsync(s => s.Published && RawOf(s, "CN-07") == 40m && RawOf(s, "KR-07") == 40m, Deadline));
        Assert.DoesNotContain(spectator.Received.TakeWhile(s => !s.Published), s => s.Rows.Any(r => r.Raw > 0));
    }

    /// <summary>
    /// Found by an outside tester: freezing a frozen skill again moved its standings but not the results, the feed or
    /// the hub; a frozenAt in the past published the marks entered since under an earlier time; one in the future hid
    /// the skill until then.
    /// </summary>
    [Fact]
    public async Task FreezingAgain_ReachesEveryPublicView_APastFreezeIsRefused_AFutureOneStaysLiveUntilThen()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var visibility = $"{scenario.Path}/visibility";
        await using var spectator = await Spectator.ConnectAsync(node, scenario.Code);
        await using var jury = await Spectator.ConnectAsync(node, scenario.Code, scenario.Experts["E-DE"].DefaultRequestHeaders.Authorization!.Parameter!);
        await spectator.SubscribeAsync();
        await jury.SubscribeAsync();
        async Task<string?> Leader() => System.Text.Json.JsonDocument.Parse(await scenario.Anonymous.GetStringAsync($"/api/competitions/{scenario.Code}/results"))
            .RootElement.GetProperty("leaders").EnumerateArray().Select(l => l.GetProperty("competitorId").GetString()).Aggregate((a, b) => $"{a} {b}");

        var past = await scenario.Organiser.PutAsJsonAsync(visibility, new { mode = "Frozen", frozenAt = DateTimeOffset.UtcNow.AddMinutes(-10) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, past.StatusCode);
        Assert.Contains("frozenAt", await past.Content.ReadAsStringAsync());

        // (A freeze time with Hidden or Live is refused: AFreezeTime_GoesWithModeFrozenOnly.)
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync(visibility, new { mode = "Frozen", frozenAt = DateTimeOffset.UtcNow.AddMinutes(30) })).StatusCode);
        await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "fa-1", new { aspectId = "A1.1", achieved = true });
        Assert.NotNull(await spectator.WaitForAsync(s => RawOf(s, "KR-07") == 40m && s.Mode == VisibilityMode.Live, Deadline));
        Assert.Equal(VisibilityMode.Live, (await scenario.Anonymous.GetFromJsonAsync<Standings>($"{scenario.Path}/standings", Json))!.Mode);

        var freezing = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync(visibility, new { mode = "Frozen" })).StatusCode);
        var frozenNow = await spectator.WaitForAsync(s => s.Mode == VisibilityMode.Frozen, Deadline);
        // As of the freeze, not of the last mark before it (found by an outside tester).
        Assert.True(frozenNow!.AsOf >= freezing, $"asOf {frozenNow.AsOf:O} is before the freeze at {freezing:O}");
        await scenario.MarkAsync(scenario.Experts["E-KR"], "CN-07", "fa-2", new { aspectId = "A1.1", achieved = true });
        Assert.NotNull(await jury.WaitForAsync(s => RawOf(s, "CN-07") == 40m, Deadline));
        Assert.Equal("KR-07", await Leader());

        // Frozen again: the new snapshot (CN-07 level with KR-07, first by id) reaches the hub and the results alike, where
        // both lead the skill (an outside tester: a tie for first named only the first).
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync(visibility, new { mode = "Frozen" })).StatusCode);
        Assert.NotNull(await spectator.WaitForAsync(s => RawOf(s, "CN-07") == 40m && s.Mode == VisibilityMode.Frozen, Deadline));
        Assert.True(await TestNode.EventuallyAsync(async () => await Leader() == "CN-07 KR-07", Deadline), await Leader());

        // A freeze set for a moment later takes effect by itself: the hub and the feed's visibility event say so (the
        // feed keys a view by its sequence, so the unchanged rows are announced under a new one).
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync(visibility, new { mode = "Live" })).StatusCode);
        Assert.NotNull(await spectator.WaitForAsync(s => s.Mode == VisibilityMode.Live, Deadline));
        var frozenAt = DateTimeOffset.UtcNow.AddSeconds(2);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync(visibility, new { mode = "Frozen", frozenAt })).StatusCode);
        var scheduled = await spectator.WaitForAsync(s => s.Mode == VisibilityMode.Frozen, Deadline);
        // As of the freeze time, not of the moment the snapshot was taken (found by an outside tester: a mark acknowledged
        // after the freeze time and left out was older than the frozen view's asOf).
        Assert.True(scheduled!.AsOf <= frozenAt, $"asOf {scheduled.AsOf:O} is after the freeze time {frozenAt:O}");
        using var feedWait = new CancellationTokenSource(Deadline);
        using var feed = await scenario.Anonymous.GetAsync($"/api/competitions/{scenario.Code}/events", HttpCompletionOption.ResponseHeadersRead, feedWait.Token);
        using var lines = new StreamReader(await feed.Content.ReadAsStreamAsync(feedWait.Token));
        var modes = new List<string>();
        while (await lines.ReadLineAsync(feedWait.Token) is { } line)
        {
            if (line.Length > 0 && System.Text.Json.JsonDocument.Parse(line).RootElement is { } e && e.GetProperty("type").GetString() == "visibility")
            {
                modes.Add(e.GetProperty("data").GetProperty("mode").GetString()!);
                if (modes.Count >= 2 && modes[^2] == "Live" && modes[^1] == "Frozen")
                {
                    break;
                }
            }
        }
        Assert.Equal(["Live", "Frozen"], modes[^2..]);
    }

    /// <summary>
    /// Found by an outside tester: Hidden or Live with a frozenAt answered 200 and dropped the time without a word. A
    /// freeze time goes with Frozen only: otherwise a 422 naming frozenAt, and nothing stored changes.
    /// </summary>
    [Theory]
    [InlineData("Hidden", 30)]
    [InlineData("Live", 30)]
    [InlineData("Live", 0)]
    [InlineData("hidden", -30)]
    public async Task AFreezeTime_GoesWithModeFrozenOnly(string mode, int minutesFromNow)
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var visibility = $"{scenario.Path}/visibility";
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync(visibility, new { mode = "Frozen" })).StatusCode);
        async Task<string> Stored() => System.Text.Json.JsonDocument.Parse(await scenario.Organiser.GetStringAsync(scenario.Path)).RootElement
            .GetProperty("event").GetProperty("visibility").GetRawText();
        var before = await Stored();
        var audit = await scenario.Organiser.GetStringAsync($"{scenario.Path}/audit");

        var refused = await scenario.Organiser.PutAsJsonAsync(visibility, new { mode, frozenAt = DateTimeOffset.UtcNow.AddMinutes(minutesFromNow) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("frozenAt", "freeze-time-without-a-freeze"), (problem.GetProperty("field").GetString(), problem.GetProperty("code").GetString()));
        Assert.Equal(before, await Stored());
        Assert.Equal(audit, await scenario.Organiser.GetStringAsync($"{scenario.Path}/audit"));
        // Without a time, or with an explicit null (the console's form), the mode is set.
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync(visibility, new { mode, frozenAt = (DateTimeOffset?)null })).StatusCode);
        Assert.Contains(mode, await Stored(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ProgressFeed_IsForTheJuryAndTheSkillsTablets_AndNamesChangedCompetitors()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var code = scenario.Code;
        async Task<(Spectator Hub, ConcurrentQueue<string> Changed)> Follow(string expert)
        {
            var hub = await Spectator.ConnectAsync(node, code, scenario.Experts[expert].DefaultRequestHeaders.Authorization!.Parameter!);
            var changed = new ConcurrentQueue<string>();
            hub.Connection.On<System.Text.Json.JsonElement>("sheetsChanged", e =>
            {
                foreach (var id in e.GetProperty("competitorIds").EnumerateArray())
                {
                    changed.Enqueue(id.GetString()!);
                }
            });
            await hub.Connection.InvokeAsync("SubscribeProgress", code, Skill);
            return (hub, changed);
        }
        // The Chief Expert, and a judge's tablet of the skill (its app refetches its own sheet: an outside tester saw a
        // colleague's measurement only after reopening the competitor, and replaced it unawares).
        var (jury, juryChanged) = await Follow("E-DE");
        await using var _ = jury;
        var (judge, judgeChanged) = await Follow("E-JP");
        await using var __ = judge;

        // Not a tablet of another competition's skill, nor a spectator.
        var other = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        await using var outsider = await Spectator.ConnectAsync(node, code, other.Experts["E-FR"].DefaultRequestHeaders.Authorization!.Parameter!);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => outsider.Connection.InvokeAsync("SubscribeProgress", code, Skill));
        await using var spectator = await Spectator.ConnectAsync(node, code);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => spectator.Connection.InvokeAsync("SubscribeProgress", code, Skill));

        // A partial judgement set changes no total but does change the sheet.
        await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "prog-1", new { aspectId = "A1.2", score = 2 });
        Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(juryChanged.Contains("KR-07") && judgeChanged.Contains("KR-07")), Deadline));

        // A lock and its unlock are each said to the skill's tablets, which read their assignment again (an outside tester:
        // an unlocked aspect stayed read-only on the tablet until a reload).
        var rules = new ConcurrentQueue<string>();
        judge.Connection.On<System.Text.Json.JsonElement>("rulesChanged", e => rules.Enqueue($"{e.GetProperty("competition").GetString()}/{e.GetProperty("skill").GetInt32()}"));
        Assert.Equal(HttpStatusCode.OK, (await scenario.Experts["E-DE"].PostAsJsonAsync($"{scenario.Path}/locks", new { target = "A" })).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(rules.Count == 1), Deadline));
        Assert.Equal(HttpStatusCode.OK, (await scenario.Experts["E-DE"].PostAsJsonAsync($"{scenario.Path}/locks/A/unlock", new { reason = "Corrected" })).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(rules.Count == 2), Deadline));
        Assert.All(rules, r => Assert.Equal($"{code}/{Skill}", r));

        // A visibility change is said to the skill's jury too: an open console's card follows it (an outside tester: it showed
        // a change made elsewhere only when next drawn).
        var visibility = new ConcurrentQueue<string>();
        jury.Connection.On<System.Text.Json.JsonElement>("visibilityChanged", e => visibility.Enqueue($"{e.GetProperty("competition").GetString()}/{e.GetProperty("skill").GetInt32()}"));
        foreach (var (mode, count) in new[] { ("Hidden", 1), ("Live", 2) })
        {
            Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync($"{scenario.Path}/visibility", new { mode })).StatusCode);
            Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(visibility.Count == count), Deadline));
        }
        Assert.All(visibility, v => Assert.Equal($"{code}/{Skill}", v));
    }

    [Fact]
    public async Task TheJurysStandingsAndResults_ArePrivate_TheSpectatorsPublic_AndBothVaryByCredentials_AndAnswerHead()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        Assert.Equal(HttpStatusCode.OK, (await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "cache-1", new { aspectId = "A1.2", score = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync($"{scenario.Path}/visibility", new { mode = "Hidden" })).StatusCode);
        var results = $"/api/competitions/{scenario.Code}/results";

        foreach (var (who, client) in new[] { ("organiser (cookie)", scenario.Organiser), ("Chief Expert (bearer)", scenario.Experts["E-DE"]) })
        {
            foreach (var path in who.StartsWith("organiser", StringComparison.Ordinal) ? new[] { $"{scenario.Path}/standings", results } : [$"{scenario.Path}/standings"])
            {
                var answer = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.True(answer.Headers.CacheControl is { Private: true, Public: false }, $"{who} {path}: {answer.Headers.CacheControl}");
                Assert.Contains("Cookie", answer.Headers.Vary);
                Assert.Contains("Authorization", answer.Headers.Vary);
            }
        }
        foreach (var path in new[] { $"{scenario.Path}/standings", results })
        {
            var answer = await scenario.Anonymous.GetAsync(path);
            Assert.True(answer.Headers.CacheControl is { Public: true, Private: false, MaxAge.TotalSeconds: TransferRegistration.PublicReadMaxAge }, $"{path}: {answer.Headers.CacheControl}");
            Assert.Contains("Cookie", answer.Headers.Vary);
            Assert.Contains("Authorization", answer.Headers.Vary);

            // If-None-Match compares weakly (RFC 9110): the served W/"x", or "x" (a proxy may drop the W/), is a 304.
            var etag = answer.Headers.ETag!;
            Assert.True(etag.IsWeak);
            foreach (var tag in new[] { etag.ToString(), etag.Tag, $"\"other\", {etag.Tag}" })
            {
                using var again = new HttpRequestMessage(HttpMethod.Get, path);
                again.Headers.TryAddWithoutValidation("If-None-Match", tag);
                Assert.Equal(HttpStatusCode.NotModified, (await scenario.Anonymous.SendAsync(again)).StatusCode);
            }

            // HEAD, as the CORS preflight advertises: the GET's headers, no body.
            using var head = await scenario.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(etag, head.Headers.ETag);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }
}
