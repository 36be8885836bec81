using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SkillsHub.Server.Tests;

/// <summary>
/// The judging report over HTTP on a real node: marks entered through the API (including a spread
/// refusal, a rescore and a measurement correction), then the numbers worked out by hand in the comments.
/// The tests share one node, each with a competition of its own (skill 07 set up, skill 06 without a scheme).
/// </summary>
[Collection(ServerCollection.Marking)]
public sealed class JudgingReportApiTests(NodeFixture shared) : IClassFixture<NodeFixture>, IAsyncLifetime
{
    MarkingScenario _s = null!;

    string Path => _s.Path;

    public async Task InitializeAsync()
    {
        _s = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var skill6 = await _s.Organiser.PutAsync($"/api/competitions/{_s.Code}/skills", new System.Net.Http.StringContent("number,name_en\n6,Electronics\n", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, skill6.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    async Task Score(string expert, string competitor, string aspect, int score, bool accepted = true)
    {
        var response = await _s.MarkAsync(_s.Experts[expert], competitor, $"{expert}-{competitor}-{aspect}-{score}-{Guid.NewGuid():N}", new { aspectId = aspect, score });
        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Conflict, response.StatusCode);
    }

    /// <summary>
    /// A1.2 (group G1): FR-07 by CN 2 (first 1, rescored), KR 2, JP 3; CN-07 by FR 1, KR 2, JP 2; KR-07 by FR 3, CN 3, JP 3.
    /// B1.2 (group G2): CN-07 by FR 1, KR 1, JP 2; KR-07: FR 1, then JP 3 is refused for spread (incomplete set).
    /// A1.1 for FR-07: CN records "achieved", KR corrects it to "not achieved".
    /// </summary>
    async Task MarkTheSkillAsync()
    {
        await Score("E-CN", "FR-07", "A1.2", 1);
        await Score("E-CN", "FR-07", "A1.2", 2);
        await Score("E-KR", "FR-07", "A1.2", 2);
        await Score("E-JP", "FR-07", "A1.2", 3);
        await Score("E-FR", "CN-07", "A1.2", 1);
        await Score("E-KR", "CN-07", "A1.2", 2);
        await Score("E-JP", "CN-07", "A1.2", 2);
        await Score("E-FR", "KR-07", "A1.2", 3);
        await Score("E-CN", "KR-07", "A1.2", 3);
        await Score("E-JP", "KR-07", "A1.2", 3);
        await Score("E-FR", "CN-07", "B1.2", 1);
        await Score("E-KR", "CN-07", "B1.2", 1);
        await Score("E-JP", "CN-07", "B1.2", 2);
        await Score("E-FR", "KR-07", "B1.2", 1);
        await Score("E-JP", "KR-07", "B1.2", 3, accepted: false);
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-CN"], "FR-07", "m1", new { aspectId = "A1.1", achieved = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _s.MarkAsync(_s.Experts["E-KR"], "FR-07", "m2", new { aspectId = "A1.1", achieved = false })).StatusCode);
    }

    static JsonElement Expert(JsonElement report, string id) =>
        report.GetProperty("report").GetProperty("experts").EnumerateArray().Single(e => e.GetProperty("expertId").GetString() == id);

    static string Exact(JsonElement rational) => rational.GetProperty("exact").GetString()!;

    [Fact]
    public async Task SkillReport_GivesTheHandWorkedNumbers_ToTheChiefExpert()
    {
        await MarkTheSkillAsync();
        var response = await _s.Experts["E-DE"].GetAsync($"{Path}/judging-report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var report = body.GetProperty("report");
        Assert.Equal(4, report.GetProperty("sets").GetInt32());
        Assert.Equal(3, report.GetProperty("judges").GetInt32());

        // JP: +1, +1/2, 0 (A1.2) and +1 (B1.2): mean 5/8; the refused 3 on KR-07 B1.2 is a spread refusal.
        var jp = Expert(body, "E-JP");
        Assert.Equal((4, "5/8"), (jp.GetProperty("deviations").GetProperty("sets").GetInt32(), Exact(jp.GetProperty("deviations").GetProperty("meanDeviation"))));
        Assert.Equal(0.625m, jp.GetProperty("deviations").GetProperty("meanDeviation").GetProperty("value").GetDecimal());
        Assert.Equal((1, 0, 0), (jp.GetProperty("spreadRefusals").GetInt32(), jp.GetProperty("rescores").GetInt32(), jp.GetProperty("corrections").GetInt32()));
        // JP is the unique outlier (|d| = 1) on FR-07 A1.2 and CN-07 B1.2.
        Assert.Equal((2, "1/2"), (jp.GetProperty("deviations").GetProperty("outlierSets").GetInt32(), Exact(jp.GetProperty("deviations").GetProperty("outlierShare"))));

        // FR: -1, 0, -1/2 -> -1/2. CN: -1/2, 0 -> -1/4, one rescore. KR: -1/2, +1/2, -1/2 -> -1/6, one correction.
        Assert.Equal("-1/2", Exact(Expert(body, "E-FR").GetProperty("deviations").GetProperty("meanDeviation")));
        var cn = Expert(body, "E-CN");
        Assert.Equal(("-1/4", 1), (Exact(cn.GetProperty("deviations").GetProperty("meanDeviation")), cn.GetProperty("rescores").GetInt32()));
        var kr = Expert(body, "E-KR");
        Assert.Equal(("-1/6", 1, "1/2"), (Exact(kr.GetProperty("deviations").GetProperty("meanDeviation")), kr.GetProperty("corrections").GetInt32(),
            Exact(kr.GetProperty("deviations").GetProperty("meanAbsoluteDeviation"))));
        // The Chief Expert judged nothing: listed, without deviations.
        Assert.Equal(JsonValueKind.Null, Expert(body, "E-DE").GetProperty("deviations").ValueKind);

        // G1's alpha over (2,2,3), (1,2,2), (3,3,3): n = (1, 4, 4); D_o terms 44.5, D_e terms 900 -> 1 - 8 * 44.5 / 900 = 136/225.
        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["G1", "G2"], groups.Select(g => g.GetProperty("groupId").GetString()));
        Assert.Equal((3, "136/225"), (groups[0].GetProperty("sets").GetInt32(), Exact(groups[0].GetProperty("alpha"))));
        Assert.Equal(1, groups[1].GetProperty("sets").GetInt32());

        // Cells pair experts with the members they judged, never their own.
        var cells = report.GetProperty("cells").EnumerateArray().Select(c => (c.GetProperty("expertId").GetString(), c.GetProperty("memberCode").GetString())).ToList();
        Assert.Contains(("E-JP", "CN"), cells);
        Assert.DoesNotContain(cells, c => c.Item1 == $"E-{c.Item2}");

        // KR-07 withdrawn: its sets leave the report, and so does JP's spread refusal on it (found by an outside tester:
        // the audit's counts kept a withdrawn competitor's refusals and rescores). CN's rescore on FR-07 stays.
        Assert.Equal(HttpStatusCode.NoContent, (await _s.Organiser.DeleteAsync($"{Path}/competitors/KR-07")).StatusCode);
        var after = await (await _s.Experts["E-DE"].GetAsync($"{Path}/judging-report")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, after.GetProperty("report").GetProperty("sets").GetInt32());
        Assert.Equal(0, Expert(after, "E-JP").GetProperty("spreadRefusals").GetInt32());
        Assert.Equal(1, Expert(after, "E-CN").GetProperty("rescores").GetInt32());
    }

    /// <summary>Found by an outside tester: a tendency's p below 0.0001 was "0.0000" in the CSV, "&lt; 0.0001" in the PDF.</summary>
    [Theory]
    [InlineData(1, 32768, "3.05E-05")]
    [InlineData(65, 9223372036854775807, "7.05E-18")]
    [InlineData(1, 10000, "0.0001")]
    [InlineData(1, 20, "0.0500")]
    public void ATendencysPValue_IsANumberInTheCsv_SmallOnesInScientificNotation(long numerator, long denominator, string cell) =>
        Assert.Equal(cell, SkillsHub.Server.JudgingReports.JudgingReportApi.PValueCell(new SkillsHub.Domain.JudgingReport.Rational(numerator, denominator)));

    [Fact]
    public async Task CsvAndPdf_CarryTheSameReport()
    {
        await MarkTheSkillAsync();
        var csv = await _s.Organiser.GetStringAsync($"{Path}/judging-report.csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("skill,expert_id,expert_name,member,sets,mean_deviation,mean_deviation_numerator,mean_deviation_denominator,", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("07,E-JP,Sato Ken,JP,4,0.63,5,8,", StringComparison.Ordinal) && l.Contains(",1,0,0,", StringComparison.Ordinal));
        // A negative mean is a plain negative number, never a cell taken for a formula (an outside tester: "'-19/48").
        Assert.DoesNotContain("'", string.Join("\n", lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(9)))));
        Assert.Contains(lines.Skip(1), l => l.Split(',')[6].StartsWith('-'));

        var pdf = await _s.Experts["E-DE"].GetAsync($"{Path}/judging-report.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        // An expert's outliers as a count with its share (E-JP: 2 of 4 sets), as the console shows them (found by an outside
        // tester: only the share, "0.50"); a negative figure with the minus sign the signed figures use.
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"judging-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        var text = Credentials.CredentialTestKit.PdfText(file);
        File.Delete(file);
        Assert.Matches(@"E-JP Sato Ken\s+JP\s+4\s+\+0\.63\s+\S+\s+2 \(50 %\)", text);
        Assert.DoesNotMatch(@"alpha \(ordinal\) -\d", text);

        var competition = await _s.Organiser.GetAsync($"/api/competitions/{_s.Code}/judging-report");
        Assert.Equal(HttpStatusCode.OK, competition.StatusCode);
        var body = await competition.Content.ReadFromJsonAsync<JsonElement>();
        var skill = Assert.Single(body.GetProperty("report").GetProperty("skills").EnumerateArray());
        Assert.Equal($"{_s.Code}/07", skill.GetProperty("skillKey").GetString());
        Assert.Equal(4, skill.GetProperty("sets").GetInt32());
        var all = await _s.Organiser.GetStringAsync($"/api/competitions/{_s.Code}/judging-report.csv");
        Assert.Contains("07,E-JP,Sato Ken,JP,4,0.63,5,8,", all);
    }

    /// <summary>
    /// Found by an outside tester: with a skill's 40-odd experts the PDF ran over pages with the experts' table going on
    /// without its header and no page numbered, and names of 46 characters were cut with "…". The names wrap whole in
    /// their column, a table going on repeats its header, every page says which of how many it is.
    /// </summary>
    [Fact]
    public async Task APdfOfManyExperts_WrapsTheirNames_RepeatsTheHeader_AndNumbersItsPages()
    {
        await MarkTheSkillAsync();
        var members = new[] { "AT", "BR", "CH", "IT", "NL", "SE", "US", "ES" };
        var experts = MarkingScenario.ExpertsCsv + "\n" + string.Join("\n", Enumerable.Range(0, 45).Select(i =>
            $"P{i:00},{members[i % members.Length]},Maximilian Alexander von Hohenzollern-Sigmaringen Nr{i:00},Expert"));
        var import = await _s.Organiser.PutAsync($"{Path}/experts", new System.Net.Http.StringContent(experts, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());

        var bytes = await (await _s.Experts["E-DE"].GetAsync($"{Path}/judging-report.pdf")).Content.ReadAsByteArrayAsync();
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"judging-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        var text = Credentials.CredentialTestKit.PdfText(file);
        File.Delete(file);
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToList();
        Assert.True(pages.Count >= 2, text);
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Page {i + 1} of {pages.Count}", pages[i]);
        }
        // The table's header on every page the table is on, and each name whole (its two lines each hold a part of it).
        Assert.All(pages.Where(p => p.Contains("Hohenzollern", StringComparison.Ordinal)), p => Assert.Contains("Mean |dev.|", p));
        Assert.DoesNotContain("…", text);
        for (var i = 0; i < 45; i++)
        {
            Assert.Contains($"Nr{i:00}", text);
        }
    }

    /// <summary>
    /// A marking group of 45 judging experts: its chart goes on in the next page with its band and scale again, and every
    /// expert is drawn (the chart ran off the page's foot before). Drawn from the calculator's report, no node needed.
    /// </summary>
    [Fact]
    public void AGroupChartTallerThanAPage_GoesOnInTheNextPage()
    {
        var experts = Enumerable.Range(0, 45).Select(i => new SkillsHub.Domain.JudgingReport.ExpertEntry($"X{i:00}", $"M{i % 9}", $"Expert {i:00}")).ToList();
        var sets = Enumerable.Range(0, 45).Select(i => new SkillsHub.Domain.JudgingReport.ScoreSet("G1", $"C{i}", "ZZ", $"A{i}",
            [new($"X{i:00}", $"M{i % 9}", 1 + i % 3), new($"X{(i + 1) % 45:00}", $"M{(i + 1) % 9}", 2), new($"X{(i + 2) % 45:00}", $"M{(i + 2) % 9}", 3)])).ToList();
        var report = SkillsHub.Domain.JudgingReport.JudgingReportCalculator.ForSkill(new("T/07", 3, experts, sets, []));
        Assert.Equal(45, Assert.Single(report.Groups).Experts.Count);
        var bytes = SkillsHub.Server.JudgingReports.JudgingReportPdf.Render(new("T", 7, DateTimeOffset.UtcNow, report));
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"judging-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, bytes);
        var text = Credentials.CredentialTestKit.PdfText(file);
        File.Delete(file);
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToList();
        Assert.Contains("Group G1 · 评分组 G1 (continued · 续)", pages[1]);
        // The scale writes its minus as the values do (found by an outside tester: "-1.5" beside "−0.33").
        Assert.Contains("\u22121.5", pages[0]);
        Assert.DoesNotContain("-1.5", text);
        Assert.Contains("Page 2 of", pages[1]);
        // Each expert twice: a row of the chart and a row of the table.
        Assert.All(experts, e => Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, $@"\b{e.ExpertId} Expert").Count));
    }

    /// <summary>A skill without a marking scheme has no judges per aspect: its PDF says the scheme is missing, not "0 judges per aspect" (found by an outside tester).</summary>
    [Fact]
    public async Task ThePdfOfASkillWithoutAScheme_SaysTheSchemeIsMissing()
    {
        var report = await _s.Organiser.GetFromJsonAsync<JsonElement>($"/api/competitions/{_s.Code}/skills/06/judging-report");
        Assert.Equal(0, report.GetProperty("report").GetProperty("judges").GetInt32());
        var bytes = await (await _s.Organiser.GetAsync($"/api/competitions/{_s.Code}/skills/06/judging-report.pdf")).Content.ReadAsByteArrayAsync();
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"judging-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        var text = Credentials.CredentialTestKit.PdfText(file);
        File.Delete(file);
        Assert.Contains("no marking scheme yet", text);
        Assert.DoesNotContain("0 judges per aspect", text);
    }

    [Fact]
    public async Task Experts_AndThePublic_AreRefused_AndTheChiefExpertSeesOnlyTheirSkill()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.Experts["E-FR"].GetAsync($"{Path}/judging-report")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.Experts["E-FR"].GetAsync($"{Path}/judging-report.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.Anonymous.GetAsync($"{Path}/judging-report")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _s.Anonymous.GetAsync($"{Path}/judging-report.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.Experts["E-DE"].GetAsync($"/api/competitions/{_s.Code}/judging-report")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _s.Experts["E-DE"].GetAsync($"/api/competitions/{_s.Code}/skills/06/judging-report")).StatusCode);
    }

    [Fact]
    public async Task UnknownSkillOrCompetition_IsAProblemNamingTheField()
    {
        var skill = await _s.Organiser.GetAsync($"/api/competitions/{_s.Code}/skills/98/judging-report");
        Assert.Equal(HttpStatusCode.NotFound, skill.StatusCode);
        Assert.Equal("number", (await skill.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        var competition = await _s.Organiser.GetAsync("/api/competitions/NOPE/judging-report");
        Assert.Equal(HttpStatusCode.NotFound, competition.StatusCode);
        Assert.Equal("code", (await competition.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        // A skill without a scheme yet: an empty report, not an error.
        var empty = await _s.Organiser.GetFromJsonAsync<JsonElement>($"/api/competitions/{_s.Code}/skills/06/judging-report");
        Assert.Equal(0, empty.GetProperty("report").GetProperty("sets").GetInt32());
    }
}
