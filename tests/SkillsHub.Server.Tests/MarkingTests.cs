using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Tests;

/// <summary>
/// The marking API end to end: real node, real PostgreSQL, real grains; only HTTP from the outside. The tests
/// share one node, each with a competition of its own; the restart test has a node of its own.
/// </summary>
[Collection(ServerCollection.Marking)]
public sealed class MarkingTests(PostgresFixture postgres, NodeFixture shared) : IClassFixture<NodeFixture>, IAsyncLifetime
{
    MarkingScenario _s = null!;

    public async Task InitializeAsync() => _s = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());

    public Task DisposeAsync() => Task.CompletedTask;

    string Path => _s.Path;

    static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>
    /// The lock endpoints (docs/scoring.md, "Locks"): a lock names a criterion or a marking day of the scheme, never a
    /// sub-criterion or an aspect; a second lock of the same target is refused and changes nothing; only what is locked can
    /// be unlocked, with a reason; each answer names its field, and each step is in the skill's audit trail.
    /// </summary>
    [Fact]
    public async Task Locks_NameACriterionOrAMarkingDay_OnceEach_AndAreAudited()
    {
        var chief = _s.Experts["E-DE"];
        async Task<(HttpStatusCode Status, string? Field)> Answer(Task<HttpResponseMessage> call)
        {
            using var response = await call;
            var body = await Json(response);
            return (response.StatusCode, body.ValueKind == JsonValueKind.Object && body.TryGetProperty("field", out var field) ? field.GetString() : null);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "target"), await Answer(chief.PostAsJsonAsync($"{Path}/locks", new { target = "A1" })));
        Assert.Equal((HttpStatusCode.BadRequest, "target"), await Answer(chief.PostAsJsonAsync($"{Path}/locks", new { target = "A1.1" })));
        Assert.Equal((HttpStatusCode.BadRequest, "target"), await Answer(chief.PostAsJsonAsync($"{Path}/locks", new { target = "C9" })));
        Assert.Equal(HttpStatusCode.OK, (await Answer(chief.PostAsJsonAsync($"{Path}/locks", new { target = "C1" }))).Status);
        Assert.Equal((HttpStatusCode.Conflict, "target"), await Answer(chief.PostAsJsonAsync($"{Path}/locks", new { target = "C1" })));
        Assert.Equal((HttpStatusCode.NotFound, "target"), await Answer(chief.PostAsJsonAsync($"{Path}/locks/B/unlock", new { reason = "Not locked" })));
        Assert.Equal((HttpStatusCode.BadRequest, "reason"), await Answer(chief.PostAsJsonAsync($"{Path}/locks/C1/unlock", new { reason = " " })));
        Assert.Equal(HttpStatusCode.OK, (await Answer(chief.PostAsJsonAsync($"{Path}/locks/C1/unlock", new { reason = "Re-measured" }))).Status);

        var audit = (await Json(await chief.GetAsync($"{Path}/audit"))).EnumerateArray()
            .Select(a => (Action: a.GetProperty("action").GetString(), Outcome: a.GetProperty("outcome").GetString(), Reason: a.GetProperty("reason").GetString()))
            .Where(a => a.Action!.Contains("lock:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("unlock:C1", "unlocked", "Re-measured"), ("lock:C1", "already locked", null), ("lock:C1", "locked", null)],
            audit.Select(a => (a.Action, a.Outcome, a.Reason)).ToList());
    }

    [Fact]
    public async Task SheetOfACompetitorNotOnTheRoster_Is404NamingTheCompetitor_AndOneNotYetMarkedIsEmpty()
    {
        var unknown = await _s.Organiser.GetAsync($"{Path}/competitors/XX-07/sheet");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await Json(unknown);
        Assert.Equal("competitorId", problem.GetProperty("field").GetString());
        Assert.Equal("unknown-competitor", problem.GetProperty("code").GetString());

        var unmarked = await _s.Organiser.GetAsync($"{Path}/competitors/CN-07/sheet");
        Assert.Equal(HttpStatusCode.OK, unmarked.StatusCode);
        Assert.Equal("CN-07", (await Json(unmarked)).GetProperty("competitorId").GetString());
    }

    [Fact]
    public async Task AcceptedMarks_UpdateTheSheetAndTheStandings()
    {
        var fr = _s.Experts["E-FR"];
        var response = await _s.MarkAsync(fr, "KR-07", "k1", new { aspectId = "A1.1", achieved = true }, new { aspectId = "A1.2", score = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.True(body.GetProperty("accepted").GetBoolean());
        // An expert's answer carries no competitor total: the tablet sees only its groups' aspects (an outside tester).
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("rawTotal").ValueKind);

        var sheet = await Json(await _s.Organiser.GetAsync($"{Path}/competitors/KR-07/sheet"));
        Assert.Equal(40m, sheet.GetProperty("rawTotal").GetDecimal());

        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            var standings = await Json(await _s.Anonymous.GetAsync($"{Path}/standings"));
            if (standings.GetProperty("rows").GetArrayLength() == 0)
            {
                return false;
            }
            var top = standings.GetProperty("rows")[0];
            return top.GetProperty("competitorId").GetString() == "KR-07" && top.GetProperty("raw").GetDecimal() == 40m && top.GetProperty("award").GetString() == "Gold";
        }, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ThreeJudgesInParallel_GiveOneConsistentMark()
    {
        var judges = new[] { ("E-FR", 2), ("E-KR", 2), ("E-JP", 3) };
        var responses = await Task.WhenAll(judges.Select(j =>
            _s.MarkAsync(_s.Experts[j.Item1], "CN-07", "p-" + j.Item1, new { aspectId = "A1.2", score = j.Item2 })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var sheet = await Json(await _s.Organiser.GetAsync($"{Path}/competitors/CN-07/sheet"));
        var aspect = sheet.GetProperty("aspects").EnumerateArray().Single(a => a.GetProperty("aspectId").GetString() == "A1.2");
        Assert.Equal(3, aspect.GetProperty("scores").GetArrayLength());
        Assert.True(aspect.GetProperty("complete").GetBoolean());
        // 20 x (2+2+3) / 9 = 15.5555...: exact inside, shown to 2 places.
        Assert.Equal(15.56m, aspect.GetProperty("mark").GetDecimal());
    }

    [Fact]
    public async Task SameIdempotencyKeyTwice_StoresOneMarkAndReturnsTheFirstAnswer()
    {
        var kr = _s.Experts["E-KR"];
        var first = await Json(await _s.MarkAsync(kr, "FR-07", "same-key", new { aspectId = "B1.1", achieved = true }));
        // The resend carries the same key and the same body: the first answer.
        var again = await _s.MarkAsync(kr, "FR-07", "same-key", new { aspectId = "B1.1", achieved = true });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await Json(again);
        Assert.False(first.GetProperty("replayed").GetBoolean());
        Assert.True(second.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("aspects").GetRawText(), second.GetProperty("aspects").GetRawText());

        await using var connection = new NpgsqlConnection(shared.Database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from skillshub.audit where idempotency_key = 'same-key' and outcome = 'accepted'", connection);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    /// <summary>
    /// Whoever redeems a pairing code marks as its expert, so the Chief Expert's tablet issues a code for the Chief Expert
    /// alone (found by an outside tester: the German Chief Expert took a code for the Japanese expert, redeemed it on a
    /// second tablet and marked the German competitor as E-JP). An organiser issues codes for every expert.
    /// </summary>
    [Fact]
    public async Task AChiefExpertsTablet_PairsATabletForTheChiefExpertOnly()
    {
        var chief = _s.Experts["E-DE"];
        var forAnother = await chief.PostAsJsonAsync($"{_s.Path}/pairing-codes", new { expertId = "E-JP" });
        Assert.Equal(HttpStatusCode.Forbidden, forAnother.StatusCode);
        var problem = await Json(forAnother);
        Assert.Equal(("expertId", "only-your-own-tablet"), (problem.GetProperty("field").GetString(), problem.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await chief.PostAsJsonAsync($"{_s.Path}/pairing-codes", new { expertId = "E-DE" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PostAsJsonAsync($"{_s.Path}/pairing-codes", new { expertId = "E-JP" })).StatusCode);
    }

    /// <summary>
    /// The expert id of a pairing code follows the id rule as the marks' ids do (found by an outside tester: " E " and "a/b"
    /// were both answered "Unknown expert"): spaces around it are not part of it, and an id outside the rule is a 422.
    /// </summary>
    [Fact]
    public async Task APairingCodesExpertId_IsTrimmed_AndOneOutsideTheRuleIsRefusedNamingIt()
    {
        var padded = await _s.Organiser.PostAsJsonAsync($"{_s.Path}/pairing-codes", new { expertId = " E-JP " });
        Assert.Equal(HttpStatusCode.OK, padded.StatusCode);
        Assert.Equal("E-JP", (await Json(padded)).GetProperty("expertId").GetString());
        foreach (var bad in new[] { "a/b", "E JP", new string('x', 65) })
        {
            var refused = await _s.Organiser.PostAsJsonAsync($"{_s.Path}/pairing-codes", new { expertId = bad });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True((await Json(refused)).GetProperty("errors").TryGetProperty("expertId", out _));
        }
    }

    [Fact]
    public async Task EachRefusal_IsProblemDetailsNamingTheCause()
    {
        var fr = _s.Experts["E-FR"];

        // Not assigned: E-CN is not in group G2, which marks criterion B.
        var notAssigned = await _s.MarkAsync(_s.Experts["E-CN"], "KR-07", "r1", new { aspectId = "B1.1", achieved = true });
        Assert.Equal(HttpStatusCode.Forbidden, notAssigned.StatusCode);
        var notAssignedBody = await Json(notAssigned);
        Assert.Equal("NotAssigned", notAssignedBody.GetProperty("kind").GetString());
        Assert.Equal("aspectId", notAssignedBody.GetProperty("field").GetString());

        // Compatriot: the French expert may not mark the French competitor.
        var compatriot = await _s.MarkAsync(fr, "FR-07", "r2", new { aspectId = "A1.1", achieved = true });
        Assert.Equal(HttpStatusCode.Forbidden, compatriot.StatusCode);
        var compatriotBody = await Json(compatriot);
        Assert.Contains("compatriot", compatriotBody.GetProperty("detail").GetString());
        // Every refusal names its field (the problem schema says string): here the competitor the expert may not mark.
        Assert.Equal("competitorId", compatriotBody.GetProperty("field").GetString());

        var unknown = await _s.MarkAsync(fr, "KR-07", "r3", new { aspectId = "Z9.9", achieved = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Equal("Z9.9", (await Json(unknown)).GetProperty("aspectId").GetString());

        var outOfRange = await _s.MarkAsync(fr, "KR-07", "r4", new { aspectId = "A1.2", score = 4 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outOfRange.StatusCode);
        Assert.Equal("A1.2", (await Json(outOfRange)).GetProperty("aspectId").GetString());

        // Spread: 1 and 3 differ by more than 1.
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-KR"], "CN-07", "r5", new { aspectId = "B1.2", score = 1 })).StatusCode);
        var spread = await _s.MarkAsync(_s.Experts["E-JP"], "CN-07", "r6", new { aspectId = "B1.2", score = 3 });
        Assert.Equal(HttpStatusCode.Conflict, spread.StatusCode);
        var spreadBody = await Json(spread);
        Assert.Equal("B1.2", spreadBody.GetProperty("aspectId").GetString());
        Assert.Equal([1, 3], spreadBody.GetProperty("scores").EnumerateArray().Select(s => s.GetInt32()).Order().ToArray());
        Assert.Contains("B1.2", spreadBody.GetProperty("detail").GetString());

        // Locked criterion: the Chief Expert locks A; writes to it get 409 until unlocked with a reason.
        var chief = _s.Experts["E-DE"];
        Assert.Equal(HttpStatusCode.OK, (await chief.PostAsJsonAsync($"{Path}/locks", new { target = "A" })).StatusCode);
        var locked = await _s.MarkAsync(fr, "KR-07", "r7", new { aspectId = "A1.1", achieved = true });
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Equal("Locked", (await Json(locked)).GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await chief.PostAsJsonAsync($"{Path}/locks/A/unlock", new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await chief.PostAsJsonAsync($"{Path}/locks/A/unlock", new { reason = "Re-measured after appeal" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(fr, "KR-07", "r8", new { aspectId = "A1.1", achieved = true })).StatusCode);
        // A mark with no value, and one with two: refused, each recorded as it was sent.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _s.MarkAsync(fr, "KR-07", "r9", new { aspectId = "A1.1" })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _s.MarkAsync(fr, "KR-07", "r10", new { aspectId = "A1.1", achieved = true, score = 2 })).StatusCode);

        // Every refusal and the unlock are in the audit trail, readable by the Chief Expert.
        var audit = await Json(await chief.GetAsync($"{Path}/audit"));
        // What a refused batch sent, not a value nobody sent (found by an outside tester: "A1.1 deductions " for the first,
        // "A1.1 score 2" for the second).
        var refusedValues = audit.EnumerateArray().Where(a => a.GetProperty("outcome").GetString()!.StartsWith("refused:")).Select(a => a.GetProperty("newValue").GetString()).ToList();
        Assert.Contains("A1.1 no value", refusedValues);
        Assert.Contains("A1.1 score 2, achieved", refusedValues);
        var outcomes = audit.EnumerateArray().Select(a => a.GetProperty("outcome").GetString()).ToList();
        Assert.Contains("refused:NotAssigned", outcomes);
        Assert.Contains("refused:Compatriot", outcomes);
        Assert.Contains("refused:SpreadViolation", outcomes);
        Assert.Contains("refused:Locked", outcomes);
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "unlock:A" && a.GetProperty("reason").GetString() == "Re-measured after appeal");
    }

    /// <summary>
    /// An expert who leaves is taken off the skill: their tablet is revoked and refused at once, their marks stay, and named
    /// again they keep their member (docs/scoring.md, "An expert who leaves"). Found by an outside tester: an experts file
    /// only adds or updates, so an expert left out of it went on marking.
    /// </summary>
    [Fact]
    public async Task AnExpertWhoLeaves_IsTakenOffTheSkill_TheirTabletRevoked_TheirMarksKept()
    {
        var cn = _s.Experts["E-CN"];
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(cn, "FR-07", "x1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(cn, "FR-07", "x1-j", new { aspectId = "A1.2", score = 2 })).StatusCode);

        // Still in marking group G1: taken out of the groups first.
        var inGroup = await _s.Organiser.DeleteAsync($"{Path}/experts/E-CN");
        Assert.Equal(HttpStatusCode.Conflict, inGroup.StatusCode);
        var problem = await Json(inGroup);
        Assert.Equal(("expertId", "expert-in-a-marking-group"), (problem.GetProperty("field").GetString(), problem.GetProperty("code").GetString()));
        Assert.Contains("G1", problem.GetProperty("detail").GetString());
        Assert.Equal("G1", problem.GetProperty("groups").GetString());
        // The contract says so (found by an outside tester: the operation declared no 409).
        var contract = await Json(await _s.Anonymous.GetAsync("/openapi/v1.json"));
        Assert.True(contract.GetProperty("paths").GetProperty("/api/competitions/{code}/skills/{number}/experts/{expertId}").GetProperty("delete").GetProperty("responses").TryGetProperty("409", out _));
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PutAsync($"{Path}/marking-groups",
            new StringContent("id,name,targets,experts\nG1,Machining,A,E-FR;E-KR;E-JP\nG2,Presentation,B,E-FR;E-KR;E-JP\n", Encoding.UTF8, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.Experts["E-DE"].DeleteAsync($"{Path}/experts/E-CN")).StatusCode);
        // A code issued for them and not yet redeemed.
        var unused = (await Json(await _s.Organiser.PostAsJsonAsync($"{Path}/pairing-codes", new { expertId = "E-CN" }))).GetProperty("code").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await _s.Organiser.DeleteAsync($"{Path}/experts/E-CN")).StatusCode);

        // The removal voided it: it pairs no tablet (found by an outside tester: it paired one, which marked again once the
        // expert was named again).
        var late = await _s.Anonymous.PostAsJsonAsync("/api/pairing/redeem", new { code = unused, deviceName = "late tablet" });
        Assert.Equal((HttpStatusCode.BadRequest, "code"), (late.StatusCode, (await Json(late)).GetProperty("field").GetString()));

        // Their tablet is refused at once and listed as revoked; the mark they made stays on the sheet.
        Assert.Equal(HttpStatusCode.Unauthorized, (await cn.GetAsync("/api/me/assignment")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.MarkAsync(cn, "KR-07", "x2", new { aspectId = "A1.2", achieved = true })).StatusCode);
        Assert.DoesNotContain("E-CN", await _s.Organiser.GetStringAsync($"{Path}/experts"));
        var devices = await Json(await _s.Organiser.GetAsync($"{Path}/devices"));
        Assert.All(devices.EnumerateArray().Where(d => d.GetProperty("expertId").GetString() == "E-CN"), d => Assert.NotEqual(JsonValueKind.Null, d.GetProperty("revokedAt").ValueKind));
        var sheet = await Json(await _s.Organiser.GetAsync($"{Path}/competitors/FR-07/sheet"));
        Assert.True(sheet.GetProperty("aspects").EnumerateArray().Single(a => a.GetProperty("aspectId").GetString() == "A1.1").GetProperty("complete").GetBoolean());
        // The judging report keeps their member and name with their score (found by an outside tester: a blank member and the
        // id for a name).
        var report = await Json(await _s.Organiser.GetAsync($"{Path}/judging-report"));
        var inReport = report.GetProperty("report").GetProperty("experts").EnumerateArray().Single(e => e.GetProperty("expertId").GetString() == "E-CN");
        Assert.Equal(("CN", "Li Na"), (inReport.GetProperty("memberCode").GetString(), inReport.GetProperty("name").GetString()));

        // Twice, or an expert never registered: 404 naming expertId.
        var again = await _s.Organiser.DeleteAsync($"{Path}/experts/E-CN");
        Assert.Equal((HttpStatusCode.NotFound, "expertId"), (again.StatusCode, (await Json(again)).GetProperty("field").GetString()));

        // Named again, not under another member (their marks would then be a compatriot's), and their old tablet stays revoked.
        var moved = await _s.Organiser.PutAsync($"{Path}/experts", new StringContent("id,member,name,role\nE-CN,FR,Li Na,Expert\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, moved.StatusCode);
        Assert.Contains("roster.expert-member-fixed", await moved.Content.ReadAsStringAsync());
        var madeWhileOff = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PutAsync($"{Path}/experts", new StringContent("id,member,name,role\nE-CN,CN,Li Na,Expert\n", Encoding.UTF8, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cn.GetAsync("/api/me/assignment")).StatusCode);

        var listed = await Json(await _s.Organiser.GetAsync($"{Path}/devices"));
        Assert.DoesNotContain(listed.EnumerateArray(), d => d.GetProperty("expertId").GetString() == "E-CN" && d.GetProperty("revokedAt").ValueKind == JsonValueKind.Null);

        // A mark their old tablet made while they were off the skill, sent from a tablet paired once they are back: refused,
        // naming the expert (found by an outside tester: it was accepted). One made now is judged as usual (here: no group).
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PutAsync($"{Path}/marking-groups",
            new StringContent("id,name,targets,experts\nG1,Machining,A,E-FR;E-CN;E-KR;E-JP\nG2,Presentation,B,E-FR;E-KR;E-JP\n", Encoding.UTF8, "text/csv"))).StatusCode);
        using var back = await MarkingScenario.PairAsync(shared.Node, _s.Organiser, "E-CN", Path);
        async Task<HttpResponseMessage> SendMadeAt(string key, DateTimeOffset made)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks")
            {
                Content = JsonContent.Create(new { competitorId = "KR-07", createdAt = made, marks = new[] { new { aspectId = "A1.2", score = 1 } } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await back.SendAsync(request);
        }
        var stale = await SendMadeAt("off-1", madeWhileOff);
        var staleBody = await Json(stale);
        Assert.True(stale.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{(int)stale.StatusCode} {staleBody}");
        Assert.Equal("UnknownExpert", staleBody.GetProperty("kind").GetString());
        // It says what is known (taken off, named again, made before that), not that the expert was off the skill when the mark
        // was made: a mark made before the removal is refused the same way (an outside tester).
        Assert.Matches(@"^Expert '[^']+' was taken off skill \d+ of \S+ and named again at .+; this mark was made before that \(.+\), so it is not counted\. Enter the mark again\.$", staleBody.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendMadeAt("off-2", DateTimeOffset.UtcNow)).StatusCode);

        var audit = await Json(await _s.Organiser.GetAsync($"{Path}/audit"));
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "experts" && a.GetProperty("outcome").GetString() == "removed"
            && a.GetProperty("newValue").GetString() == "E-CN (CN) Li Na");
    }

    [Fact]
    public async Task ACompetitorWhoDoesNotCompete_IsTakenOffTheRoster_KeepingTheirMarks_UntilImportedAgain()
    {
        // Found by an outside tester: a competitors import only adds or updates, so a competitor who had left stayed on the
        // roster at raw 0, lowering the median, and took a place and a medal (docs/scoring.md, "A competitor who does not
        // compete").
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-KR"], "FR-07", "w1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "CN-07", "w2", new { aspectId = "B1.1", achieved = true })).StatusCode);
        async Task<string> StandingsAsync() => string.Join(" ", (await Json(await _s.Organiser.GetAsync($"{Path}/standings"))).GetProperty("rows").EnumerateArray()
            .Select(r => $"{r.GetProperty("competitorId").GetString()}:{r.GetProperty("raw").GetDecimal():0.##}:{r.GetProperty("award").GetString()}"));
        Assert.True(await TestNode.EventuallyAsync(async () => (await StandingsAsync()).StartsWith("FR-07:40:Gold CN-07:30:", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        Assert.Contains("KR-07:0:", await StandingsAsync());

        // KR-07 never competed: taken off, they leave the standings; the two who competed are ranked between themselves.
        Assert.Equal(HttpStatusCode.NoContent, (await _s.Organiser.DeleteAsync($"{Path}/competitors/KR-07")).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () => !(await StandingsAsync()).Contains("KR-07", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        Assert.Equal("FR-07:40:Gold CN-07:30:Silver", await StandingsAsync());
        Assert.DoesNotContain("KR-07", await _s.Anonymous.GetStringAsync($"{Path}/competitors"));
        // No expert marks someone off the roster, and a second removal names the competitor it cannot find.
        var refused = await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "w3", new { aspectId = "A1.1", achieved = true });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var again = await _s.Organiser.DeleteAsync($"{Path}/competitors/KR-07");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("competitorId", (await Json(again)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.Experts["E-FR"].DeleteAsync($"{Path}/competitors/CN-07")).StatusCode);

        // An id outside the rule is refused before any grain.
        var odd = await _s.Organiser.DeleteAsync($"{Path}/competitors/%C3%A9");
        Assert.Equal(HttpStatusCode.BadRequest, odd.StatusCode);
        Assert.Contains("competitorId", await odd.Content.ReadAsStringAsync());

        // FR-07, taken off by mistake, is named again by an import and comes back with the marks they had.
        Assert.Equal(HttpStatusCode.NoContent, (await _s.Organiser.DeleteAsync($"{Path}/competitors/FR-07")).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () => !(await StandingsAsync()).Contains("FR-07", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        // Not under another member: E-KR's marks would then be a compatriot's (an outside tester).
        var moved = await _s.Organiser.PutAsync($"{Path}/competitors", new StringContent("id,member,first_name,last_name\nFR-07,KR,Louis,Martin\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, moved.StatusCode);
        Assert.Contains("roster.competitor-member-fixed", await moved.Content.ReadAsStringAsync());
        var import = await _s.Organiser.PutAsync($"{Path}/competitors", new StringContent("id,member,first_name,last_name\nFR-07,FR,Louis,Martin\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.True((await Json(import)).GetProperty("changed").GetBoolean());
        Assert.True(await TestNode.EventuallyAsync(async () => await StandingsAsync() == "FR-07:40:Gold CN-07:30:Silver", TimeSpan.FromSeconds(10)), await StandingsAsync());

        // Taken off while the skill is frozen: the spectators' view is ranked again without them (an outside tester: a removed
        // gold medallist stayed on the public board, results and reports).
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PutAsJsonAsync($"{Path}/visibility", new { mode = "Frozen" })).StatusCode);
        Assert.Contains("FR-07", await _s.Anonymous.GetStringAsync($"{Path}/standings"));
        Assert.Equal(HttpStatusCode.NoContent, (await _s.Organiser.DeleteAsync($"{Path}/competitors/FR-07")).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () => !(await _s.Anonymous.GetStringAsync($"{Path}/standings")).Contains("FR-07", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        Assert.Contains("CN-07", await _s.Anonymous.GetStringAsync($"{Path}/standings"));

        var audit = await Json(await _s.Organiser.GetAsync($"{Path}/audit"));
        Assert.Equal(["FR-07 (FR) Louis Martin", "FR-07 (FR) Louis Martin", "KR-07 (KR) Minjun Kim"], audit.EnumerateArray()
            .Where(a => a.GetProperty("action").GetString() == "competitors" && a.GetProperty("outcome").GetString() == "removed")
            .Select(a => a.GetProperty("newValue").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ARowAboutSeveralAspects_IsInTheTrailOfEachOfThem()
    {
        // Found by an outside tester: a refused or stale batch's one row named only its first aspect, so the trail filtered
        // by its other aspects left out what a judge had tried to give them (docs/scoring.md, "Audit").
        var fr = _s.Experts["E-FR"];
        async Task<HttpResponseMessage> Send(string key, DateTimeOffset made, params object[] marks)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks") { Content = JsonContent.Create(new { competitorId = "KR-07", createdAt = made, marks }) };
            request.Headers.Add("Idempotency-Key", key);
            return await fr.SendAsync(request);
        }
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await Send("several-1", now, new { aspectId = "A1.1", achieved = true }, new { aspectId = "B1.1", achieved = true })).StatusCode);
        // Stale: made before what is stored for both aspects.
        var stale = await Send("several-2", now.AddHours(-1), new { aspectId = "A1.1", achieved = false }, new { aspectId = "B1.1", achieved = false });
        Assert.Equal("superseded", (await Json(stale)).GetProperty("outcome").GetString());
        // Refused for its second mark (a score on a measurement), so the whole batch.
        var refused = await Send("several-3", now.AddMinutes(1), new { aspectId = "A1.1", achieved = false }, new { aspectId = "B1.1", score = 2 });
        Assert.False(refused.IsSuccessStatusCode);
        // The same key with another request: refused as a reused key.
        Assert.False((await Send("several-1", now, new { aspectId = "B1.1", achieved = false })).IsSuccessStatusCode);

        async Task<string[]> Trail(string aspect)
        {
            var response = await _s.Organiser.GetAsync($"{Path}/audit?competitor=KR-07&aspect={aspect}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            return JsonDocument.Parse(body).RootElement.EnumerateArray()
                .Select(r => $"{r.GetProperty("outcome").GetString()}:{string.Join('+', r.GetProperty("aspectIds").EnumerateArray().Select(a => a.GetString()))}").ToArray();
        }
        var b = await Trail("B1.1");
        Assert.Equal(["refused:KeyReused:B1.1", "refused:WrongValue:A1.1+B1.1", "superseded:A1.1+B1.1", "accepted:B1.1"], b);
        var a = await Trail("A1.1");
        Assert.Equal(["refused:WrongValue:A1.1+B1.1", "superseded:A1.1+B1.1", "accepted:A1.1"], a);
        Assert.Empty(await Trail("A1.2"));
        // Each row names its batch's key, so the jury tells a resend from a second batch (found by an outside tester).
        var keys = JsonDocument.Parse(await _s.Organiser.GetStringAsync($"{Path}/audit?competitor=KR-07&aspect=B1.1")).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("key").GetString() ?? "(none)").ToArray();
        Assert.Equal(["several-1", "several-3", "several-2", "several-1"], keys);
    }

    [Fact]
    public async Task MalformedInput_Is400NamingTheField_AndStoresNothing()
    {
        var fr = _s.Experts["E-FR"];
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks")
        {
            Content = new StringContent("""{"competitorId":"KR-07","marks":[{"aspectId":"A1.1","score":"two"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "bad-json");
        var badJson = await fr.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.True((await Json(badJson)).GetProperty("errors").TryGetProperty("marks[0].score", out _));

        var noKey = await fr.PostAsJsonAsync($"{Path}/marks", new { competitorId = "KR-07", marks = new[] { new { aspectId = "A1.1", achieved = true } } });
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.True((await Json(noKey)).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));

        var badCsv = await _s.Organiser.PutAsync($"{Path}/competitors", new StringContent("id,member,first_name,last_name\nDE-07,DE,Max,Müller\nXX-07,XX,No,Member\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badCsv.StatusCode);
        Assert.True((await Json(badCsv)).GetProperty("errors").TryGetProperty("row 3: member", out _));

        // A row the event grain refuses keeps its code and arguments across the grain call.
        var badGroups = await _s.Organiser.PutAsync($"{Path}/marking-groups", new StringContent("id,name,targets,experts\nG1,Machining,A,E-FR;E-XX\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badGroups.StatusCode);
        var groupRow = (await Json(badGroups)).GetProperty("rows")[0];
        Assert.Equal(("roster.group-unknown-expert", "E-XX"), (groupRow.GetProperty("code").GetString(), groupRow.GetProperty("args").GetProperty("expert").GetString()));

        var competitors = await Json(await _s.Anonymous.GetAsync($"{Path}/competitors"));
        Assert.Equal(3, competitors.GetArrayLength()); // DE-07 from the refused file was not stored
        var sheet = await Json(await _s.Organiser.GetAsync($"{Path}/competitors/KR-07/sheet"));
        Assert.Equal(0m, sheet.GetProperty("rawTotal").GetDecimal());
    }

    /// <summary>Found by an outside tester: the refusal's code was the title's slug, not the documented scheme.has-marks.</summary>
    [Fact]
    public async Task OnceMarked_TheSchemeAndTheJudgeCount_AreRefusedWithTheDocumentedCode()
    {
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "locks-scheme", new { aspectId = "A1.1", achieved = true })).StatusCode);
        var refused = await _s.Organiser.PutAsync($"{Path}/scheme?judges=5", new StringContent(MarkingScenario.SchemeJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await Json(refused);
        Assert.Equal(("scheme.has-marks", "scheme"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        // Nor may experts start marking compatriots (found by an outside tester: the setting toggled freely once marked).
        var compatriots = await _s.Organiser.PutAsync($"{Path}/scheme?allowCompatriots=true", new StringContent(MarkingScenario.SchemeJson, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, compatriots.StatusCode);
        problem = await Json(compatriots);
        Assert.Equal(("scheme.has-marks", "allowCompatriots"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.False((await Json(await _s.Organiser.GetAsync(Path))).GetProperty("event").GetProperty("allowCompatriots").GetBoolean());
    }

    /// <summary>Found by an outside tester: a skill with no scheme and no competitors was published as final.</summary>
    [Fact]
    public async Task Publishing_NeedsDecidedResults_ThenIsIdempotent()
    {
        var skills = await _s.Organiser.PutAsync($"/api/competitions/{_s.Code}/skills", new StringContent("number,name_en\n40,Graphic Design\n", Encoding.UTF8, "text/csv"));
        Assert.True(skills.IsSuccessStatusCode, await skills.Content.ReadAsStringAsync());
        var empty = await _s.Organiser.PostAsync($"/api/competitions/{_s.Code}/skills/40/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, empty.StatusCode);
        Assert.Equal("nothing-to-publish", (await Json(empty)).GetProperty("code").GetString());

        // Scheme and competitors, but no mark above 0: everyone would be published at 700.
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-KR"], "CN-07", "publish-0", new { aspectId = "A1.1", achieved = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _s.Organiser.PostAsync($"{Path}/publish", null)).StatusCode);
        // The deciding mark, and the publish right after it, inside the standings' push window (found by an outside tester:
        // refused as "no marks above 0 yet" until the paced push a moment later).
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "publish-1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PostAsync($"{Path}/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PostAsync($"{Path}/publish", null)).StatusCode);
        // The repeat changed nothing and leaves no second row in the trail (found by an outside tester).
        var audit = await Json(await _s.Experts["E-DE"].GetAsync($"{Path}/audit"));
        Assert.Single(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "publish");

        // Found by an outside tester: the mark corrected to 0 left the skill published with no result, announced in the
        // feed as final results with everyone first, and publishing again answered 200. The feed withdraws the results,
        // publishing again is refused, and a mark above 0 brings the final results back (docs/scoring.md, "Visibility").
        async Task<string?> LastResultsAsync()
        {
            await using var connection = new NpgsqlConnection(shared.Database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select data::text from skillshub.feed_events where competition = @code and skill = 7 and type = 'results' order by id desc limit 1", connection);
            command.Parameters.AddWithValue("code", _s.Code);
            return (string?)await command.ExecuteScalarAsync();
        }
        static bool IsFinal(string? data) => data is not null && JsonDocument.Parse(data).RootElement.GetProperty("final").GetBoolean();
        Assert.True(await TestNode.EventuallyAsync(async () => IsFinal(await LastResultsAsync()), TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "publish-2", new { aspectId = "A1.1", achieved = false })).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () => await LastResultsAsync() is { } d && !IsFinal(d), TimeSpan.FromSeconds(10)));
        var withdrawn = JsonDocument.Parse((await LastResultsAsync())!).RootElement;
        Assert.Empty(withdrawn.GetProperty("rows").EnumerateArray());
        var standings = await Json(await _s.Organiser.GetAsync($"{Path}/standings"));
        Assert.Equal((true, false), (standings.GetProperty("published").GetBoolean(), standings.GetProperty("decided").GetBoolean()));
        Assert.Equal("nothing-to-publish", (await Json(await _s.Organiser.PostAsync($"{Path}/publish", null))).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "publish-3", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () => IsFinal(await LastResultsAsync()), TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PostAsync($"{Path}/publish", null)).StatusCode);
    }

    [Fact]
    public async Task ReimportingTheSameFiles_ChangesNothing()
    {
        var again = await _s.Organiser.PutAsync($"{Path}/competitors", new StringContent(MarkingScenario.CompetitorsCsv, Encoding.UTF8, "text/csv"));
        Assert.False((await Json(again)).GetProperty("changed").GetBoolean());
        var scheme = await _s.Organiser.PutAsync($"{Path}/scheme", new StringContent(MarkingScenario.SchemeJson, Encoding.UTF8, "application/json"));
        Assert.False((await Json(scheme)).GetProperty("changed").GetBoolean());
        var groups = await _s.Organiser.PutAsync($"{Path}/marking-groups", new StringContent(MarkingScenario.GroupsCsv, Encoding.UTF8, "text/csv"));
        Assert.False((await Json(groups)).GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task ARestart_KeepsEveryAcknowledgedMark()
    {
        // Its own node and database: the test stops the node.
        var db = await postgres.NewDatabaseAsync();
        var node = await TestNode.StartAsync(db);
        _s = await MarkingScenario.CreateAsync(node);
        var acknowledged = 0;
        foreach (var (expert, competitor) in new[] { ("E-FR", "KR-07"), ("E-KR", "CN-07"), ("E-JP", "FR-07") })
        {
            var response = await _s.MarkAsync(_s.Experts[expert], competitor, "restart-" + expert, new { aspectId = "A1.1", achieved = true });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                acknowledged++;
            }
        }
        Assert.Equal(3, acknowledged);

        await node.DisposeAsync();
        await using var again = await TestNode.StartAsync(db);
        var organiser = await MarkingScenario.SignInAsync(again, "organiser", []);

        // The first thing after the restart is a mark: acknowledged, and in the live standings as soon as it is
        // (docs/scoring.md, "Durability").
        using var tablet = again.Client();
        tablet.DefaultRequestHeaders.Authorization = _s.Experts["E-FR"].DefaultRequestHeaders.Authorization;
        var after = await MarkingScenario.Mark(tablet, "KR-07", "restart-after", new { aspectId = "B1.1", achieved = true });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var first = await Json(await organiser.GetAsync($"{Path}/standings"));
        Assert.Equal(("KR-07", 70m), (first.GetProperty("rows")[0].GetProperty("competitorId").GetString(), first.GetProperty("rows")[0].GetProperty("raw").GetDecimal()));

        foreach (var (competitor, raw) in new[] { ("KR-07", 70m), ("CN-07", 40m), ("FR-07", 40m) })
        {
            var sheet = await Json(await organiser.GetAsync($"{Path}/competitors/{competitor}/sheet"));
            Assert.Equal(raw, sheet.GetProperty("rawTotal").GetDecimal());
        }
        var standings = await Json(await organiser.GetAsync($"{Path}/standings"));
        Assert.Equal([70m, 40m, 40m], standings.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("raw").GetDecimal()));
    }

    /// <summary>
    /// A jury member reading the live standings or results.csv right after a tablet's answer sees the mark it acknowledged,
    /// without waiting (docs/scoring.md, "Durability"): each step below changes the leader, and is read at once.
    /// </summary>
    [Fact]
    public async Task AnAcknowledgedMark_IsInTheLiveStandingsAndResultsCsv_AtOnce()
    {
        var steps = new (string Expert, string Competitor, object[] Marks, string Leader, string LeaderLastName, decimal LeaderRaw)[]
        {
            ("E-FR", "KR-07", [new { aspectId = "A1.1", achieved = true }], "KR-07", "Kim", 40m),
            ("E-KR", "CN-07", [new { aspectId = "A1.1", achieved = true }, new { aspectId = "B1.1", achieved = true }], "CN-07", "Zhang", 70m),
            ("E-KR", "CN-07", [new { aspectId = "A1.1", achieved = false }], "KR-07", "Kim", 40m),
            ("E-JP", "FR-07", [new { aspectId = "A1.1", achieved = true }, new { aspectId = "B1.1", achieved = true }], "FR-07", "Martin", 70m),
        };
        var step = 0;
        foreach (var (expert, competitor, marks, leader, lastName, raw) in steps)
        {
            step++;
            var answer = await _s.MarkAsync(_s.Experts[expert], competitor, "at-once-" + step, marks);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var top = (await Json(await _s.Organiser.GetAsync($"{Path}/standings"))).GetProperty("rows")[0];
            Assert.Equal((step, leader, raw), (step, top.GetProperty("competitorId").GetString(), top.GetProperty("raw").GetDecimal()));
            var csv = (await _s.Organiser.GetStringAsync($"/api/competitions/{_s.Code}/results.csv")).TrimStart('\uFEFF');
            var first = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1];
            Assert.True(first.StartsWith($"1,{leader[..2]},", StringComparison.Ordinal) && first.Contains($",{lastName},", StringComparison.Ordinal), $"step {step}: {first}");
        }
    }

    [Fact]
    public async Task ResultsCsv_HasTheCeremonyColumns()
    {
        await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "csv-1", new { aspectId = "A1.1", achieved = true });
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            var rows = (await Json(await _s.Organiser.GetAsync($"{Path}/standings"))).GetProperty("rows");
            return rows.GetArrayLength() == 3 && rows[0].GetProperty("competitorId").GetString() == "KR-07";
        }, TimeSpan.FromSeconds(5)));
        var csv = await _s.Organiser.GetStringAsync($"/api/competitions/{_s.Code}/results.csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Position,Member,Member Name,Skill Number,Medal,First Name,Last Name,WorldSkills Scale Score", lines[0]);
        Assert.StartsWith("1,KR,", lines[1]);
        Assert.Contains(",07,Gold,Minjun,Kim,", lines[1]);
    }

    /// <summary>
    /// Found by an outside tester: results.csv listed an undecided skill (a scheme and competitors, no mark above 0)
    /// with every competitor at place 1 and 700. It is left out, as /results and the reports leave it out, by the
    /// same rule publishing answers 409 with (docs/scoring.md, "Results"); a decided skill is listed.
    /// </summary>
    [Fact]
    public async Task ResultsCsv_LeavesOutAnUndecidedSkill()
    {
        // Skill 40: a scheme and a competitor, no mark at all.
        Assert.True((await _s.Organiser.PutAsync($"/api/competitions/{_s.Code}/skills", new StringContent("number,name_en\n40,Graphic Design\n", Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);
        var graphic = $"/api/competitions/{_s.Code}/skills/40";
        Assert.True((await _s.Organiser.PutAsync($"{graphic}/competitors", new StringContent("id,member,first_name,last_name\nNO-40,NO,Ola,Nordmann\n", Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);
        Assert.True((await _s.Organiser.PutAsync($"{graphic}/scheme?judges=3", new StringContent(MarkingScenario.SchemeJson, Encoding.UTF8, "application/json"))).IsSuccessStatusCode);
        // Skill 07: its only mark is worth 0 (a measurement not achieved).
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "undecided-1", new { aspectId = "A1.1", achieved = false })).StatusCode);
        Assert.Equal(0m, (await Json(await _s.Organiser.GetAsync($"{Path}/competitors/KR-07/sheet"))).GetProperty("rawTotal").GetDecimal());
        Assert.Equal("nothing-to-publish", (await Json(await _s.Organiser.PostAsync($"{Path}/publish", null))).GetProperty("code").GetString());

        async Task<string[]> CsvRowsAsync() =>
            (await _s.Organiser.GetStringAsync($"/api/competitions/{_s.Code}/results.csv")).TrimStart('\uFEFF')
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1..];
        Assert.Empty(await CsvRowsAsync());
        Assert.Empty((await Json(await _s.Organiser.GetAsync($"/api/competitions/{_s.Code}/results"))).GetProperty("medalTable").EnumerateArray());

        // Decided once a mark is above 0: skill 07 is listed, skill 40 still is not.
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "KR-07", "undecided-2", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.True(await _s.DecidedAsync());
        var rows = await CsvRowsAsync();
        Assert.Equal(3, rows.Length);
        Assert.All(rows, row => Assert.Equal("07", row.Split(',')[3]));
        Assert.StartsWith("1,KR,", rows[0]);

        // The medal table lists the members the reports list: NO, whose only competitor is in the undecided skill 40, with
        // zeros in both (found by an outside tester: the reports listed it, the medal table did not).
        var table = (await Json(await _s.Organiser.GetAsync($"/api/competitions/{_s.Code}/results"))).GetProperty("medalTable").EnumerateArray().ToList();
        var report = (await Json(await _s.Organiser.GetAsync($"/api/competitions/{_s.Code}/reports/alphabetical"))).GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty("standing").GetProperty("memberCode").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(report, table.Select(m => m.GetProperty("memberCode").GetString()).Order(StringComparer.Ordinal).ToList());
        var norway = Assert.Single(table, m => m.GetProperty("memberCode").GetString() == "NO");
        Assert.Equal((0, 0), (norway.GetProperty("medalPoints").GetInt32(), norway.GetProperty("skillsEntered").GetInt32()));
    }
}
