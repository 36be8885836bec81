using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>
/// A session is decided as of its exam date (docs/certification.md, "Sessions" and "Levels held"): nothing is rated or
/// certified before that date, and only the levels held on it count. Both found by an outside tester.
/// </summary>
[Collection(ServerCollection.CertificationRuns)]
public sealed class ExamDateTests(PostgresFixture postgres)
{
    const string Header = "name,id_type,id_number,education,in_occupation_since,held_level,held_since\n";

    static DateOnly TodayInChina => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);

    static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static async Task ExpectExamNotHeldAsync(HttpResponseMessage response, DateOnly examOn)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(("exam-not-held-yet", "examOn"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.Contains(Iso(examOn), problem.GetProperty("detail").GetString());
    }

    static async Task<Dictionary<string, DecisionView>> DecisionsAsync(HttpClient officer, long session) =>
        (await officer.GetFromJsonAsync<List<DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!.ToDictionary(d => d.Name);

    [Fact]
    public async Task AFutureSession_TakesCandidates_ButNoResultsRatingOrCertificates_BeforeItsExamDate()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var today = TodayInChina;
        var examOn = today.AddYears(1);
        var future = await CreateSessionAsync(officer, Welder, 5, Iso(examOn));

        // The tester's candidate: in the occupation since today, eligible only by the year until the exam.
        Assert.Equal("succeeded", (await UploadAsync(officer, future, "candidates", $"{Header}未来,other,FUTURE0001,none,{Iso(today)},,\n")).Status);
        var imports = await ScalarAsync(node, "select count(*) from skillshub.cert_imports");
        var results = new StringContent("id_type,id_number,theory,practical\nother,FUTURE0001,80,80\n", Encoding.UTF8, "text/csv");
        await ExpectExamNotHeldAsync(await officer.PostAsync($"/api/agency/sessions/{future}/results", results), examOn);
        Assert.Equal(imports, await ScalarAsync(node, "select count(*) from skillshub.cert_imports"));
        await ExpectExamNotHeldAsync(await officer.PostAsync($"/api/agency/sessions/{future}/rate", null), examOn);
        // The preview of a rating says the same, not what a run that cannot start would decide (found by an outside tester).
        await ExpectExamNotHeldAsync(await officer.GetAsync($"/api/agency/sessions/{future}/rating-preview"), examOn);

        // A decision recorded before this rule (a session rated ahead of its exam) is not certified before the exam either.
        await ScalarAsync(node, """
            with e as (update skillshub.evaluations set theory = 80, practical = 80 where session_id = @future returning id, session_id)
            insert into skillshub.rating_decisions (evaluation_id, session_id, outcome, reasons) select id, session_id, 'passed', '{}' from e returning 0
            """, new { future });
        await ExpectExamNotHeldAsync(await officer.PostAsync($"/api/agency/sessions/{future}/issue", null), examOn);
        Assert.Equal((0L, 0L), (await ScalarAsync(node, "select count(*) from skillshub.certificates"), await ScalarAsync(node, "select count(*) from skillshub.job_progress where session_id = @future and kind <> 'candidates'", new { future })));

        // On the exam date itself the session is open: results, rating and the certificate.
        var current = await CreateSessionAsync(officer, Welder, 5, Iso(today));
        Assert.Equal("succeeded", (await UploadAsync(officer, current, "candidates", $"{Header}今天,other,TODAY00001,none,{Iso(today.AddYears(-1))},,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, current, "results", "id_type,id_number,theory,practical\nother,TODAY00001,80,80\n")).Status);
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 1 }, (await RunAsync(officer, current, "rate")).Summary);
        var issuing = await RunAsync(officer, current, "issue");
        Assert.Equal(("succeeded", 1), (issuing.Status, issuing.Summary!["issued"]));

        // A rated candidate keeps what the rating was decided on: a later candidates file naming them is refused whole (found
        // by an outside tester: it changed the years in the occupation after the rating).
        var since = await ScalarAsync(node, "select since - date '2000-01-01' from skillshub.candidate_work w join skillshub.candidates c on c.id = w.candidate_id where c.id_number = 'TODAY00001'");
        var again = await UploadAsync(officer, current, "candidates", $"{Header}今天,other,TODAY00001,college,2010-01-01,,\n新人,other,TODAY00002,none,2010-01-01,,\n");
        Assert.Equal("rejected", again.Status);
        Assert.Equal((2L, "id_number", SkillsHub.Domain.RowCodes.CandidateAlreadyRated), (again.FirstErrors.Single().Line, again.FirstErrors.Single().Field, again.FirstErrors.Single().Code));
        Assert.Equal(since, await ScalarAsync(node, "select since - date '2000-01-01' from skillshub.candidate_work w join skillshub.candidates c on c.id = w.candidate_id where c.id_number = 'TODAY00001'"));
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.candidates where id_number = 'TODAY00002'"));
    }

    [Fact]
    public async Task ReviewMarks_OnlyForLevels2And1_AndARatingWaitsForTheReviewDate()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var today = TodayInChina;
        var reviewOn = today.AddMonths(3);
        const string Candidate = "name,id_type,id_number,education,in_occupation_since,held_level,held_since\n评审,passport,REVIEW0001,college,2005-01-01,3,2015-01-01\n";

        // Level 2, examined today, reviewed in three months (found by an outside tester: a certificate was issued at once).
        var levelTwo = await CreateSessionAsync(officer, Welder, 2, Iso(today), Iso(reviewOn));
        Assert.Equal("succeeded", (await UploadAsync(officer, levelTwo, "candidates", Candidate)).Status);
        var early = await UploadAsync(officer, levelTwo, "results", "id_type,id_number,theory,practical,review\npassport,REVIEW0001,80,80,85\n");
        Assert.Equal("rejected", early.Status);
        Assert.Equal(("review", SkillsHub.Domain.RowCodes.ReviewNotHeld, Iso(reviewOn)), (early.FirstErrors.Single().Field, early.FirstErrors.Single().Code, early.FirstErrors.Single().Args!["date"]));
        // The exam's marks come in; rating and issuance wait for the review.
        Assert.Equal("succeeded", (await UploadAsync(officer, levelTwo, "results", "id_type,id_number,theory,practical\npassport,REVIEW0001,80,80\n")).Status);
        foreach (var run in new[] { "rate", "issue", "rating-preview" })
        {
            var response = run == "rating-preview" ? await officer.GetAsync($"/api/agency/sessions/{levelTwo}/{run}") : await officer.PostAsync($"/api/agency/sessions/{levelTwo}/{run}", null);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{run}: {(int)response.StatusCode} {text}");
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal(("review-not-held-yet", "reviewOn"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
            Assert.Contains(Iso(reviewOn), problem.GetProperty("detail").GetString());
        }
        Assert.Equal((0L, 0L), (await ScalarAsync(node, "select count(*) from skillshub.rating_decisions"), await ScalarAsync(node, "select count(*) from skillshub.certificates")));

        // Level 5 has no review: a review mark is refused, not stored and shown for nothing.
        var levelFive = await CreateSessionAsync(officer, Welder, 5, Iso(today));
        Assert.Equal("succeeded", (await UploadAsync(officer, levelFive, "candidates", Candidate)).Status);
        var noReview = await UploadAsync(officer, levelFive, "results", "id_type,id_number,theory,practical,review\npassport,REVIEW0001,80,80,85\n");
        Assert.Equal("rejected", noReview.Status);
        Assert.Equal(("review", SkillsHub.Domain.RowCodes.NoReviewForLevel), (noReview.FirstErrors.Single().Field, noReview.FirstErrors.Single().Code));
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.evaluations where session_id = @levelFive and (review is not null or theory is not null)", new { levelFive }));
        // A blank review cell is no mark.
        Assert.Equal("succeeded", (await UploadAsync(officer, levelFive, "results", "id_type,id_number,theory,practical,review\npassport,REVIEW0001,80,80,\n")).Status);
    }

    [Fact]
    public async Task OnlyLevelsHeldOnTheExamDate_Count_NotLaterOnes_NorRevokedOrSuspendedCertificates()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        const string Agency = "S000031000007";
        await node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(Agency), "电工评价站 Electrician evaluation site",
            [(Electrician, SkillLevel.Level4), (Electrician, SkillLevel.Level3)], default);
        await node.Services.GetRequiredService<AccountStore>().CreateAsync("officer-e", "Officer E", "officer-password-e", [Roles.AgencyOfficer], Agency);
        using var officer = await SignInAsync(node, "officer-e", "officer-password-e");

        // Level 4 certificates through the real jobs, issued today: B's is then revoked, D's suspended, C's stays valid.
        var levelFour = await CreateSessionAsync(officer, Electrician, 4);
        Assert.Equal("succeeded", (await UploadAsync(officer, levelFour, "candidates",
            $"{Header}Bai Revoked,passport,E0000002,technical-school,2015-01-01,,\nCao Valid,passport,E0000003,technical-school,2015-01-01,,\nDu Suspended,passport,E0000004,technical-school,2015-01-01,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, levelFour, "results", "id_type,id_number,theory,practical\npassport,E0000002,80,80\npassport,E0000003,80,80\npassport,E0000004,80,80\n")).Status);
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 3 }, (await RunAsync(officer, levelFour, "rate")).Summary);
        Assert.Equal("succeeded", (await RunAsync(officer, levelFour, "issue")).Status);
        var issued = (await DecisionsAsync(officer, levelFour)).ToDictionary(d => d.Key, d => d.Value.CertificateNumber!);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{issued["Bai Revoked"]}/revoke", new { reason = "Exam misconduct" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/agency/certificates/{issued["Du Suspended"]}/suspend", new { reason = "Under investigation" })).StatusCode);

        // A Level 3 exam of 2026-06-15: a Level 4 declared from 2026-07-01 or certified today came after it; one declared
        // from the exam day counts (senior technical school: Level 4 is all the route needs).
        var past = await CreateSessionAsync(officer, Electrician, 3, "2026-06-15");
        Assert.Equal("succeeded", (await UploadAsync(officer, past, "candidates", Header
            + "An Later,passport,E0000001,senior-technical-school,2015-01-01,4,2026-07-01\n"
            + "An Sameday,passport,E0000005,senior-technical-school,2015-01-01,4,2026-06-15\n"
            + "Cao Valid,passport,E0000003,senior-technical-school,2015-01-01,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, past, "results", "id_type,id_number,theory,practical\npassport,E0000001,80,80\npassport,E0000005,80,80\npassport,E0000003,80,80\n")).Status);
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 1, ["ineligible"] = 2 }, (await RunAsync(officer, past, "rate")).Summary);
        var decided = await DecisionsAsync(officer, past);
        Assert.Equal(["eligible senior-technical-school"], decided["An Sameday"].Reasons);
        foreach (var name in new[] { "An Later", "Cao Valid" })
        {
            Assert.Equal("ineligible", decided[name].Outcome);
            Assert.StartsWith("l3-needs-l4", decided[name].Reasons.Single());
        }

        // A Level 3 exam today: a certificate issued today counts on the very day, a revoked or suspended one never.
        var current = await CreateSessionAsync(officer, Electrician, 3, Iso(TodayInChina));
        Assert.Equal("succeeded", (await UploadAsync(officer, current, "candidates", Header
            + "Bai Revoked,passport,E0000002,senior-technical-school,2015-01-01,,\nCao Valid,passport,E0000003,senior-technical-school,2015-01-01,,\nDu Suspended,passport,E0000004,senior-technical-school,2015-01-01,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, current, "results", "id_type,id_number,theory,practical\npassport,E0000002,80,80\npassport,E0000003,80,80\npassport,E0000004,80,80\n")).Status);
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 1, ["ineligible"] = 2 }, (await RunAsync(officer, current, "rate")).Summary);
        decided = await DecisionsAsync(officer, current);
        Assert.Equal(["eligible senior-technical-school"], decided["Cao Valid"].Reasons);
        foreach (var name in new[] { "Bai Revoked", "Du Suspended" })
        {
            Assert.Equal("ineligible", decided[name].Outcome);
            Assert.StartsWith("l3-needs-l4", decided[name].Reasons.Single());
        }
    }
}
