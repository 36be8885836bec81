using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;
using SkillsHub.Server.Seeding;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>Competition promotions become certificates once an agency officer supplies the holder's ID.</summary>
[Collection(ServerCollection.Certification)]
public sealed class PromotionCertificateTests(PostgresFixture postgres)
{
    /// <summary>CNC Milling (WSC2024 skill 07) maps to 铣工 in the sample catalogue.</summary>
    const string Milling = "6-18-01-02";
    const string MillingAgency = "S000031000003";
    const string ResidentId = "11010119900307651X";

    static string Year => (DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year % 100).ToString("00");

    static Task<HttpClient> MillingOfficerAsync(SkillsHubNode node, string agency, string user, params SkillLevel[] levels) =>
        OfficerAsync(node, agency, user, Milling, levels);

    static async Task<HttpClient> OfficerAsync(SkillsHubNode node, string agency, string user, string occupation, params SkillLevel[] levels)
    {
        await node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(agency), $"评价站 Evaluation site {agency}",
            levels.Select(l => (occupation, l)), default);
        await node.Services.GetRequiredService<AccountStore>().CreateAsync(user, user, "officer-password-m", [Roles.AgencyOfficer], agency);
        return await SignInAsync(node, user, "officer-password-m");
    }

    static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task PublishedResults_Promote_OfficerIssuesWithId_LookupShowsMaskedId()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        // The demo agency is the embedded demo's only, never a configured database's.
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.agencies where key = @key", new { key = DemoAgencySeeder.AgencyKeyText }));
        using var officer = await MillingOfficerAsync(node, MillingAgency, "officer-m", SkillLevel.Level2, SkillLevel.Level1);
        using var welderOfficer = await OfficerAsync(node, SocialAgency, "officer-s", Welder, SkillLevel.Level5, SkillLevel.Level2);
        using var anonymous = node.Client();

        // WSC2024 skill 07 with FR, CN, KR: only CN gets a mark, so CN wins gold and FR and KR share silver.
        var scenario = await MarkingScenario.CreateAsync(node);
        (await MarkingScenario.Mark(scenario.Experts["E-FR"], "CN-07", "promo-1", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        var jobs = node.Services.GetRequiredService<CertificationJobs>();
        await jobs.Promote(default);
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.promotions"));

        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PostAsync($"{MarkingScenario.SkillPath}/publish", null)).StatusCode);
        await jobs.Promote(default);
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competitor_id = 'CN-07' and occupation_code = @Milling and level = @level",
            new { Milling, level = (short)SkillLevel.Level2 }));
        Assert.True(await ScalarAsync(node, "select count(*) from skillshub.promotions where member_code <> 'CN'") > 0, "FR and KR (silver) are promoted too");

        // The officer sees the CN promotion only (national rule); an agency without milling in scope sees none.
        var list = (await officer.GetFromJsonAsync<PromotionList>("/api/agency/promotions", Json))!;
        Assert.Equal(["CN"], list.Members);
        var promotion = Assert.Single(list.Items);
        Assert.Equal(("CN-07", "CN", 2, "铣工", "CNC Milling", null), (promotion.CompetitorId, promotion.MemberCode, promotion.Level, promotion.OccupationZh, promotion.SkillName, promotion.CertificateNumber));
        Assert.Empty((await welderOfficer.GetFromJsonAsync<PromotionList>("/api/agency/promotions", Json))!.Items);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync("/api/agency/promotions?status=bogus")).StatusCode);

        var url = $"/api/agency/promotions/{promotion.Id}/certificate";
        var valid = new { idType = "resident", idNumber = ResidentId, name = "张伟" };

        // Bad input: 400 problem details naming the field, never a 500.
        var badType = await ProblemAsync(await officer.PostAsJsonAsync(url, new { idType = "alien", idNumber = "X1234567" }));
        Assert.True(badType.GetProperty("errors").TryGetProperty("idType", out _), badType.ToString());
        var badCheckDigit = await ProblemAsync(await officer.PostAsJsonAsync(url, new { idType = "resident", idNumber = "110101199003076510" }));
        Assert.True(badCheckDigit.GetProperty("errors").TryGetProperty("idNumber", out _), badCheckDigit.ToString());
        // A resident ID born after the competition began is not the competitor's (found by an outside tester: certified).
        var bornLater = await officer.PostAsJsonAsync(url, new { idType = "resident", idNumber = "110101202507010017", name = "张伟" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bornLater.StatusCode);
        Assert.True((await ProblemAsync(bornLater)).GetProperty("errors").TryGetProperty("idNumber", out _));
        var missing = await officer.PostAsJsonAsync(url, new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var malformed = await officer.PostAsync(url, new StringContent("{\"idType\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var unknown = await officer.PostAsJsonAsync("/api/agency/promotions/999999/certificate", valid);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var unknownText = (await unknown.Content.ReadAsStringAsync()).Replace("999999", "ID");

        // Agency isolation (docs/security.md): a promotion outside the filed scope, or of another member's
        // competitor, answers exactly like a missing one -- no member, no occupation, no level.
        var outside = await welderOfficer.PostAsJsonAsync(url, valid);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        var foreign = await ScalarAsync(node, "select min(id) from skillshub.promotions where member_code = 'FR'");
        var notCovered = await officer.PostAsJsonAsync($"/api/agency/promotions/{foreign}/certificate", new { idType = "passport", idNumber = "FR1234567" });
        Assert.Equal(HttpStatusCode.NotFound, notCovered.StatusCode);
        Assert.Equal(TitleAndDetail(unknownText), TitleAndDetail((await notCovered.Content.ReadAsStringAsync()).Replace(foreign.ToString(), "ID")));
        Assert.Equal(TitleAndDetail(unknownText), TitleAndDetail((await outside.Content.ReadAsStringAsync()).Replace(url.Split('/')[4], "ID")));
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));

        // Issued through the shared counters: Level 2 digit, serial 1 of (agency, year, level).
        var issued = await officer.PostAsJsonAsync(url, valid);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var certificate = (await issued.Content.ReadFromJsonAsync<CertificateView>(Json))!;
        Assert.Equal($"{MillingAgency}{Year}2000001", certificate.Number);
        Assert.Equal($"/api/certificates/{certificate.Number}", issued.Headers.Location?.ToString());
        Assert.Equal(("张伟", "**************651X", "二级/技师", "铣工", "valid"), (certificate.HolderName, certificate.IdNumberMasked, certificate.LevelZh, certificate.OccupationZh, certificate.Status));
        var token = node.Services.GetRequiredService<RegistryTokens>().For(certificate.Number);
        Assert.Equal(token, certificate.AccessToken);

        // A retry returns the same certificate; another ID for the same promotion is refused.
        var again = await officer.PostAsJsonAsync(url, valid);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(certificate.Number, (await again.Content.ReadFromJsonAsync<CertificateView>(Json))!.Number);
        var otherHolder = await officer.PostAsJsonAsync(url, new { idType = "passport", idNumber = "E12345678" });
        Assert.Equal(HttpStatusCode.Conflict, otherHolder.StatusCode);
        Assert.Equal("idNumber", (await ProblemAsync(otherHolder)).GetProperty("field").GetString());
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.certificates where promotion_id = @id and issued_by = 'officer-m'", new { id = promotion.Id }));
        Assert.Equal(1L, await ScalarAsync(node, """
            select count(*) from skillshub.candidate_levels l join skillshub.candidates c on c.id = l.candidate_id
            where c.id_number = @ResidentId and l.occupation_code = @Milling and l.level = @level and l.source = 'promotion'
            """, new { ResidentId, Milling, level = (short)SkillLevel.Level2 }));

        // The officer's list shows it issued, with the ID masked and the access token its link opens the record with.
        var after = Assert.Single((await officer.GetFromJsonAsync<PromotionList>("/api/agency/promotions", Json))!.Items);
        Assert.Equal((certificate.Number, "**************651X", token), (after.CertificateNumber, after.IdNumberMasked, after.AccessToken));
        Assert.Empty((await officer.GetFromJsonAsync<PromotionList>("/api/agency/promotions?status=open", Json))!.Items);

        // Public lookups: by number with the token and by name plus full ID, the ID masked everywhere; the credential is
        // signed like any other.
        var found = await anonymous.GetAsync($"/api/certificates/{certificate.Number}?t={token}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var text = await found.Content.ReadAsStringAsync();
        Assert.Contains("\"idNumberMasked\":\"**************651X\"", text);
        Assert.DoesNotContain(ResidentId, text);
        var byHolder = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = "张伟", idNumber = ResidentId });
        Assert.Equal(certificate.Number, Assert.Single((await byHolder.Content.ReadFromJsonAsync<List<CertificateView>>(Json))!).Number);
        var credential = await anonymous.GetAsync($"/api/credentials/{certificate.Number}?format=json&t={token}");
        Assert.Equal(HttpStatusCode.OK, credential.StatusCode);
        var credentialText = await credential.Content.ReadAsStringAsync();
        Assert.Contains("**************651X", credentialText);
        Assert.DoesNotContain(ResidentId, credentialText);
        // The credential names the competition result as the route to the level, not exams the holder never sat.
        var route = JsonNode.Parse(credentialText)!["credential"]!["evidence"]![0]!;
        Assert.Equal("Competition promotion · 竞赛晋级", (string)route["name"]!);
        Assert.Contains("in WSC2024 skill 7", (string)route["narrative"]!);
        // It ended when the published results decided the promotion (the promotion's own time), not at issue.
        var decided = await TextAsync(node, $"select to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from skillshub.promotions p join skillshub.certificates c on c.promotion_id = p.id where c.number = '{certificate.Number}'");
        Assert.Equal(decided, (string)JsonNode.Parse(credentialText)!["credential"]!["credentialSubject"]!["activityEndDate"]!);

        // Batch issuance of the same agency, year and level continues the same serials: no gap, no duplicate.
        await ScalarAsync(node, """
            with s as (insert into skillshub.evaluation_sessions (agency_key, occupation_code, level, exam_on, review_on, created_by)
                       values (@MillingAgency, @Milling, 2, '2025-06-01', '2025-06-20', 'test') returning id),
                 c as (insert into skillshub.candidates (id_type, id_number, name) select 'passport', 'B000000' || g, 'Batch ' || g from generate_series(1, 2) g returning id),
                 e as (insert into skillshub.evaluations (session_id, candidate_id, theory, practical, review) select s.id, c.id, 80, 80, 80 from s, c returning id, session_id)
            insert into skillshub.rating_decisions (evaluation_id, session_id, outcome, reasons) select id, session_id, 'passed', '{}' from e
            """, new { MillingAgency, Milling });
        var session = await ScalarAsync(node, "select max(id) from skillshub.evaluation_sessions");
        Assert.Equal(2, await jobs.IssueBatchAsync(session, null, null, default));
        Assert.Equal(3L, await ScalarAsync(node, "select count(distinct serial) from skillshub.certificates where agency_key = @MillingAgency and level = 2", new { MillingAgency }));
        Assert.Equal(3L, await ScalarAsync(node, "select max(serial) from skillshub.certificates where agency_key = @MillingAgency and level = 2", new { MillingAgency }));
        Assert.Equal(0, await jobs.CheckConsistency(default));

        // The agency knows this ID by the name on its promotion certificate: a candidates file naming it otherwise is
        // refused, as for a name on one of its evaluations (found by an outside tester: one ID certified under two names).
        var exam = await CreateSessionAsync(officer, Milling, 2, reviewOn: "2025-06-20");
        var renamed = await UploadAsync(officer, exam, "candidates", $"""
            name,id_type,id_number,education,in_occupation_since,held_level,held_since
            Someone Else,resident,{ResidentId},none,2015-01-01,,
            """);
        Assert.Equal("rejected", renamed.Status);
        Assert.Contains(renamed.FirstErrors, e => e.Line == 2 && e.Field == "name" && e.Code == SkillsHub.Domain.RowCodes.NameMismatch);
        var sameName = await UploadAsync(officer, exam, "candidates", $"""
            name,id_type,id_number,education,in_occupation_since,held_level,held_since
            张伟,resident,{ResidentId},none,2015-01-01,,
            """);
        Assert.Equal("succeeded", sameName.Status);
    }

    [Fact]
    public async Task LevelsHeld_MoveTheCertificateUp_AndConcurrentRepeats_YieldOneCertificate()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        using var officer = await MillingOfficerAsync(node, MillingAgency, "officer-m", SkillLevel.Level2, SkillLevel.Level1);
        using var levelTwoOnly = await MillingOfficerAsync(node, "S000031000004", "officer-l2", SkillLevel.Level2);
        // Promotions as the job records them (from standings: no ID), and people who already hold levels in milling.
        await ScalarAsync(node, """
            insert into skillshub.promotions (competition_code, skill_number, competitor_id, name, member_code, occupation_code, level, reason, standings_sequence)
            select 'WSC2024', 7, 'T' || g, 'Holder ' || g, 'CN', @Milling, 4, 'Gold in WSC2024 skill 7', 1 from generate_series(1, 4) g;
            insert into skillshub.candidates (id_type, id_number, name) values ('passport', 'H0000001', 'Holder 1'), ('passport', 'H0000002', 'Holder 2'), ('passport', 'H0000004', 'Holder 4');
            insert into skillshub.candidate_levels (candidate_id, occupation_code, level, since, source)
            select id, @Milling, case id_number when 'H0000002' then 5 else 4 end, '2020-01-01', 'declared:' || case id_number when 'H0000004' then 'S000031000004' else @MillingAgency end
            from skillshub.candidates;
            """, new { Milling, MillingAgency });
        async Task<long> Promotion(string competitor) => await ScalarAsync(node, "select id from skillshub.promotions where competitor_id = @competitor", new { competitor });

        // Already Level 2: the national rule certifies Level 1 (digit 1).
        var up = await officer.PostAsJsonAsync($"/api/agency/promotions/{await Promotion("T1")}/certificate", new { idType = "passport", idNumber = "H0000001" });
        Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        var upgraded = (await up.Content.ReadFromJsonAsync<CertificateView>(Json))!;
        Assert.Equal(($"{MillingAgency}{Year}1000001", 1, "一级/高级技师", "Holder 1"), (upgraded.Number, upgraded.Level, upgraded.LevelZh, upgraded.HolderName));

        // Already Level 1: nothing to certify (409 naming the ID); a different name for a registered ID: 422 naming the name.
        var held = await officer.PostAsJsonAsync($"/api/agency/promotions/{await Promotion("T2")}/certificate", new { idType = "passport", idNumber = "H0000002" });
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        Assert.Equal("idNumber", (await ProblemAsync(held)).GetProperty("field").GetString());
        var renamed = await officer.PostAsJsonAsync($"/api/agency/promotions/{await Promotion("T2")}/certificate", new { idType = "passport", idNumber = "H0000001", name = "Someone Else" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, renamed.StatusCode);
        Assert.True((await ProblemAsync(renamed)).GetProperty("errors").TryGetProperty("name", out var nameErrors));
        // It does not say to leave the name out, which is refused too when the agency knows the ID under another name than
        // the competitor's (found by an outside tester: the two answers sent the officer in a circle); nor whose the ID is.
        Assert.DoesNotContain("empty", nameErrors[0].GetString());
        Assert.DoesNotContain("Holder 1", nameErrors[0].GetString());

        // The upgrade needs Level 1 in scope: an agency filed for Level 2 only is refused.
        var noLevelOne = await levelTwoOnly.PostAsJsonAsync($"/api/agency/promotions/{await Promotion("T4")}/certificate", new { idType = "passport", idNumber = "H0000004" });
        Assert.Equal(HttpStatusCode.Forbidden, noLevelOne.StatusCode);
        Assert.Equal("level", (await ProblemAsync(noLevelOne)).GetProperty("field").GetString());

        // Six concurrent requests for one promotion (a new person): one certificate, one 201, the rest 200 with the same number.
        var url = $"/api/agency/promotions/{await Promotion("T3")}/certificate";
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => officer.PostAsJsonAsync(url, new { idType = "passport", idNumber = "H0000003" })));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var numbers = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<CertificateView>(Json))!.Number));
        Assert.Single(numbers.Distinct());
        Assert.Equal($"{MillingAgency}{Year}2000001", numbers[0]);
        Assert.Equal("Holder 3", (await TextAsync(node, "select name from skillshub.candidates where id_number = 'H0000003'")));

        // Another agency cannot issue what was issued (nor learn the holder).
        var secondAgency = await levelTwoOnly.PostAsJsonAsync(url, new { idType = "passport", idNumber = "H0000003" });
        Assert.Equal(HttpStatusCode.Conflict, secondAgency.StatusCode);
        Assert.Equal(2L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));
        Assert.Equal(0, await node.Services.GetRequiredService<CertificationJobs>().CheckConsistency(default));
    }

    /// <summary>
    /// A level counts as held when it is in force (docs/certification.md, "Levels held"): a revoked or suspended Level 2
    /// certificate neither refuses a Level 2 promotion (409) nor moves it up to Level 1 under the national rule. Found with
    /// the outside tester's report that a revoked certificate counted towards a rating's eligibility.
    /// </summary>
    [Fact]
    public async Task ARevokedOrSuspendedCertificate_NeitherRefusesNorMovesUpAPromotion()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        using var officer = await MillingOfficerAsync(node, MillingAgency, "officer-m", SkillLevel.Level2, SkillLevel.Level1);
        await ScalarAsync(node, """
            insert into skillshub.promotions (competition_code, skill_number, competitor_id, name, member_code, occupation_code, level, reason, standings_sequence)
            select 'WSC2024', 7, 'R' || g, 'Holder ' || g, 'CN', @Milling, 4, 'Gold in WSC2024 skill 7', 1 from generate_series(1, 7) g returning 0
            """, new { Milling });
        async Task<CertificateView?> Issue(int promotion, string idNumber, string name, HttpStatusCode expected = HttpStatusCode.Created)
        {
            var id = await ScalarAsync(node, "select id from skillshub.promotions where competitor_id = @competitor", new { competitor = "R" + promotion });
            var response = await officer.PostAsJsonAsync($"/api/agency/promotions/{id}/certificate", new { idType = "passport", idNumber, name });
            Assert.True(response.StatusCode == expected, $"R{promotion}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return expected == HttpStatusCode.Created ? await response.Content.ReadFromJsonAsync<CertificateView>(Json) : null;
        }

        // Level 2 certificates, one then revoked, one suspended: a second Level 2 promotion of each holder is Level 2 again.
        var revoked = (await Issue(1, "R0000001", "Holder 1"))!;
        var suspended = (await Issue(2, "R0000002", "Holder 2"))!;
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{revoked.Number}/revoke", new { reason = "Awarded in error" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{suspended.Number}/suspend", new { reason = "Under investigation" })).StatusCode);
        var again = (await Issue(3, "R0000001", "Holder 1"))!;
        Assert.Equal((2, "二级/技师"), (again.Level, again.LevelZh));
        Assert.Equal(2, (await Issue(4, "R0000002", "Holder 2"))!.Level);

        // A valid one still counts: the holder now at Level 2 is certified Level 1, and then holds it (409).
        Assert.Equal(1, (await Issue(5, "R0000001", "Holder 1"))!.Level);
        await Issue(6, "R0000001", "Holder 1", HttpStatusCode.Conflict);

        // The year's serials of the level used up: 409 naming the promotion, nothing issued (an outside tester: 500).
        await ScalarAsync(node, "update skillshub.certificate_counters set last_serial = 999999 where agency_key = @agency and level = 2 returning 0", new { agency = MillingAgency });
        var before = await ScalarAsync(node, "select count(*) from skillshub.certificates");
        await Issue(7, "R0000007", "Holder 7", HttpStatusCode.Conflict);
        Assert.Equal(before, await ScalarAsync(node, "select count(*) from skillshub.certificates"));
    }

    [Fact]
    public async Task PromotionRules_MeanWhatTheySay_AndPromotionsNoLongerJustified_AreWithdrawn()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        using var officer = await MillingOfficerAsync(node, MillingAgency, "officer-m", SkillLevel.Level3, SkillLevel.Level2, SkillLevel.Level1);
        var jobs = node.Services.GetRequiredService<CertificationJobs>();
        var scenario = await MarkingScenario.CreateAsync(node);
        (await scenario.MarkAsync(scenario.Experts["E-FR"], "CN-07", "withdraw-1", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PostAsync($"{scenario.Path}/publish", null)).StatusCode);
        // A second competition whose rule was stored before maps were checked: an occupation not in the catalogue.
        var broken = await MarkingScenario.CreateAsync(node, "TST1");
        (await broken.MarkAsync(broken.Experts["E-FR"], "CN-07", "withdraw-2", new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await broken.Organiser.PostAsync($"{broken.Path}/publish", null)).StatusCode);
        await ScalarAsync(node, """insert into skillshub.promotion_rules (competition_code, rule, skill_occupations) values ('TST1', '{}', '{"7": "9-99-99-99"}') returning 0""");

        // One bad competition does not stop the others (it is logged and skipped).
        await jobs.Promote(default);
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'TST1'"));
        Assert.Equal(3L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'WSC2024' and level = 4 and withdrawn_at is null"));

        // Meaningless rules and maps: 422 naming the field, nothing stored.
        async Task<JsonElement> Refused(object body, string field)
        {
            var response = await scenario.Organiser.PutAsJsonAsync("/api/certification/promotion-rules/WSC2024", body);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await ProblemAsync(response);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
            return problem;
        }
        await Refused(new { rule = new { minimumAward = "Platinum" } }, "rule.minimumAward");
        // The document lists the awards the rule takes (found by an outside tester: it declared none).
        var contract = JsonDocument.Parse(await node.Client().GetStringAsync("/openapi/v1.json")).RootElement;
        var awards = contract.GetProperty("components").GetProperty("schemas").GetProperty("PromotionRuleRequest").GetProperty("properties")
            .GetProperty("rule").GetProperty("properties").GetProperty("minimumAward").GetProperty("enum");
        Assert.Equal([.. PromotionRule.PromotingAwards, null], awards.EnumerateArray().Select(a => a.GetString()));
        await Refused(new { rule = new { minimumAward = "Bronze", awardLevel = "Chief" } }, "rule.awardLevel");
        await Refused(new { rule = new { bands = new[] { new { from = 1, to = 3, level = "Level2" }, new { from = 3, to = 5, level = "Level3" } } } }, "rule.bands[1]");
        await Refused(new { rule = new { bands = new[] { new { from = 3, to = 1, level = "Level2" } } } }, "rule.bands[0]");
        await Refused(new { rule = new { minimumAward = "Gold", bands = new[] { new { from = 1, to = 1, level = "Level2" } } } }, "rule.minimumAward");
        await Refused(new { rule = new { }, skillOccupations = new Dictionary<string, string> { ["7"] = "9-99-99-99" } }, "skillOccupations.7");
        await Refused(new { rule = new { }, skillOccupations = new Dictionary<string, string> { ["99"] = Milling } }, "skillOccupations.99");
        // Found by an outside tester: a level given as a number or a comma list was read as another level, and one skill
        // could be mapped twice.
        foreach (var level in new object[] { 4, "Level3,Level4" })
        {
            var levelAsNumber = await scenario.Organiser.PutAsJsonAsync("/api/certification/promotion-rules/WSC2024", new { rule = new { awardLevel = level } });
            Assert.Equal(HttpStatusCode.BadRequest, levelAsNumber.StatusCode);
            Assert.True((await ProblemAsync(levelAsNumber)).GetProperty("errors").TryGetProperty("rule.awardLevel", out _));
        }
        await Refused(new { rule = new { }, skillOccupations = new Dictionary<string, string> { ["7"] = Milling, ["07"] = Milling } }, "skillOccupations.07");
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.promotion_rules where competition_code = 'WSC2024'"));

        // Bands alone promote by place: place 1 -> Level 3. The Level 2 promotions are withdrawn, kept for the audit trail.
        var bands = await scenario.Organiser.PutAsJsonAsync("/api/certification/promotion-rules/WSC2024",
            new { rule = new { bands = new[] { new { from = 1, to = 1, level = "Level3" } } }, skillOccupations = new Dictionary<string, string> { ["7"] = Milling } });
        Assert.Equal(HttpStatusCode.NoContent, bands.StatusCode);
        var levelTwo = await ScalarAsync(node, "select id from skillshub.promotions where competitor_id = 'CN-07' and competition_code = 'WSC2024' and level = 4");
        await jobs.Promote(default);
        await jobs.Promote(default);
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'WSC2024' and withdrawn_at is null"));
        Assert.Equal(3L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'WSC2024' and withdrawn_at is not null and level = 4"));
        var open = Assert.Single((await officer.GetFromJsonAsync<PromotionList>("/api/agency/promotions", Json))!.Items);
        Assert.Equal(("CN-07", 3), (open.CompetitorId, open.Level));

        // Found by an outside tester: a setting without its rule or its map (or a map naming no skill) answered 204 and
        // replaced the stored one, and the next run withdrew every promotion ("the skill maps to no occupation"). Each
        // part is required, a band's from, to and level too: refused naming the field, the stored setting untouched.
        var stored = await TextAsync(node, "select rule::text || ' ' || skill_occupations::text from skillshub.promotion_rules where competition_code = 'WSC2024'");
        var map = $$"""{"7": "{{Milling}}"}""";
        foreach (var (body, status, fields) in new (string, HttpStatusCode, string[])[]
        {
            ("{}", HttpStatusCode.UnprocessableEntity, ["rule", "skillOccupations"]),
            ("""{"rule": null, "skillOccupations": null}""", HttpStatusCode.UnprocessableEntity, ["rule", "skillOccupations"]),
            ("""{"rule": {}}""", HttpStatusCode.UnprocessableEntity, ["skillOccupations"]),
            ("""{"skillOccupations": {}}""", HttpStatusCode.UnprocessableEntity, ["rule", "skillOccupations"]),
            ("""{"rule": {}, "skillOccupations": {}}""", HttpStatusCode.UnprocessableEntity, ["skillOccupations"]),
            ($$"""{"rule": null, "skillOccupations": {{map}}}""", HttpStatusCode.UnprocessableEntity, ["rule"]),
            ($$"""{"rule": {"bands": [{"from": 1, "to": 1}]}, "skillOccupations": {{map}}}""", HttpStatusCode.BadRequest, ["rule.bands[0].level"]),
            ($$"""{"rule": {"bands": [{"to": 1, "level": "Level3"}]}, "skillOccupations": {{map}}}""", HttpStatusCode.BadRequest, ["rule.bands[0].from"]),
            // "bands": null is no bands, as a field left out is (it was a 500, found by an outside tester).
            ("""{"rule": {"bands": null, "minimumAward": "Platinum"}, "skillOccupations": null}""", HttpStatusCode.UnprocessableEntity, ["rule.minimumAward", "skillOccupations"]),
        })
        {
            var response = await scenario.Organiser.PutAsync("/api/certification/promotion-rules/WSC2024", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await ProblemAsync(response);
            Assert.True(response.StatusCode == status, $"{body}: {(int)response.StatusCode} {problem}");
            Assert.Equal(fields.Order(), problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
            // A property left out of well-formed JSON is said as such (an outside tester: it read "not valid JSON").
            if (status == HttpStatusCode.BadRequest)
            {
                Assert.Equal("A required property is missing", problem.GetProperty("title").GetString());
                Assert.Equal($"{fields[0]} is required.", problem.GetProperty("detail").GetString());
            }
        }
        // A number where a level's name goes is a value of the wrong type, not malformed JSON (an outside tester), and the
        // refusal lists the names.
        foreach (var level in new[] { "3", "\"3\"", "true" })
        {
            var wrongType = await scenario.Organiser.PutAsync("/api/certification/promotion-rules/WSC2024", new StringContent(
                $$"""{"rule": {"bands": [{"from": 1, "to": 12, "level": {{level}}}]}, "skillOccupations": {{map}}}""", Encoding.UTF8, "application/json"));
            var problem = await ProblemAsync(wrongType);
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
            Assert.Equal("A value is not of the type its field takes", problem.GetProperty("title").GetString());
            Assert.Contains("Level3", problem.GetProperty("errors").GetProperty("rule.bands[0].level")[0].GetString(), StringComparison.Ordinal);
        }
        // A key the rule does not have is refused, naming it: a misspelt award field would otherwise leave the national rule
        // in force without a word (found by an outside tester: {"rule":{"a":1}} was stored as the national rule).
        foreach (var (unknownRule, field) in new[] { ("""{"minimumAwards": "Gold"}""", "rule.minimumAwards"), ("""{"bands": [{"from": 1, "to": 3, "level": "Level3", "lvl": 2}]}""", "rule.bands[0].lvl") })
        {
            var unknown = await scenario.Organiser.PutAsync("/api/certification/promotion-rules/WSC2024", new StringContent(
                $$"""{"rule": {{unknownRule}}, "skillOccupations": {{map}}}""", Encoding.UTF8, "application/json"));
            var problem = await ProblemAsync(unknown);
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Equal("unknown-property", problem.GetProperty("code").GetString());
            Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }
        Assert.Equal(stored, await TextAsync(node, "select rule::text || ' ' || skill_occupations::text from skillshub.promotion_rules where competition_code = 'WSC2024'"));
        await jobs.Promote(default);
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'WSC2024' and withdrawn_at is null"));

        // Found by another tester: a map keyed "07" (as skill numbers are written) was taken as skill 7 when set, then named
        // no skill when promotions ran, which withdrew them all. The run reads keys by the check's rule; "007" is no key.
        var rule = await TextAsync(node, "select rule::text from skillshub.promotion_rules where competition_code = 'WSC2024'");
        foreach (var (key, status) in new[] { ("07", HttpStatusCode.NoContent), ("007", HttpStatusCode.UnprocessableEntity), ("cnc MILLING", HttpStatusCode.NoContent), ("7", HttpStatusCode.NoContent) })
        {
            var response = await scenario.Organiser.PutAsync("/api/certification/promotion-rules/WSC2024",
                new StringContent($$$"""{"rule": {{{rule}}}, "skillOccupations": {"{{{key}}}": "{{{Milling}}}"}}""", Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == status, $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await jobs.Promote(default);
            Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'WSC2024' and withdrawn_at is null"));
        }

        // A withdrawn promotion yields no certificate: 409 with its code.
        var withdrawn = await officer.PostAsJsonAsync($"/api/agency/promotions/{levelTwo}/certificate", new { idType = "resident", idNumber = ResidentId });
        Assert.Equal(HttpStatusCode.Conflict, withdrawn.StatusCode);
        Assert.Equal("promotion-withdrawn", (await ProblemAsync(withdrawn)).GetProperty("code").GetString());

        // An ID this agency knows under another person's name is not certified as the competitor's when no name is given.
        await ScalarAsync(node, """
            with s as (insert into skillshub.evaluation_sessions (agency_key, occupation_code, level, exam_on, created_by) values (@MillingAgency, @Milling, 3, '2025-06-01', 'test') returning id),
                 c as (insert into skillshub.candidates (id_type, id_number, name) values ('other', 'X0000001', 'Somebody Else') returning id)
            insert into skillshub.evaluations (session_id, candidate_id) select s.id, c.id from s, c returning 0
            """, new { MillingAgency, Milling });
        var otherPerson = await officer.PostAsJsonAsync($"/api/agency/promotions/{open.Id}/certificate", new { idType = "other", idNumber = "X0000001", name = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherPerson.StatusCode);
        var otherProblem = await ProblemAsync(otherPerson);
        Assert.True(otherProblem.GetProperty("errors").TryGetProperty("idNumber", out _), otherProblem.ToString());
        Assert.DoesNotContain("Somebody", otherProblem.ToString());
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));

        // Issued, then no longer justified (back to the national rule): withdrawn too, and the check reports the certificate.
        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync($"/api/agency/promotions/{open.Id}/certificate", new { idType = "resident", idNumber = ResidentId })).StatusCode);
        Assert.Equal(0, await jobs.CheckConsistency(default));
        Assert.Equal(HttpStatusCode.NoContent, (await scenario.Organiser.PutAsJsonAsync("/api/certification/promotion-rules/WSC2024", new { rule = new { minimumAward = "Silver" }, skillOccupations = new Dictionary<string, string> { ["7"] = Milling } })).StatusCode);
        await jobs.Promote(default);
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.promotions where id = @id and withdrawn_at is not null", new { id = open.Id }));
        Assert.Equal(3L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'WSC2024' and withdrawn_at is null and level = 4"));
        Assert.Equal(1, await jobs.CheckConsistency(default));
        // A status is read in any case (found by an outside tester: ?status=OPEN was a 400).
        var kept = (await officer.GetFromJsonAsync<PromotionList>("/api/agency/promotions?status=ISSUED", Json))!.Items.Single(p => p.Id == open.Id);
        Assert.Equal("valid", kept.CertificateStatus);

        // Dealt with: once the officer revokes the certificate the check no longer reports it, and the agency's list says it is
        // revoked (found by an outside tester: every run reported it again, and the page still asked for the revocation).
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{kept.CertificateNumber}/revoke", new { reason = "promotion withdrawn" })).StatusCode);
        Assert.Equal(0, await jobs.CheckConsistency(default));
        Assert.Equal("revoked", (await officer.GetFromJsonAsync<PromotionList>("/api/agency/promotions?status=issued", Json))!.Items.Single(p => p.Id == open.Id).CertificateStatus);
    }

    static (string?, string?) TitleAndDetail(string problem)
    {
        var json = JsonDocument.Parse(problem).RootElement;
        return (json.GetProperty("title").GetString(), json.GetProperty("detail").GetString());
    }
}
