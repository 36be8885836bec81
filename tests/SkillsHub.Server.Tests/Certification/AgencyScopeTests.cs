using System.Net;
using System.Net.Http.Json;
using System.Text;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>An officer touches nothing outside their agency and its filed scope: every denial, one by one.</summary>
[Collection(ServerCollection.Name)]
public sealed class AgencyScopeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EveryDenial()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var social = await SignInAsync(node, "officer-s", "officer-password-1");
        using var employer = await SignInAsync(node, "officer-y", "officer-password-2");
        using var other = await SignInAsync(node, "officer-other", "officer-password-3");
        using var organiser = await SignInAsync(node, "organiser", "organiser-password");
        using var anonymous = node.Client();

        var session = await CreateSessionAsync(social, Welder, 5);
        var import = await UploadAsync(social, session, "candidates", Candidates(3));
        await UploadAsync(social, session, "results", Results(3));
        var run = await RunAsync(social, session, "rate");

        // Not signed in: 401; signed in without the AgencyOfficer role: 403.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/agency")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 5, examOn = "2025-06-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await organiser.GetAsync("/api/agency")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await organiser.GetAsync($"/api/agency/sessions/{session}")).StatusCode);

        // Another agency's session, import and run look missing (404), for reads and for writes.
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/sessions/{session}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/sessions/{session}/decisions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/sessions/{session}/certificates")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/agency/sessions/{session}/candidates", new StringContent(Candidates(1, 10), Encoding.UTF8, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/agency/sessions/{session}/results", new StringContent(Results(1), Encoding.UTF8, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/agency/sessions/{session}/rate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/agency/sessions/{session}/issue", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/imports/{import.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/imports/{import.Id}/errors.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/runs/{run.Id}")).StatusCode);
        Assert.DoesNotContain(await other.GetFromJsonAsync<List<Server.Certification.SessionView>>("/api/agency/sessions", Json) ?? [], s => s.Id == session);

        // Outside the filed scope: 403 naming the field; an occupation not filed, a level not filed.
        var outside = await social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Electrician, level = 5, examOn = "2025-06-01" });
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal("application/problem+json", outside.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 3, examOn = "2025-06-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 4, examOn = "2025-06-01" })).StatusCode);

        // Special-grade and chief technician: never by exam (400), only appointed by a Y agency (S: 403), inside its scope.
        Assert.Equal(HttpStatusCode.BadRequest, (await employer.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 0, examOn = "2025-06-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await social.PostAsJsonAsync("/api/agency/appointments", new { idType = "passport", idNumber = "P0000001", occupation = Welder, level = "chief" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await employer.PostAsJsonAsync("/api/agency/appointments", new { idType = "passport", idNumber = "P0000001", occupation = "4-03-02-01", level = "special-grade" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await employer.PostAsJsonAsync("/api/agency/appointments", new { idType = "passport", idNumber = "P0000001", occupation = Welder, level = "1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await employer.PostAsJsonAsync("/api/agency/appointments", new { idType = "passport", idNumber = "P0000001", occupation = Welder, level = "chief" })).StatusCode);

        // Officers are not administrators.
        Assert.Equal(HttpStatusCode.Forbidden, (await social.PostAsJsonAsync("/api/certification/agencies", new { type = "S", agencyCode = "0000", province = "31", site = "000777", name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await social.PostAsync("/api/certification/occupations", new StringContent("code,name_zh,name_en\n", Encoding.UTF8, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await social.GetAsync("/api/certification/findings")).StatusCode);

        // A session whose scope was withdrawn after creation: no rating, no issuance.
        await ScalarAsync(node, $"delete from skillshub.agency_scope where agency_key = '{SocialAgency}' and occupation_code = '{Welder}' and level = 1");
        Assert.Equal(HttpStatusCode.Forbidden, (await social.PostAsync($"/api/agency/sessions/{session}/issue", null)).StatusCode);
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));
    }

    [Fact]
    public async Task AnAgency_LearnsNothingAboutAnotherAgencysCandidates()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var social = await SignInAsync(node, "officer-s", "officer-password-1");
        using var other = await SignInAsync(node, "officer-other", "officer-password-3");
        const string Header = "name,id_type,id_number,education,in_occupation_since,held_level,held_since\n";

        var first = await CreateSessionAsync(social, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(social, first, "candidates", Header + "Li Na,passport,P0000009,none,2020-01-01,,\n")).Status);

        // The other agency imports the same ID under its own spelling: accepted, no hint that it exists elsewhere,
        // and its lists show its own spelling only.
        var second = await CreateSessionAsync(other, Welder, 5);
        var import = await UploadAsync(other, second, "candidates", Header + "Li N.,passport,P0000009,none,2020-01-01,,\n");
        Assert.Equal(("succeeded", 0), (import.Status, import.ErrorCount));
        var decisions = await other.GetStringAsync($"/api/agency/sessions/{second}/decisions");
        Assert.Contains("Li N.", decisions);
        Assert.DoesNotContain("Li Na", decisions);

        // Its own earlier spelling still counts: a third spelling in its own records is a row error.
        var third = await CreateSessionAsync(social, Welder, 5);
        var conflict = await UploadAsync(social, third, "candidates", Header + "Li Nb,passport,P0000009,none,2020-01-01,,\n");
        Assert.Equal("rejected", conflict.Status);
        Assert.Contains(conflict.FirstErrors, e => e.Field == "name");
        // Another agency's sessions and imports answer like missing ones.
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/sessions/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/sessions/{first}/decisions")).StatusCode);
    }
}
