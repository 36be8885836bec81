using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// The open results feed: a client that drops the connection at random points and resumes with ?since= receives
/// every event exactly once, in id order; SSE resumes from Last-Event-ID; a frozen board's events show nothing new.
/// </summary>
[Collection(ServerCollection.Feed)]
public sealed class ResultsFeedTests(PostgresFixture postgres, NodeFixture shared) : IClassFixture<NodeFixture>
{
    /// <summary>
    /// Found by an outside tester: an append that failed once (the database busy past the command timeout) was dropped,
    /// and the feed stayed on the old standings until the skill's next change. It is tried again until stored.
    /// </summary>
    [Fact]
    public async Task AChangeTheFeedCouldNotStore_IsStoredOnceTheDatabaseAnswers()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var node = await TestNode.StartAsync(database + ";Command Timeout=3");
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        async Task<(long Public, long? Feed)> SequencesAsync()
        {
            var standings = await scenario.Anonymous.GetFromJsonAsync<System.Text.Json.JsonElement>($"{scenario.Path}/standings");
            await using var connection = new Npgsql.NpgsqlConnection(database);
            var feed = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, """
                select (data->>'sequence')::bigint from skillshub.feed_events where competition = @code and type = 'standings' and skill = @skill order by id desc limit 1
                """, new { code = scenario.Code, skill = MarkingScenario.Skill });
            return (standings.GetProperty("sequence").GetInt64(), feed);
        }
        (await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "feed-retry-1", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        Assert.True(await TestNode.EventuallyAsync(async () => await SequencesAsync() is var (shown, fed) && fed == shown, TimeSpan.FromSeconds(20)), "the first change never reached the feed");

        await using (var blocker = new Npgsql.NpgsqlConnection(database))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await Dapper.SqlMapper.ExecuteAsync(blocker, "select 1 from skillshub.feed_counters where competition = @code for update", new { code = scenario.Code }, transaction);
            // A change the feed shows (places and scaled scores move; a raw total alone is not in the feed).
            (await scenario.MarkAsync(scenario.Experts["E-FR"], "CN-07", "feed-retry-2", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
            // The append waits on the lock past its 3 s timeout, at least once.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var (held, stale) = await SequencesAsync();
            Assert.NotEqual(held, stale);
            await transaction.CommitAsync();
        }
        Assert.True(await TestNode.EventuallyAsync(async () => await SequencesAsync() is var (shown, fed) && fed == shown, TimeSpan.FromSeconds(30)),
            $"the feed stayed at {(await SequencesAsync()).Feed}");
    }

    /// <summary>
    /// Found by an outside tester: the feed escaped every non-ASCII character ("\u738B"), while the API's reads write a Chinese
    /// name as its characters. A line is written as they write theirs, and reads back the same.
    /// </summary>
    [Fact]
    public void AnEventLine_WritesChineseAsItsCharacters()
    {
        var line = SkillsHub.Server.Feed.FeedEvents.Serialize(new(7, "standings", 1, DateTimeOffset.UnixEpoch,
            new JsonObject { ["rows"] = new JsonArray(new JsonObject { ["name"] = "王𠮷野 <b>" }) }));
        Assert.Contains("\"name\":\"王\\uD842\\uDFB7野 <b>\"", line);
        Assert.Equal("王𠮷野 <b>", (string?)JsonNode.Parse(line)!["data"]!["rows"]![0]!["name"]);
    }

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
            quietRounds = writer.IsCompleted && received.Count == before && last == await ScalarAsync(node, "select coalesce(max(id), 0) from skillshub.feed_events where competition = @code", new { code = scenario.Code }) ? quietRounds + 1 : 0;
        }
        await writer;

        var ids = received.Select(e => (long)e["id"]!).ToList();
        var stored = await ScalarAsync(node, "select count(*) from skillshub.feed_events where competition = @code", new { code = scenario.Code });
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

        // A resume point that is not a whole number from 0 is a 422 naming since (docs/feed.md), from the query or Last-Event-ID.
        foreach (var since in new[] { "abc", "-1", "1.5", "\uFF11", "+1" })
        {
            var refused = await http.GetAsync($"{feed}?since={since}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("since", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["field"]);
        }
        // Found by an outside tester: a resume point past the last event (another database's ids) waited for ever.
        var newest = ids.Max();
        // A whole number too large for any id is past every event too (an outside tester: it was "not a whole number", 422).
        foreach (var (query, header, field) in new[] { ($"{newest + 1000}", null, "since"), ("0", $"{newest + 1000}", "Last-Event-ID"), ("99999999999999999999", null, "since"), ("0", "9223372036854775808", "Last-Event-ID") })
        {
            using var ahead = new HttpRequestMessage(HttpMethod.Get, $"{feed}?since={query}");
            if (header is not null)
            {
                ahead.Headers.Add("Last-Event-ID", header);
            }
            using var refusedAhead = await http.SendAsync(ahead);
            Assert.Equal(HttpStatusCode.Conflict, refusedAhead.StatusCode);
            var problem = JsonNode.Parse(await refusedAhead.Content.ReadAsStringAsync())!;
            Assert.Equal(field, (string?)problem["field"]);
            Assert.InRange((long)problem["lastEventId"]!, newest, newest + 999);
        }
        // HEAD answers the stream's headers at once (no endless empty stream).
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, feed));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/x-ndjson", head.Content.Headers.ContentType?.MediaType);
        using var lastEventId = new HttpRequestMessage(HttpMethod.Get, feed);
        lastEventId.Headers.Add("Last-Event-ID", "abc");
        var refusedHeader = await http.SendAsync(lastEventId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedHeader.StatusCode);
        Assert.Equal("Last-Event-ID", (string?)JsonNode.Parse(await refusedHeader.Content.ReadAsStringAsync())!["field"]);

        // An EventSource opened on ...?since=N reconnects to the same address with Last-Event-ID: the later of the two
        // decides, so no event comes twice (docs/feed.md, "Resumable"). An empty since is none, as the document's pattern
        // says (an outside tester: it said 422 while the server read it as none).
        foreach (var (query, header) in new[] { ("1", "3"), ("3", "1"), ("", "3") })
        {
            using var resume = new HttpRequestMessage(HttpMethod.Get, $"{feed}?since={query}");
            resume.Headers.Accept.ParseAdd("text/event-stream");
            resume.Headers.Add("Last-Event-ID", header);
            using var resumeCut = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var resumed = await http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, resumeCut.Token);
            using var resumedReader = new StreamReader(await resumed.Content.ReadAsStreamAsync(resumeCut.Token));
            string? first = null;
            while (first is null && await resumedReader.ReadLineAsync(resumeCut.Token) is { } line)
            {
                first = line.StartsWith("id: ", StringComparison.Ordinal) ? line[4..] : null;
            }
            Assert.Equal("4", first);
        }

        // Content negotiation by q-value (docs/feed.md, "Formats"): text/event-stream;q=0 is not SSE; neither type
        // acceptable is a 406 naming Accept.
        foreach (var (accept, expected) in new[]
        {
            ("*/*;q=0.1, text/event-stream;q=0", "application/x-ndjson"),
            ("text/event-stream;q=0.5, application/x-ndjson", "application/x-ndjson"),
            ("application/*", "application/x-ndjson"),
            ("text/*", "text/event-stream"),
            ("application/x-ndjson;q=0.5, text/event-stream", "text/event-stream"),
            // Found by an outside tester: */* (what fetch() and curl send) was SSE, and the documented NDJSON client broke.
            ("*/*", "application/x-ndjson"),
            ("text/event-stream, */*", "text/event-stream"),
            ("text/event-stream, application/x-ndjson", "application/x-ndjson"),
        })
        {
            using var negotiated = new HttpRequestMessage(HttpMethod.Head, feed);
            negotiated.Headers.TryAddWithoutValidation("Accept", accept);
            using var answer = await http.SendAsync(negotiated);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(expected, answer.Content.Headers.ContentType?.MediaType);
            // The answer depends on Accept, and says so to caches (found by an outside tester: no Vary).
            Assert.Contains("Accept", answer.Headers.Vary);
        }
        foreach (var accept in new[] { "application/json", "text/event-stream;q=0, application/x-ndjson;q=0" })
        {
            using var unacceptable = new HttpRequestMessage(HttpMethod.Get, feed);
            unacceptable.Headers.TryAddWithoutValidation("Accept", accept);
            using var answer = await http.SendAsync(unacceptable);
            Assert.Equal(HttpStatusCode.NotAcceptable, answer.StatusCode);
            Assert.Equal("Accept", (string?)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["field"]);
            Assert.Contains("Accept", answer.Headers.Vary);
        }
        // Every answer, the refusals before the feed is read too (found by an outside tester: a 422 and a 404 had no Vary).
        foreach (var (refused, status) in new[] { ($"{feed}?since=abc", HttpStatusCode.UnprocessableEntity), ("/api/competitions/NOPE1/events", HttpStatusCode.NotFound) })
        {
            using var answer = await http.GetAsync(refused);
            Assert.Equal(status, answer.StatusCode);
            Assert.Contains("Accept", answer.Headers.Vary);
        }
    }

    /// <summary>
    /// Forty followers of one competition cost the database what one does (docs/feed.md, "How it works"): while they
    /// sit idle the node reads new events once per poll for all of them, not once per follower. Each still gets every
    /// event exactly once and in order: those resuming from the start read the older events from the database first.
    /// </summary>
    [Fact]
    public async Task ManyFollowers_ShareOneReader_AndEachGetsEveryEventOnce()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var kr = scenario.Experts["E-KR"];
        async Task MarkAsync(int i) => Assert.Equal(HttpStatusCode.OK,
            (await scenario.MarkAsync(kr, i % 2 == 0 ? "FR-07" : "CN-07", $"followers-{i}", new { aspectId = "A1.1", achieved = i % 3 != 0 })).StatusCode);
        async Task<long> StoredAsync() => await ScalarAsync(node, "select coalesce(max(id), 0) from skillshub.feed_events where competition = @code", new { code = scenario.Code });
        for (var i = 0; i < 3; i++)
        {
            await MarkAsync(i);
        }
        var before = await StoredAsync();
        Assert.True(before > 0);

        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const int Followers = 40;
        var received = Enumerable.Range(0, Followers).Select(_ => new List<long>()).ToArray();
        var opened = 0;
        var readers = Enumerable.Range(0, Followers).Select(f => Task.Run(async () =>
        {
            // Half resume from the start, half from the last event stored before they came.
            var since = f % 2 == 0 ? 0 : before;
            try
            {
                using var response = await http.GetAsync($"/api/competitions/{scenario.Code}/events?since={since}", HttpCompletionOption.ResponseHeadersRead, stop.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Assert.Fail($"since={since} before={before}: {(int)response.StatusCode} " + await response.Content.ReadAsStringAsync());
                }
                Interlocked.Increment(ref opened);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line.Length > 0)
                    {
                        lock (received[f])
                        {
                            received[f].Add((long)JsonNode.Parse(line)!["id"]!);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();
        long Count(int f)
        {
            lock (received[f])
            {
                return received[f].Count;
            }
        }
        Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref opened) == Followers
            && Enumerable.Range(0, Followers).Where(f => f % 2 == 0).All(f => Count(f) >= before)), TimeSpan.FromSeconds(30)),
            $"every follower connected ({Volatile.Read(ref opened)} of {Followers}) and caught up ({string.Join(" ", Enumerable.Range(0, Followers).Select(Count))} of {before})");

        // Idle: two seconds are ten polls of one reader; forty followers each polling would have read 400 times.
        var feed = node.Services.GetRequiredService<SkillsHub.Server.Feed.FeedStore>();
        var reads = feed.Reads;
        await Task.Delay(TimeSpan.FromSeconds(2));
        reads = feed.Reads - reads;
        Assert.True(reads < Followers / 2, $"{reads} reads of the feed in 2 s by {Followers} idle followers");

        // A follower with nothing to receive yet gets its answer at once, not with the first heartbeat 15 s later.
        using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        using (var ahead = await http.GetAsync($"/api/competitions/{scenario.Code}/events?since={await StoredAsync()}", HttpCompletionOption.ResponseHeadersRead, quiet.Token))
        {
            Assert.Equal(HttpStatusCode.OK, ahead.StatusCode);
        }

        for (var i = 3; i < 6; i++)
        {
            await MarkAsync(i);
        }
        // The events of a mark are stored just after it is acknowledged: wait until every follower has the last one stored.
        long last = 0;
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            last = await StoredAsync();
            return last > before && Enumerable.Range(0, Followers).All(f => Count(f) == last - (f % 2 == 0 ? 0 : before));
        }, TimeSpan.FromSeconds(30)), "every follower received the new events");
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        for (var f = 0; f < Followers; f++)
        {
            // Every event from where the follower started, each once and in order; a push folded into the next second
            // may still have added events after `last` before the followers were stopped.
            var from = f % 2 == 0 ? 1 : before + 1;
            var got = received[f];
            Assert.True(got.Count > 0 && got[^1] >= last, $"follower {f} stopped at {(got.Count > 0 ? got[^1] : 0)} before {last}");
            Assert.Equal(Enumerable.Range((int)from, (int)(got[^1] - from + 1)).Select(i => (long)i), got);
        }
    }

    /// <summary>
    /// Found by an outside tester: a skill's grain started again (after a restart, or once collected while idle) first
    /// ranked its competitors with no totals loaded and announced everyone at 700 with no medal; the feed kept that as
    /// final results before the true standings followed. Now nothing is ranked or announced until the totals are in,
    /// and a view that shows what the last one showed makes no feed event.
    /// </summary>
    [Fact]
    public async Task ASkillStartedAgain_AnnouncesNothingBeforeItsTotals_AndItsUnchangedViewAddsNoEvent()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var store = node.Services.GetRequiredService<Feed.FeedStore>();
        Assert.Equal(HttpStatusCode.OK, (await scenario.MarkAsync(scenario.Experts["E-KR"], "CN-07", "restart-1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PostAsync($"{scenario.Path}/publish", null)).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () =>
            (await store.ReadAsync(scenario.Code, 0, 100, default)).Any(e => e.Type == "results"), TimeSpan.FromSeconds(20)), "no results event");
        var standingsPath = $"{scenario.Path}/standings";
        var before = await scenario.Anonymous.GetFromJsonAsync<JsonObject>(standingsPath);
        await Task.Delay(1500); // the push window: every announcement of the first activation is stored
        var last = await store.LastIdAsync(scenario.Code, default);

        // Every idle activation is collected; the next read starts the skill's grain again, while a recorder hears every
        // standings the skill announces (as each node's hub and feed writer do).
        var grains = node.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var recorder = new AnnouncementRecorder();
        var reference = grains.CreateObjectReference<SkillsHub.Abstractions.ILeaderboardObserver>(recorder);
        await grains.GetGrain<SkillsHub.Abstractions.ILeaderboardRegistryGrain>(0).Register(reference);
        var after = await scenario.Anonymous.GetFromJsonAsync<JsonObject>(standingsPath);
        Assert.True((long)after!["sequence"]! - (long)before!["sequence"]! >= 1000, "the skill's grain was not started again");
        Assert.Equal(before["rows"]!.ToJsonString(), after["rows"]!.ToJsonString());
        await Task.Delay(2500);
        await grains.GetGrain<SkillsHub.Abstractions.ILeaderboardRegistryGrain>(0).Unregister(reference);
        var heard = recorder.Heard.Where(v => v.CompetitionCode == scenario.Code).ToList();
        Assert.DoesNotContain(heard, v => v.Rows.Count > 0 && v.Rows.All(r => r.Scaled == 700));
        var added = await store.ReadAsync(scenario.Code, last, 100, default);
        Assert.True(added.Count == 0, string.Join("\n", added.Select(e => $"{e.Id} {e.Type} {e.Data.ToJsonString()}")));
    }

    /// <summary>Every standings (live and public) a skill announces, as a node's leaderboard observer hears them.</summary>
    sealed class AnnouncementRecorder : SkillsHub.Abstractions.ILeaderboardObserver
    {
        public System.Collections.Concurrent.ConcurrentQueue<SkillsHub.Abstractions.Standings> Heard { get; } = new();

        public Task OnStandings(SkillsHub.Abstractions.Standings live, SkillsHub.Abstractions.Standings? publicView)
        {
            Heard.Enqueue(live);
            if (publicView is not null)
            {
                Heard.Enqueue(publicView);
            }
            return Task.CompletedTask;
        }

        public Task OnSheetsChanged(string competitionCode, int skillNumber, IReadOnlyList<string> competitorIds) => Task.CompletedTask;

        public Task OnRulesChanged(string competitionCode, int skillNumber) => Task.CompletedTask;

        public Task OnVisibilityChanged(string competitionCode, int skillNumber) => Task.CompletedTask;
    }

    [Fact]
    public void PublishedResults_AreRepeatedOnlyWhenTheRowsChange_WhateverOrderStorageGivesTheirKeys()
    {
        var current = new SkillsHub.Abstractions.Standings("FEED", 7, 2, DateTimeOffset.UnixEpoch, SkillsHub.Abstractions.VisibilityMode.Live, true,
            [new SkillsHub.Abstractions.StandingRow(1, "FR-07", "Ann Blanc", "FR", 50m, 700, "Gold", [])], 500m, 100m, Decided: true);
        var stored = Feed.FeedEvents.From(null, current).Single(e => e.Type == "standings").Data;
        // As jsonb gives it back: every object's keys in another order.
        static JsonNode Reordered(JsonNode node) => node switch
        {
            JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Reordered(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(n => n is null ? null : Reordered(n))]),
            _ => node.DeepClone(),
        };
        var previous = (JsonObject)Reordered(stored);

        var toggled = Feed.FeedEvents.From(previous, current with { Sequence = 3, Mode = SkillsHub.Abstractions.VisibilityMode.Frozen });
        Assert.Contains(toggled, e => e.Type == "visibility");
        Assert.DoesNotContain(toggled, e => e.Type == "results");

        var changed = Feed.FeedEvents.From(previous, current with { Sequence = 4, Rows = [current.Rows[0] with { Name = "Anne Blanc" }] });
        Assert.Contains(changed, e => e.Type == "results");

        // The same view under a new sequence and time (a skill started again) is no change; a frozen view frozen at
        // another time is.
        Assert.Empty(Feed.FeedEvents.From(previous, current with { Sequence = 5, AsOf = DateTimeOffset.UnixEpoch.AddHours(1) }));
        var frozen = current with { Sequence = 6, Mode = SkillsHub.Abstractions.VisibilityMode.Frozen, Published = false };
        var frozenStored = (JsonObject)Reordered(Feed.FeedEvents.From(previous, frozen).Single(e => e.Type == "standings").Data);
        Assert.Empty(Feed.FeedEvents.From(frozenStored, frozen with { Sequence = 7 }));
        Assert.Contains(Feed.FeedEvents.From(frozenStored, frozen with { Sequence = 8, AsOf = DateTimeOffset.UnixEpoch.AddHours(2) }), e => e.Type == "standings");
        // A published skill shows its live standings while frozen, timed by the grain's start: started again, it is the same
        // view (found by an outside tester: each restart added a standings event).
        var published = current with { Sequence = 9, Mode = SkillsHub.Abstractions.VisibilityMode.Frozen, Published = true };
        var publishedStored = (JsonObject)Reordered(Feed.FeedEvents.From(previous, published).Single(e => e.Type == "standings").Data);
        Assert.Empty(Feed.FeedEvents.From(publishedStored, published with { Sequence = 10, AsOf = DateTimeOffset.UnixEpoch.AddHours(3) }));

        // Corrected down to no total above 0, the published skill's results are withdrawn (final: false, no rows), once;
        // decided again, they are final again. An event stored before "decided" was written counts as decided.
        var undecided = current with { Sequence = 11, Rows = [current.Rows[0] with { Raw = 0m, Award = "None" }], Decided = false };
        var withdrawal = Feed.FeedEvents.From(previous, undecided).Single(e => e.Type == "results").Data;
        Assert.Equal((false, 0), ((bool)withdrawal["final"]!, withdrawal["rows"]!.AsArray().Count));
        var undecidedStored = (JsonObject)Reordered(Feed.FeedEvents.From(previous, undecided).Single(e => e.Type == "standings").Data);
        Assert.False((bool)undecidedStored["decided"]!);
        Assert.Empty(Feed.FeedEvents.From(undecidedStored, undecided with { Sequence = 12 }));
        Assert.DoesNotContain(Feed.FeedEvents.From(undecidedStored, undecided with { Sequence = 13, Rows = [undecided.Rows[0] with { Name = "Anne Blanc" }] }), e => e.Type == "results");
        var decidedAgain = Feed.FeedEvents.From(undecidedStored, current with { Sequence = 14 }).Single(e => e.Type == "results").Data;
        Assert.True((bool)decidedAgain["final"]!);
        var legacy = (JsonObject)previous.DeepClone();
        legacy.Remove("decided");
        Assert.False((bool)Feed.FeedEvents.From(legacy, undecided).Single(e => e.Type == "results").Data["final"]!);
    }
}
