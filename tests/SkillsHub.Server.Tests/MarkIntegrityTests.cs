using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Platform;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Marking integrity through the real server (docs/scoring.md, "Idempotency", "Order", "Audit", "Limits"):
/// keys answerable for the life of the competition, reused keys refused, stale batches superseded,
/// exactly one audit row per change, and bounds checked before any grain. The tests share one node, each with a
/// competition of its own; the two that restart the node have their own.
/// </summary>
[Collection(ServerCollection.Marking)]
public sealed class MarkIntegrityTests(PostgresFixture postgres, NodeFixture shared) : IClassFixture<NodeFixture>, IAsyncLifetime
{
    string _db = "";
    SkillsHubNode _node = null!;
    SkillsHubNode? _own;
    MarkingScenario _s = null!;

    public async Task InitializeAsync()
    {
        (_db, _node) = (shared.Database, shared.Node);
        _s = await MarkingScenario.CreateAsync(_node, NodeFixture.NewCode());
    }

    public async Task DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
    }

    /// <summary>A node and database of this test's own, for a test that restarts it.</summary>
    async Task OwnNodeAsync()
    {
        _db = await postgres.NewDatabaseAsync();
        _node = _own = await TestNode.StartAsync(_db);
        _s = await MarkingScenario.CreateAsync(_node);
    }

    async Task RestartAsync()
    {
        await _node.DisposeAsync();
        _node = _own = await TestNode.StartAsync(_db);
    }

    string Path => _s.Path;

    static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    Task<HttpResponseMessage> Send(HttpClient expert, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return expert.SendAsync(request);
    }

    /// <summary>
    /// A tablet's sheet holds only the aspects its expert's groups mark, with their exact totals per criterion (found by an
    /// outside tester: every aspect's mark and measurement was shown, also while the skill was hidden).
    /// </summary>
    [Fact]
    public async Task AnExpertsOwnSheet_HoldsOnlyTheirGroupsAspects_AndTheirTotalsPerCriterion()
    {
        var kr = _s.Experts["E-KR"];
        var marks = new { competitorId = "FR-07", marks = new object[] { new { aspectId = "A1.1", achieved = true }, new { aspectId = "B1.1", achieved = true } } };
        Assert.Equal(HttpStatusCode.OK, (await Send(kr, "own-sheet-1", marks)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PutAsJsonAsync($"{Path}/visibility", new { mode = "Hidden" })).StatusCode);

        // E-CN marks in group G1 only (criterion A).
        var cn = await Json(await _s.Experts["E-CN"].GetAsync("/api/me/sheet/FR-07"));
        Assert.Equal(["A1.1"], cn.GetProperty("aspects").EnumerateArray().Select(a => a.GetProperty("aspectId").GetString()));
        Assert.Equal(["A"], cn.GetProperty("criterionTotals").EnumerateObject().Select(p => p.Name));
        Assert.Equal(40m, cn.GetProperty("criterionTotals").GetProperty("A").GetDecimal());
        // E-KR marks both groups' aspects.
        var both = await Json(await kr.GetAsync("/api/me/sheet/FR-07"));
        Assert.Contains(both.GetProperty("aspects").EnumerateArray(), a => a.GetProperty("aspectId").GetString() == "B1.1" && a.GetProperty("mark").GetDecimal() == 30m);
        Assert.Equal(30m, both.GetProperty("criterionTotals").GetProperty("B").GetDecimal());
    }

    [Fact]
    public async Task AnExpertsCriterionTotal_IsTheExactSumRoundedOnce_NotTheSumOfRoundedMarks()
    {
        // Found by an outside tester: the tablet showed 2.41 for aspects worth 0.75 + 1 + 2 x 1.5 x 2/9 = 2.4167, the sum of
        // their rounded marks. Here criterion A has two judgement aspects of 20.00 each scored 1, 1, 0: 40/9 each, shown
        // 4.44, and 80/9 = 8.89 together (8.88 added up from the rounded marks).
        const string Scheme = """
            {"title":"Two judgements","criteria":[
              {"id":"A","name":"Machining","subCriteria":[{"id":"A1","name":"Work","aspects":[
                {"id":"A1.1","type":"M","description":"Dimension","markingDay":"C1","maxMark":30.00},
                {"id":"A1.2","type":"J","description":"Finish","markingDay":"C1","maxMark":20.00,"descriptors":["Poor","Acceptable","Good","Excellent"]},
                {"id":"A1.3","type":"J","description":"Flow","markingDay":"C1","maxMark":20.00,"descriptors":["Poor","Acceptable","Good","Excellent"]}]}]},
              {"id":"B","name":"Presentation","subCriteria":[{"id":"B1","name":"Finish","aspects":[
                {"id":"B1.1","type":"M","description":"Deburred","markingDay":"C2","maxMark":20.00},
                {"id":"B1.2","type":"J","description":"Impression","markingDay":"C2","maxMark":10.00,"descriptors":["Poor","Acceptable","Good","Excellent"]}]}]}]}
            """;
        Assert.Equal(HttpStatusCode.OK, (await _s.Organiser.PutAsync($"{Path}/scheme", new StringContent(Scheme, Encoding.UTF8, "application/json"))).StatusCode);
        foreach (var (expert, score) in new[] { ("E-CN", 1), ("E-KR", 1), ("E-JP", 0) })
        {
            var batch = new { competitorId = "FR-07", marks = new object[] { new { aspectId = "A1.2", score }, new { aspectId = "A1.3", score } } };
            Assert.Equal(HttpStatusCode.OK, (await Send(_s.Experts[expert], "exact-" + expert, batch)).StatusCode);
        }
        var own = await Json(await _s.Experts["E-CN"].GetAsync("/api/me/sheet/FR-07"));
        Assert.Equal([4.44m, 4.44m], own.GetProperty("aspects").EnumerateArray().Where(a => a.GetProperty("aspectId").GetString() != "A1.1").Select(a => a.GetProperty("mark").GetDecimal()));
        Assert.Equal(8.89m, own.GetProperty("criterionTotals").GetProperty("A").GetDecimal());
        // As the organiser's sheet says.
        var sheet = await Json(await _s.Organiser.GetAsync($"{Path}/competitors/FR-07/sheet"));
        Assert.Equal(8.89m, sheet.GetProperty("criterionTotals").GetProperty("A").GetDecimal());
        Assert.False(sheet.GetProperty("aspects")[0].TryGetProperty("exactMark", out _));
    }

    async Task<string?> Measurement(string competitor, string aspect)
    {
        var sheet = await Json(await _s.Organiser.GetAsync($"{Path}/competitors/{competitor}/sheet"));
        return sheet.GetProperty("aspects").EnumerateArray().Where(a => a.GetProperty("aspectId").GetString() == aspect)
            .Select(a => a.GetProperty("measurement").GetString()).SingleOrDefault();
    }

    /// <summary>A count over this test's rows: <paramref name="sql"/> is "select count(*) from skillshub.audit where ...".</summary>
    async Task<long> Scalar(string sql)
    {
        sql = sql.Replace(" where ", $" where competition_code = '{_s.Code}' and ", StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(_db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task LateResend_AfterACorrectionAndManyBatches_ReplaysAndChangesNothing()
    {
        var jp = _s.Experts["E-JP"];
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(jp, "FR-07", "K1", new { aspectId = "B1.1", achieved = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(jp, "FR-07", "K2", new { aspectId = "B1.1", achieved = true })).StatusCode);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(jp, "FR-07", "more-" + i, new { aspectId = "A1.1", achieved = i % 2 == 0 })).StatusCode);
        }

        var late = await _s.MarkAsync(jp, "FR-07", "K1", new { aspectId = "B1.1", achieved = false });
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.True((await Json(late)).GetProperty("replayed").GetBoolean());
        Assert.Equal("achieved", await Measurement("FR-07", "B1.1"));

        // The same key with another value, long after: refused, nothing changed, and audited.
        var reused = await _s.MarkAsync(jp, "FR-07", "K1", new { aspectId = "B1.1", achieved = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var problem = await Json(reused);
        Assert.Equal("Idempotency-Key reused with a different request", problem.GetProperty("title").GetString());
        Assert.Equal("KeyReused", problem.GetProperty("kind").GetString());
        Assert.Equal("achieved", await Measurement("FR-07", "B1.1"));
        Assert.Equal(1, await Scalar("select count(*) from skillshub.audit where idempotency_key = 'K1' and outcome = 'accepted'"));
        Assert.Equal(1, await Scalar("select count(*) from skillshub.audit where idempotency_key = 'K1' and outcome = 'refused:KeyReused'"));
    }

    /// <summary>
    /// A resend gets the first answer whole: the aspects' states as they were, not as other experts have since changed
    /// them (an outside tester saw a replayed total of 5 beside a mark of 10, and 2 scores received where the first
    /// answer had 1).
    /// </summary>
    [Fact]
    public async Task Resend_AfterOtherExpertsChangedItsAspects_GetsTheFirstAnswerWhole()
    {
        var (jp, fr) = (_s.Experts["E-JP"], _s.Experts["E-FR"]);
        object[] marks = [new { aspectId = "A1.1", achieved = false }, new { aspectId = "B1.2", score = 2 }];
        var first = await Json(await _s.MarkAsync(jp, "KR-07", "whole-first", marks));
        Assert.Equal(1, first.GetProperty("aspects")[1].GetProperty("scoresReceived").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(fr, "KR-07", "whole-fr", new { aspectId = "A1.1", achieved = true }, new { aspectId = "B1.2", score = 3 })).StatusCode);

        var again = await Json(await _s.MarkAsync(jp, "KR-07", "whole-first", marks));
        Assert.True(again.GetProperty("replayed").GetBoolean());
        foreach (var part in new[] { "rawTotal", "aspects", "at", "outcome" })
        {
            Assert.Equal(first.GetProperty(part).GetRawText(), again.GetProperty(part).GetRawText());
        }
        Assert.Equal("achieved", await Measurement("KR-07", "A1.1"));
    }

    /// <summary>
    /// Each refusal has a code of its own, which the pages translate (docs/scoring.md, "Refusals"): an outside tester
    /// found an aspect sent twice and a value of the wrong kind answered as "out of range".
    /// </summary>
    [Fact]
    public async Task EachRefusal_HasItsOwnKindAndCode()
    {
        var jp = _s.Experts["E-JP"];
        foreach (var (key, marks, kind, title) in new (string, object[], string, string)[]
        {
            ("codes-1", [new { aspectId = "A1.1", achieved = true }, new { aspectId = "A1.1", achieved = false }], "DuplicateAspect", "Aspect twice in one batch"),
            ("codes-2", [new { aspectId = "A1.2", achieved = true }], "WrongValue", "Wrong kind of value"),
            ("codes-3", [new { aspectId = "A1.1", score = 3 }], "WrongValue", "Wrong kind of value"),
            ("codes-4", [new { aspectId = "A1.2", score = 4 }], "OutOfRange", "Value out of range"),
        })
        {
            var refused = await _s.MarkAsync(jp, "CN-07", key, marks);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var problem = await Json(refused);
            Assert.Equal((kind, title), (problem.GetProperty("kind").GetString(), problem.GetProperty("title").GetString()));
            Assert.Equal(ProblemCodes.Refusal(kind), problem.GetProperty("code").GetString());
        }
        Assert.Null(await Measurement("CN-07", "A1.1"));
    }

    /// <summary>
    /// A rule change's audit row is written in the transaction that advances the rules version, so no mark checked under
    /// the new rules comes before it in the trail (docs/scoring.md, "Audit"). Found by an outside tester: a mark accepted
    /// under a scheme of 5 judges was audited before the scheme change that set them. Checked for the scheme (on a
    /// skill of its own, before any mark), a lock, an unlock and the experts.
    /// </summary>
    [Fact]
    public async Task ARuleChange_IsAuditedWithTheRulesVersionItBrings()
    {
        var chief = _s.Experts["E-DE"];
        async Task WrittenWithTheAdvance(string code, string action)
        {
            await using var connection = new NpgsqlConnection(_db);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                select count(*) from skillshub.audit a join skillshub.skill_rules r on r.competition_code = a.competition_code and r.skill_number = a.skill_number
                where a.competition_code = $1 and a.action = $2 and a.xmin = r.xmin
                """, connection) { Parameters = { new() { Value = code }, new() { Value = action } } };
            Assert.True(Convert.ToInt64(await command.ExecuteScalarAsync()) == 1, $"{code} {action} was not written with the rules version it brings");
        }
        Assert.Equal(HttpStatusCode.OK, (await chief.PostAsJsonAsync($"{Path}/locks", new { target = "C2" })).StatusCode);
        await WrittenWithTheAdvance(_s.Code, "lock:C2");
        Assert.Equal(HttpStatusCode.OK, (await chief.PostAsJsonAsync($"{Path}/locks/C2/unlock", new { reason = "Re-marking agreed" })).StatusCode);
        await WrittenWithTheAdvance(_s.Code, "unlock:C2");
        var experts = new StringContent(MarkingScenario.ExpertsCsv + "\nE-UK,UK,New Expert,Expert\n", Encoding.UTF8, "text/csv");
        var imported = await _s.Organiser.PutAsync($"{Path}/experts", experts);
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        await WrittenWithTheAdvance(_s.Code, "experts");

        var fresh = await MarkingScenario.CreateAsync(_node, NodeFixture.NewCode());
        await WrittenWithTheAdvance(fresh.Code, "marking-groups");
        var scheme = new StringContent(MarkingScenario.SchemeJson, Encoding.UTF8, "application/json");
        Assert.True((await fresh.Organiser.PutAsync($"{fresh.Path}/scheme?judges=5", scheme)).IsSuccessStatusCode);
        await WrittenWithTheAdvance(fresh.Code, "scheme");
    }

    [Fact]
    public async Task KeyUsedForAnotherCompetitor_IsRefused()
    {
        var jp = _s.Experts["E-JP"];
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(jp, "FR-07", "shared", new { aspectId = "A1.1", achieved = true })).StatusCode);
        var other = await _s.MarkAsync(jp, "KR-07", "shared", new { aspectId = "A1.1", achieved = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Null(await Measurement("KR-07", "A1.1"));
    }

    [Fact]
    public async Task KeysSurviveARestart()
    {
        await OwnNodeAsync();
        var jp = _s.Experts["E-JP"];
        var first = await Json(await _s.MarkAsync(jp, "CN-07", "before-restart", new { aspectId = "A1.1", achieved = true }));
        // Another expert's later measurement changes the aspect: the resend after the restart still gets the first answer whole.
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-FR"], "CN-07", "fr-after", new { aspectId = "A1.1", achieved = false })).StatusCode);
        var jpToken = jp.DefaultRequestHeaders.Authorization!;
        await RestartAsync();
        var client = _node.Client();
        client.DefaultRequestHeaders.Authorization = jpToken;

        var again = await _s.MarkAsync(client, "CN-07", "before-restart", new { aspectId = "A1.1", achieved = true });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await Json(again);
        Assert.True(body.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("at").GetString(), body.GetProperty("at").GetString());
        Assert.Equal(first.GetProperty("aspects").GetRawText(), body.GetProperty("aspects").GetRawText());
        Assert.Equal(first.GetProperty("rawTotal").GetRawText(), body.GetProperty("rawTotal").GetRawText());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _s.MarkAsync(client, "CN-07", "before-restart", new { aspectId = "A1.1", achieved = false })).StatusCode);
    }

    /// <summary>
    /// Found by an outside tester: an expert whose batches were stamped 4 min 59 s ahead of the server's clock (within the
    /// tolerance for a fast tablet) kept a measurement at their value against every colleague's correction, stamped or
    /// not. A stamp ahead of the arrival counts as the arrival (docs/scoring.md, "Order"): the later correction is newer.
    /// </summary>
    [Fact]
    public async Task AStampAheadOfTheServersClock_DoesNotOutrankALaterCorrection()
    {
        var (jp, fr) = (_s.Experts["E-JP"], _s.Experts["E-FR"]);
        Assert.Equal("accepted", (await Json(await Send(jp, "fast-1", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddSeconds(290), deviceSequence = 1,
            marks = new[] { new { aspectId = "A1.1", achieved = false } } }))).GetProperty("outcome").GetString());

        // The colleague's tablet stamps the server's time: its correction, made after the fast batch arrived, applies.
        Assert.Equal("accepted", (await Json(await Send(fr, "true-1", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow, deviceSequence = 1,
            marks = new[] { new { aspectId = "A1.1", achieved = true } } }))).GetProperty("outcome").GetString());
        Assert.Equal("achieved", await Measurement("KR-07", "A1.1"));

        // The fast tablet sent again later is newer in turn (it arrived after the correction), and so on: the last to arrive
        // of marks made in real time holds, as for any two tablets.
        Assert.Equal("accepted", (await Json(await Send(jp, "fast-2", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddSeconds(299), deviceSequence = 2,
            marks = new[] { new { aspectId = "A1.1", achieved = false } } }))).GetProperty("outcome").GetString());
        Assert.Equal("accepted", (await Json(await Send(fr, "plain-2", new { competitorId = "KR-07",
            marks = new[] { new { aspectId = "A1.1", achieved = true } } }))).GetProperty("outcome").GetString());
        Assert.Equal("achieved", await Measurement("KR-07", "A1.1"));

        // A batch the colleague made before the fast one arrived is still the older one.
        Assert.Equal("accepted", (await Json(await Send(jp, "fast-3", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddSeconds(240), deviceSequence = 3,
            marks = new[] { new { aspectId = "A1.1", achieved = false } } }))).GetProperty("outcome").GetString());
        Assert.Equal("superseded", (await Json(await Send(fr, "queued-2", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddSeconds(-20), deviceSequence = 2,
            marks = new[] { new { aspectId = "A1.1", achieved = true } } }))).GetProperty("outcome").GetString());
        Assert.Equal("not achieved", await Measurement("KR-07", "A1.1"));
    }

    [Fact]
    public async Task BatchCreatedBeforeTheStoredOne_IsSupersededAndAudited()
    {
        var jp = _s.Experts["E-JP"];
        var t0 = DateTimeOffset.UtcNow;
        var newer = await Send(jp, "new", new { competitorId = "KR-07", createdAt = t0, deviceSequence = 8, marks = new[] { new { aspectId = "A1.1", achieved = true } } });
        Assert.Equal(HttpStatusCode.OK, newer.StatusCode);

        var stale = await Send(jp, "old", new { competitorId = "KR-07", createdAt = t0.AddSeconds(-30), deviceSequence = 7, marks = new[] { new { aspectId = "A1.1", achieved = false } } });
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var body = await Json(stale);
        Assert.Equal("superseded", body.GetProperty("outcome").GetString());
        Assert.False(body.GetProperty("accepted").GetBoolean());
        Assert.Equal("A1.1", body.GetProperty("superseded")[0].GetString());
        Assert.Equal("achieved", await Measurement("KR-07", "A1.1"));
        Assert.Equal(1, await Scalar("select count(*) from skillshub.audit where idempotency_key = 'old' and outcome = 'superseded'"));
        // The values it carried stay on record (an outside tester: only the aspect ids were kept).
        Assert.Equal(1, await Scalar("select count(*) from skillshub.audit where idempotency_key = 'old' and outcome = 'superseded' and new_value = 'A1.1 not achieved'"));

        // Its resend is answered the same way; a newer batch still applies.
        Assert.Equal("superseded", (await Json(await Send(jp, "old", new { competitorId = "KR-07", createdAt = t0.AddSeconds(-30), deviceSequence = 7, marks = new[] { new { aspectId = "A1.1", achieved = false } } }))).GetProperty("outcome").GetString());
        var newest = await Send(jp, "newest", new { competitorId = "KR-07", createdAt = t0.AddSeconds(1), deviceSequence = 9, marks = new[] { new { aspectId = "A1.1", achieved = false } } });
        Assert.Equal("accepted", (await Json(newest)).GetProperty("outcome").GetString());
        Assert.Equal("not achieved", await Measurement("KR-07", "A1.1"));

        // Found by an outside tester: an unstamped correction was overwritten by a batch queued an hour before it. An
        // unstamped batch counts as created when it arrived.
        var plain = await Send(jp, "plain", new { competitorId = "KR-07", marks = new[] { new { aspectId = "A1.1", achieved = true } } });
        Assert.Equal("accepted", (await Json(plain)).GetProperty("outcome").GetString());
        var queued = await Send(jp, "queued", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddHours(-1), deviceSequence = 10, marks = new[] { new { aspectId = "A1.1", achieved = false } } });
        Assert.Equal("superseded", (await Json(queued)).GetProperty("outcome").GetString());
        Assert.Equal("achieved", await Measurement("KR-07", "A1.1"));
        var later = await Send(jp, "later", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddSeconds(1), deviceSequence = 11, marks = new[] { new { aspectId = "A1.1", achieved = false } } });
        Assert.Equal("accepted", (await Json(later)).GetProperty("outcome").GetString());
        Assert.Equal("not achieved", await Measurement("KR-07", "A1.1"));

        // Found by an outside tester: another expert's measurement, queued offline before that correction, arrived after
        // it and undid it. A measurement is the aspect's one value, whoever enters it: a batch created before the stored
        // one never replaces it; one created after it does.
        var fr = _s.Experts["E-FR"];
        var offline = await Send(fr, "offline", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddMinutes(-2), deviceSequence = 1, marks = new[] { new { aspectId = "A1.1", achieved = true } } });
        Assert.Equal("superseded", (await Json(offline)).GetProperty("outcome").GetString());
        Assert.Equal("not achieved", await Measurement("KR-07", "A1.1"));
        var correction = await Send(fr, "correction", new { competitorId = "KR-07", createdAt = DateTimeOffset.UtcNow.AddSeconds(2), deviceSequence = 2, marks = new[] { new { aspectId = "A1.1", achieved = true } } });
        Assert.Equal("accepted", (await Json(correction)).GetProperty("outcome").GetString());
        Assert.Equal("achieved", await Measurement("KR-07", "A1.1"));

        // A stale mark still meets the rules, and a batch is refused or applied whole (found by an outside tester: a stale
        // mark skipped every rule, so a compatriot's was "superseded", and one without a value let its batch's other mark in).
        var hourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        var compatriot = await Send(_s.Experts["E-KR"], "stale-compatriot", new { competitorId = "KR-07", createdAt = hourAgo, deviceSequence = 1, marks = new[] { new { aspectId = "A1.1", achieved = false } } });
        Assert.Equal(HttpStatusCode.Forbidden, compatriot.StatusCode);
        var mixed = await Send(jp, "stale-no-value", new { competitorId = "KR-07", createdAt = hourAgo, deviceSequence = 12,
            marks = new object[] { new { aspectId = "A1.1" }, new { aspectId = "B1.1", achieved = true } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mixed.StatusCode);
        Assert.Null(await Measurement("KR-07", "B1.1"));
        Assert.Equal(2, await Scalar("select count(*) from skillshub.audit where idempotency_key in ('stale-compatriot', 'stale-no-value') and outcome like 'refused:%'"));
        // A batch that is partly stale: its fresh mark is stored, and its superseded row keeps the stale mark's value only.
        var partly = await Send(jp, "mixed", new { competitorId = "KR-07", createdAt = t0.AddSeconds(-60), deviceSequence = 6, marks = new object[] { new { aspectId = "A1.1", achieved = true }, new { aspectId = "B1.1", achieved = true } } });
        Assert.Equal("accepted", (await Json(partly)).GetProperty("outcome").GetString());
        Assert.Equal(1, await Scalar("select count(*) from skillshub.audit where idempotency_key = 'mixed' and outcome = 'superseded' and new_value = 'A1.1 achieved'"));
        Assert.Equal(1, await Scalar("select count(*) from skillshub.audit where idempotency_key = 'mixed' and outcome = 'accepted' and aspect_id = 'B1.1'"));
        Assert.Equal("achieved", await Measurement("KR-07", "A1.1"));
    }

    [Fact]
    public async Task Bounds_AreCheckedBeforeAnyGrain_WithProblemsNamingTheField()
    {
        var jp = _s.Experts["E-JP"];
        var many = Enumerable.Range(0, 201).Select(i => new { aspectId = "X" + i, achieved = true }).ToArray();
        var tooMany = await Send(jp, "many", new { competitorId = "FR-07", marks = many });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.True((await Json(tooMany)).GetProperty("errors").TryGetProperty("marks", out _));

        var huge = new StringContent("{\"competitorId\":\"FR-07\",\"marks\":[" + string.Join(",", Enumerable.Repeat("{\"aspectId\":\"A1.1\",\"achieved\":true}", 3000)) + "]}", Encoding.UTF8, "application/json");
        var big = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks") { Content = huge };
        big.Headers.Add("Idempotency-Key", "big");
        big.Headers.ExpectContinue = true;
        var tooBig = await jp.SendAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal("application/problem+json", tooBig.Content.Headers.ContentType?.MediaType);

        foreach (var bad in new[] { "FR/07", "FR\u000007", new string('x', 65) })
        {
            var response = await Send(jp, "bad-" + bad.Length, new { competitorId = bad, marks = new[] { new { aspectId = "A1.1", achieved = true } } });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("competitorId", out _));
        }
        var badAspect = await Send(jp, "bad-aspect", new { competitorId = "FR-07", marks = new[] { new { aspectId = "A/1", achieved = true } } });
        Assert.True((await Json(badAspect)).GetProperty("errors").TryGetProperty("marks[0].aspectId", out _));
        // In a route, such an id is 400 naming it, as every route value is (found by an outside tester: 422, not in the contract).
        var badRoute = await _s.Organiser.GetAsync($"{Path}/competitors/FR%2F07/sheet");
        Assert.Equal(HttpStatusCode.BadRequest, badRoute.StatusCode);
        Assert.True((await Json(badRoute)).GetProperty("errors").TryGetProperty("competitorId", out _));
        // Found by an outside tester: a deviation longer than a decimal holds was rounded to 0.05, inside a band it is outside of.
        var rounded = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks")
        {
            Content = new StringContent("""{"competitorId":"FR-07","marks":[{"aspectId":"B1.1","deviation":0.0500000000000000000000000000000000000001}]}""", Encoding.UTF8, "application/json"),
        };
        rounded.Headers.Add("Idempotency-Key", "rounded");
        var tooLong = await jp.SendAsync(rounded);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var tooLongProblem = await Json(tooLong);
        Assert.True(tooLongProblem.GetProperty("errors").TryGetProperty("marks[0].deviation", out _));
        // Said as the value it is, not as malformed JSON (found by an outside tester: "The request body is not valid JSON").
        Assert.Equal("a-number-has-more-digits-than-its-field-holds", tooLongProblem.GetProperty("code").GetString());
        // And one beyond a decimal's range as out of range (found by an outside tester: "not of the type its field takes").
        var beyond = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks")
        {
            Content = new StringContent("""{"competitorId":"FR-07","marks":[{"aspectId":"B1.1","deviation":1e30}]}""", Encoding.UTF8, "application/json"),
        };
        beyond.Headers.Add("Idempotency-Key", "beyond");
        var hugeProblem = await Json(await jp.SendAsync(beyond));
        Assert.Equal(("a-number-is-out-of-range", 400), (hugeProblem.GetProperty("code").GetString(), hugeProblem.GetProperty("status").GetInt32()));
        Assert.True(hugeProblem.GetProperty("errors").TryGetProperty("marks[0].deviation", out _));
        // A property the batch or a mark does not have is refused naming it, nothing stored: a misspelt stamp read as none
        // let an hour-old batch overwrite a colleague's newer entry (found by an outside tester).
        foreach (var (key, body, field) in new[]
        {
            ("misspelt-stamp", $$"""{"competitorId":"FR-07","created_at":"{{DateTimeOffset.UtcNow.AddHours(-1):O}}","marks":[{"aspectId":"A1.1","achieved":true}]}""", "created_at"),
            ("misspelt-value", """{"competitorId":"FR-07","marks":[{"aspectId":"A1.1","achieved":true,"scroe":2}]}""", "marks[0].scroe"),
        })
        {
            var unknown = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            unknown.Headers.Add("Idempotency-Key", key);
            var refused = await jp.SendAsync(unknown);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await Json(refused);
            Assert.Equal("unknown-property", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }
        Assert.Equal(0, await Scalar("select count(*) from skillshub.audit where action = 'mark'"));
    }

    [Fact]
    public async Task BodiesOverTheLimit_Answer413_OnEveryEndpointThatReadsItsBody()
    {
        var payload = new string('a', 31 * 1024 * 1024);
        // Expect: 100-continue, as a careful client sends: the server refuses before the body is uploaded.
        var request = new HttpRequestMessage(HttpMethod.Put, $"{Path}/competitors") { Content = new StringContent("id,member,first_name,last_name\n" + payload, Encoding.UTF8, "text/csv") };
        request.Headers.ExpectContinue = true;
        var import = await _s.Organiser.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, import.StatusCode);
        Assert.Equal("application/problem+json", import.Content.Headers.ContentType?.MediaType);
        // It names the body and the limit (found by an outside tester: a bare "Content Too Large" past the node's 30 MB).
        var problem = await Json(import);
        Assert.Equal(("body", 30_000_000L), (problem.GetProperty("field").GetString(), problem.GetProperty("limitBytes").GetInt64()));

        // The small forms anyone may send take 16 KB (another tester: an anonymous sign-in or pairing read 29 MB).
        using var anonymous = _node.Client();
        foreach (var path in new[] { "/api/auth/login", "/api/pairing/redeem", "/api/certificates/search" })
        {
            var big = await anonymous.PostAsync(path, new StringContent($$"""{"userName":"x","password":"{{new string('p', 20_000)}}","code":"x","idNumber":"x"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
            var refused = await Json(big);
            Assert.Equal(("body", 16_384L), (refused.GetProperty("field").GetString(), refused.GetProperty("limitBytes").GetInt64()));
            // One code for every 413, whichever part of the server refused the body.
            Assert.Equal(problem.GetProperty("code").GetString(), refused.GetProperty("code").GetString());
        }
        // So do the organiser's and Chief Expert's small JSON forms (found by an outside tester: a 20 MB property on the
        // visibility form was read and the form set), and the limit is said as people write it ("64 KB", not "29296 KB").
        var padded = $$"""{"mode":"Live","pad":"{{new string('p', 70_000)}}"}""";
        foreach (var (method, path) in new[] { (HttpMethod.Put, $"{Path}/visibility"), (HttpMethod.Post, $"{Path}/locks"), (HttpMethod.Post, "/api/competitions") })
        {
            var big = await _s.Organiser.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(padded, Encoding.UTF8, "application/json") });
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
            var refused = await Json(big);
            Assert.Equal(("body", 65_536L), (refused.GetProperty("field").GetString(), refused.GetProperty("limitBytes").GetInt64()));
            Assert.EndsWith("limit of 64 KB.", refused.GetProperty("detail").GetString());
        }
        Assert.EndsWith("limit of 28.6 MB.", problem.GetProperty("detail").GetString());
    }

    /// <summary>
    /// A body over the endpoint's limit, refused before it is read (401 to no one, 403 to an organiser on the experts' marks):
    /// the server will not read past the limit to the next request, so the answer says the connection closes. Found by an
    /// outside tester: the connection was closed without a word, and the client's next request on it was lost.
    /// </summary>
    [Fact]
    public async Task ABodyOverTheLimit_AnsweredBeforeItIsRead_SaysTheConnectionCloses()
    {
        var oversize = new string('a', SkillsHub.Server.Api.MarksApi.MaxBodyBytes + 1);
        using var anonymous = _node.Client();
        foreach (var client in new[] { anonymous, _s.Organiser })
        {
            var refused = await client.PostAsync($"{Path}/marks", new StringContent(oversize, Encoding.UTF8, "application/json"));
            Assert.Contains(refused.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
            Assert.True(refused.Headers.ConnectionClose, $"{(int)refused.StatusCode} without Connection: close");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/competitions")).StatusCode);
        }
        // Within the limit, the connection stays open.
        var small = await anonymous.PostAsync($"{Path}/marks", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, small.StatusCode);
        Assert.NotEqual(true, small.Headers.ConnectionClose);
        // A body in chunks has no length to compare: refused, it closes the connection whatever its size.
        var chunked = new HttpRequestMessage(HttpMethod.Post, $"{Path}/marks") { Content = new StringContent(oversize, Encoding.UTF8, "application/json") };
        chunked.Headers.TransferEncodingChunked = true;
        var refusedChunks = await anonymous.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedChunks.StatusCode);
        Assert.True(refusedChunks.Headers.ConnectionClose, "a refused chunked body without Connection: close");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/competitions")).StatusCode);
    }

    [Fact]
    public async Task SecondCompetitorOfAMember_IsRefusedWithARowError()
    {
        var response = await _s.Organiser.PutAsync($"{Path}/competitors", new StringContent("""
            id,member,first_name,last_name
            FR-08,FR,Jeanne,Petit
            """, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("one competitor or team per skill", await response.Content.ReadAsStringAsync());
        var roster = await Json(await _s.Anonymous.GetAsync($"{Path}/competitors"));
        Assert.Equal(3, roster.GetArrayLength());
    }

    /// <summary>
    /// Random batches, resends, late resends, reused keys, corrections, refusals and a restart: replaying the
    /// audit trail gives every sheet exactly, and there is one audit row per change or per refused/superseded batch.
    /// </summary>
    [Fact]
    public async Task AuditTrail_ReplaysToEverySheet_WithOneRowPerChangeOrRefusal()
    {
        await OwnNodeAsync();
        var random = new Random(20261130);
        var tokens = _s.Experts.ToDictionary(e => e.Key, e => e.Value.DefaultRequestHeaders.Authorization!);
        var experts = new[] { "E-FR", "E-CN", "E-KR", "E-JP" };
        var competitors = new[] { "FR-07", "CN-07", "KR-07" };
        var aspects = new[] { "A1.1", "A1.2", "B1.1", "B1.2" };
        var sent = new List<(string Expert, string Key, object Body, HttpStatusCode Status, string Answer)>();
        var sequence = new Dictionary<string, long>();
        var clock = DateTimeOffset.UtcNow;
        long expectedRows = 0;

        HttpClient Client(string expert)
        {
            var client = _node.Client();
            client.DefaultRequestHeaders.Authorization = tokens[expert];
            return client;
        }

        async Task<(HttpStatusCode, JsonElement)> Post(string expert, string key, object body)
        {
            var response = await Send(Client(expert), key, body);
            return (response.StatusCode, await Json(response));
        }

        for (var step = 0; step < 160; step++)
        {
            if (step == 80)
            {
                await RestartAsync();
            }
            var roll = random.Next(100);
            if (roll < 15 && sent.Count > 0)
            {
                // A resend (maybe long after): the first answer again, nothing written.
                var (expert, key, body, status, answer) = sent[random.Next(sent.Count)];
                var (again, json) = await Post(expert, key, body);
                Assert.Equal(status, again);
                if (again == HttpStatusCode.OK)
                {
                    Assert.True(json.GetProperty("replayed").GetBoolean());
                    Assert.Equal(answer, json.GetProperty("at").GetString());
                }
                continue;
            }
            if (roll < 22 && sent.Count > 0)
            {
                // The same key with another body: refused, one audit row.
                var (expert, key, _, _, _) = sent[random.Next(sent.Count)];
                // (Two marks in one batch: no first request of this test looks like it.)
                var (status, _) = await Post(expert, key, new { competitorId = competitors[random.Next(3)], marks = new[] { new { aspectId = "A1.1", achieved = true }, new { aspectId = "B1.1", achieved = true } } });
                Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
                expectedRows++;
                continue;
            }
            var who = experts[random.Next(experts.Length)];
            var aspect = aspects[random.Next(aspects.Length)];
            var device = sequence.GetValueOrDefault(who) + 1;
            sequence[who] = device;
            clock = clock.AddSeconds(1);
            // Some batches carry an old stamp (a tablet that was offline): they may be superseded.
            var stale = random.Next(10) == 0;
            var batch = new
            {
                competitorId = competitors[random.Next(3)],
                createdAt = stale ? clock.AddMinutes(-10) : clock,
                deviceSequence = stale ? (long?)null : device,
                marks = new object[] { aspect.EndsWith(".2", StringComparison.Ordinal) ? new { aspectId = aspect, score = random.Next(4) } : new { aspectId = aspect, achieved = random.Next(2) == 0 } },
            };
            var newKey = $"k{step}";
            var (code, reply) = await Post(who, newKey, batch);
            if (code == HttpStatusCode.OK)
            {
                Assert.False(reply.GetProperty("replayed").GetBoolean());
                var superseded = reply.GetProperty("superseded").GetArrayLength();
                expectedRows += 1 - superseded + (superseded > 0 ? 1 : 0);
            }
            else
            {
                Assert.Contains(code, new[] { HttpStatusCode.Forbidden, HttpStatusCode.Conflict, HttpStatusCode.UnprocessableEntity });
                expectedRows++;
            }
            sent.Add((who, newKey, batch, code, code == HttpStatusCode.OK ? reply.GetProperty("at").GetString()! : ""));
        }

        Assert.Equal(expectedRows, await Scalar("select count(*) from skillshub.audit where action = 'mark'"));

        // Replay: the last accepted value per expert and aspect (scores), per aspect (measurements).
        await using var connection = new NpgsqlConnection(_db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select competitor_id, aspect_id, actor, new_value from skillshub.audit where action = 'mark' and outcome = 'accepted' order by id", connection);
        var scores = new Dictionary<(string, string, string), string>();
        var measurements = new Dictionary<(string, string), string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var (competitor, aspect, actor, value) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
                if (value.StartsWith("score ", StringComparison.Ordinal))
                {
                    scores[(competitor, aspect, actor)] = value["score ".Length..];
                }
                else
                {
                    measurements[(competitor, aspect)] = value;
                }
            }
        }
        var organiser = await MarkingScenario.SignInAsync(_node, "organiser", [SkillsHub.Server.Security.Roles.Organiser]);
        foreach (var competitor in competitors)
        {
            var sheet = await Json(await organiser.GetAsync($"{Path}/competitors/{competitor}/sheet"));
            var shownScores = sheet.GetProperty("aspects").EnumerateArray()
                .SelectMany(a => a.GetProperty("scores").EnumerateArray().Select(s => ((competitor, a.GetProperty("aspectId").GetString()!, s.GetProperty("expertId").GetString()!), s.GetProperty("score").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture))))
                .ToDictionary(x => x.Item1, x => x.Item2);
            Assert.Equal(scores.Where(s => s.Key.Item1 == competitor).OrderBy(s => s.Key), shownScores.OrderBy(s => s.Key));
            var shownMeasurements = sheet.GetProperty("aspects").EnumerateArray()
                .Where(a => a.GetProperty("measurement").ValueKind == JsonValueKind.String)
                .ToDictionary(a => (competitor, a.GetProperty("aspectId").GetString()!), a => a.GetProperty("measurement").GetString()!);
            Assert.Equal(measurements.Where(m => m.Key.Item1 == competitor).OrderBy(m => m.Key), shownMeasurements.OrderBy(m => m.Key));
        }
    }
}

/// <summary>A competition that allows several competitors per member: skills entered counts skills (docs/scoring.md).</summary>
[Collection(ServerCollection.Marking)]
public sealed class SeveralPerMemberTests(PostgresFixture postgres)
{
    [Fact]
    public async Task MemberReports_CountSkillsEntered_NotCompetitors()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        var organiser = await MarkingScenario.SignInAsync(node, "organiser", [SkillsHub.Server.Security.Roles.Organiser]);
        async Task Put(string path, string body, string type)
        {
            var response = await organiser.PutAsync(path, new StringContent(body, Encoding.UTF8, type));
            Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var created = await organiser.PostAsJsonAsync("/api/competitions", new { code = "MULTI2026", name = "Several per member", city = "Lyon", country = "France", allowSeveralPerMember = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Put("/api/competitions/MULTI2026/skills", "number,name_en,name_zh,sector,team_size,competitor_max_age\n7,CNC Milling,数控铣,Manufacturing,1,22\n", "text/csv");
        const string skill = "/api/competitions/MULTI2026/skills/07";
        await Put($"{skill}/competitors", "id,member,first_name,last_name\nFR-1,FR,Louis,Martin\nFR-2,FR,Jeanne,Petit\nDE-1,DE,Anna,Klein\n", "text/csv");
        await Put($"{skill}/experts", "id,member,name,role\nE-JP,JP,Sato Ken,Chief Expert\n", "text/csv");
        await Put($"{skill}/scheme?judges=3&allowCompatriots=false", """
            {"title":"T","criteria":[{"id":"A","name":"A","subCriteria":[{"id":"A1","name":"A1","aspects":[
              {"id":"A1.1","type":"M","description":"d","markingDay":"C1","maxMark":100.00}]}]}]}
            """, "application/json");
        await Put($"{skill}/marking-groups", "id,name,targets,experts\nG1,All,A,E-JP\n", "text/csv");
        var code = await (await organiser.PostAsJsonAsync($"{skill}/pairing-codes", new { expertId = "E-JP" })).Content.ReadFromJsonAsync<MarkingScenario.PairingCode>();
        var device = await (await node.Client().PostAsJsonAsync("/api/pairing/redeem", new { code = code!.Code, deviceName = "t" })).Content.ReadFromJsonAsync<MarkingScenario.Redeemed>();
        var jp = node.Client();
        jp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device!.Token);
        foreach (var (competitor, achieved) in new[] { ("FR-1", true), ("FR-2", true), ("DE-1", false) })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{skill}/marks") { Content = JsonContent.Create(new { competitorId = competitor, marks = new[] { new { aspectId = "A1.1", achieved } } }) };
            request.Headers.Add("Idempotency-Key", "m-" + competitor);
            Assert.Equal(HttpStatusCode.OK, (await jp.SendAsync(request)).StatusCode);
        }
        await node.Services.GetRequiredService<IGrainFactory>().GetGrain<SkillsHub.Abstractions.IEventGrain>("MULTI2026/07").Recompute();

        JsonElement france = default;
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            var report = await organiser.GetFromJsonAsync<JsonElement>("/api/competitions/MULTI2026/reports/alphabetical");
            france = report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("standing")).FirstOrDefault(s => s.GetProperty("memberCode").GetString() == "FR");
            return france.ValueKind == JsonValueKind.Object && france.GetProperty("gold").GetInt32() == 2;
        }, TimeSpan.FromSeconds(10)));
        // Two golds (a tie) for two French competitors in one skill: 8 medal points over 1 skill entered.
        Assert.Equal(1, france.GetProperty("skillsEntered").GetInt32());
        Assert.Equal(8, france.GetProperty("medalPoints").GetInt32());
        Assert.Equal(8m, france.GetProperty("averageMedalPoints").GetDecimal());
    }
}
