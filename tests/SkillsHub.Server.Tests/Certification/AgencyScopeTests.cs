using System.Net;
using System.Net.Http.Json;
using System.Text;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>
/// An officer touches nothing outside their agency and its filed scope: every denial, one test case each, on one
/// node with three agencies and one rated session of the social agency (its import and run) set up once.
/// </summary>
[Collection(ServerCollection.Certification)]
public sealed class AgencyScopeTests(AgencyScopeTests.Agencies agencies) : IClassFixture<AgencyScopeTests.Agencies>
{
    /// <summary>The node, the agencies' officers, an organiser, and the social agency's rated session.</summary>
    public sealed class Agencies(PostgresFixture postgres) : NodeFixture(postgres)
    {
        public HttpClient Social { get; private set; } = null!;
        public HttpClient Employer { get; private set; } = null!;
        public HttpClient Other { get; private set; } = null!;
        public HttpClient Organiser { get; private set; } = null!;
        public HttpClient Anonymous { get; private set; } = null!;
        public HttpClient Admin { get; private set; } = null!;
        public long Session { get; private set; }
        public Guid Import { get; private set; }
        public Guid Run { get; private set; }

        protected override async Task SetUpAsync()
        {
            await SetUpAgenciesAsync(Node);
            Social = await SignInAsync(Node, "officer-s", "officer-password-1");
            Employer = await SignInAsync(Node, "officer-y", "officer-password-2");
            Other = await SignInAsync(Node, "officer-other", "officer-password-3");
            Organiser = await SignInAsync(Node, "organiser", "organiser-password");
            Anonymous = Node.Client();
            Admin = await MarkingScenario.SignInAsync(Node, "filing-admin", [Roles.Admin]);
            Session = await CreateSessionAsync(Social, Welder, 5);
            Import = (await UploadAsync(Social, Session, "candidates", Candidates(3))).Id;
            await UploadAsync(Social, Session, "results", Results(3));
            Run = (await RunAsync(Social, Session, "rate")).Id;
        }
    }

    static async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    static async Task ExpectField(HttpStatusCode status, string field, Task<HttpResponseMessage> request)
    {
        var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        Assert.True(System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }

    static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    /// <summary>A candidates upload whose file name is <paramref name="escapedName"/> (X-File-Name, percent-encoded).</summary>
    static HttpRequestMessage Named(long session, string escapedName) => new(HttpMethod.Post, $"/api/agency/sessions/{session}/candidates")
    {
        Content = Csv(Candidates(1, 20)),
        Headers = { { "X-File-Name", escapedName } },
    };

    static object Exam(string occupation, int level) => new { occupation, level, examOn = "2025-06-01" };

    static object Appointment(string occupation, string level) => new { idType = "passport", idNumber = "P0000001", occupation, level };

    static readonly Dictionary<string, Func<Agencies, Task>> Cases = new()
    {
        // Not signed in: 401; signed in without the AgencyOfficer role: 403.
        ["anonymous reads the agency: 401"] = a => Expect(HttpStatusCode.Unauthorized, a.Anonymous.GetAsync("/api/agency")),
        ["anonymous creates a session: 401"] = a => Expect(HttpStatusCode.Unauthorized, a.Anonymous.PostAsJsonAsync("/api/agency/sessions", Exam(Welder, 5))),
        ["an organiser reads the agency: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Organiser.GetAsync("/api/agency")),
        ["an organiser reads a session: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Organiser.GetAsync($"/api/agency/sessions/{a.Session}")),

        // Another agency's session, import and run look missing (404), for reads and for writes.
        ["another agency reads the session: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.GetAsync($"/api/agency/sessions/{a.Session}")),
        ["another agency reads its decisions: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.GetAsync($"/api/agency/sessions/{a.Session}/decisions")),
        ["another agency reads its certificates: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.GetAsync($"/api/agency/sessions/{a.Session}/certificates")),
        ["another agency uploads candidates: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.PostAsync($"/api/agency/sessions/{a.Session}/candidates", Csv(Candidates(1, 10)))),
        // Found by an outside tester: an upload's name is stored and shown, and it kept a line break and a right-to-left override.
        ["an upload named with a line break: 422 file"] = a => ExpectField(HttpStatusCode.UnprocessableEntity, "file", a.Social.SendAsync(Named(a.Session, "a%0d%0aSet-Cookie:%20x=1.csv"))),
        ["an upload named with an encoded line break says it was read percent-decoded"] = async a =>
        {
            var answer = await a.Social.SendAsync(Named(a.Session, "report%0Dfinal.csv"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
            Assert.Contains("after percent-decoding X-File-Name", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        },
        ["an upload named with a bidi override: 422 file"] = a => ExpectField(HttpStatusCode.UnprocessableEntity, "file", a.Social.SendAsync(Named(a.Session, "%E2%80%AEcod.exe"))),
        ["an upload named with a zero-width space inside: 422 file"] = a => ExpectField(HttpStatusCode.UnprocessableEntity, "file", a.Social.SendAsync(Named(a.Session, "a%E2%80%8Bb.csv"))),
        ["an upload named with a byte order mark: 422 file"] = a => ExpectField(HttpStatusCode.UnprocessableEntity, "file", a.Social.SendAsync(Named(a.Session, "%EF%BB%BFbom.csv"))),
        // Bytes that were not UTF-8 reach the server as U+FFFD (Kestrel's reading of a raw é in a header).
        ["an upload named with what was not UTF-8: 422 file"] = a => ExpectField(HttpStatusCode.UnprocessableEntity, "file", a.Social.SendAsync(Named(a.Session, "caf%EF%BF%BD.csv"))),
        ["another agency uploads results: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.PostAsync($"/api/agency/sessions/{a.Session}/results", Csv(Results(1)))),
        ["another agency rates the session: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.PostAsync($"/api/agency/sessions/{a.Session}/rate", null)),
        ["another agency issues the session: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.PostAsync($"/api/agency/sessions/{a.Session}/issue", null)),
        ["another agency reads the import: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.GetAsync($"/api/agency/imports/{a.Import}")),
        ["another agency reads the import's errors: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.GetAsync($"/api/agency/imports/{a.Import}/errors.csv")),
        ["another agency reads the run: 404"] = a => Expect(HttpStatusCode.NotFound, a.Other.GetAsync($"/api/agency/runs/{a.Run}")),
        ["another agency's session list leaves it out"] = async a =>
            Assert.DoesNotContain(await a.Other.GetFromJsonAsync<List<Server.Certification.ExamSessionView>>("/api/agency/sessions", Json) ?? [], s => s.Id == a.Session),

        // Outside the filed scope: 403 naming the field; an occupation not filed, a level not filed.
        ["an occupation outside the scope: 403 problem"] = async a =>
        {
            var outside = await a.Social.PostAsJsonAsync("/api/agency/sessions", Exam(Electrician, 5));
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
            Assert.Equal("application/problem+json", outside.Content.Headers.ContentType?.MediaType);
            // The occupation is what is outside (found by an outside tester: the level was named, though it is filed).
            Assert.Equal("occupation", (await outside.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("field").GetString());
        },
        ["a level outside the scope names the level"] = async a =>
        {
            var outside = await a.Social.PostAsJsonAsync("/api/agency/sessions", Exam(Welder, 3));
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
            Assert.Equal("level", (await outside.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("field").GetString());
        },
        // Found by an outside tester: the contract says integer, and "5" was taken (the framework's JSON read numbers from strings).
        ["a level written as a string: 400 level"] = a => ExpectField(HttpStatusCode.BadRequest, "level",
            a.Social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = "5", examOn = "2025-06-01" })),
        ["a level outside the scope: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Social.PostAsJsonAsync("/api/agency/sessions", Exam(Welder, 3))),
        ["another agency's level outside its scope: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Other.PostAsJsonAsync("/api/agency/sessions", Exam(Welder, 4))),

        // Special-grade and chief technician: never by exam (400), only appointed by a Y agency (S: 403), inside its scope.
        ["special grade by exam: 400"] = a => Expect(HttpStatusCode.BadRequest, a.Employer.PostAsJsonAsync("/api/agency/sessions", Exam(Welder, 0))),
        ["a social agency appoints a chief: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Social.PostAsJsonAsync("/api/agency/appointments", Appointment(Welder, "chief"))),
        ["an appointment outside the scope: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Employer.PostAsJsonAsync("/api/agency/appointments", Appointment("4-03-02-01", "special-grade"))),
        ["an appointment to an exam level: 400"] = a => Expect(HttpStatusCode.BadRequest, a.Employer.PostAsJsonAsync("/api/agency/appointments", Appointment(Welder, "1"))),
        // Found by an outside tester: a missing ID type or occupation was answered as an unknown person (404) or as outside the scope (403).
        ["an appointment without its ID type: 400 idType"] = a => ExpectField(HttpStatusCode.BadRequest, "idType",
            a.Employer.PostAsJsonAsync("/api/agency/appointments", new { idNumber = "P0000001", occupation = Welder, level = "chief" })),
        ["an appointment without its ID number: 400 idNumber"] = a => ExpectField(HttpStatusCode.BadRequest, "idNumber",
            a.Employer.PostAsJsonAsync("/api/agency/appointments", new { idType = "passport", occupation = Welder, level = "chief" })),
        // Found by an outside tester: a number no person can have (a resident ID whose check digit is wrong) was an unknown person (404).
        ["an appointment with an impossible ID number: 400 idNumber"] = a => ExpectField(HttpStatusCode.BadRequest, "idNumber",
            a.Employer.PostAsJsonAsync("/api/agency/appointments", new { idType = "resident", idNumber = "110105199003071230", occupation = Welder, level = "chief" })),
        ["an appointment without its occupation: 400 occupation"] = a => ExpectField(HttpStatusCode.BadRequest, "occupation",
            a.Employer.PostAsJsonAsync("/api/agency/appointments", new { idType = "passport", idNumber = "P0000001", level = "chief" })),

        // Session dates: 422 naming the field (an exam in 1900, a review before the exam).
        ["an exam in 1900: 422 examOn"] = a => ExpectField(HttpStatusCode.UnprocessableEntity, "examOn", a.Social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 5, examOn = "1900-01-01" })),
        ["a review date for Level 5: 400 reviewOn"] = a => ExpectField(HttpStatusCode.BadRequest, "reviewOn",
            a.Social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 5, examOn = "2025-06-01", reviewOn = "2025-06-02" })),
        ["a review before the exam: 422 reviewOn"] = a => ExpectField(HttpStatusCode.UnprocessableEntity, "reviewOn",
            a.Social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 2, examOn = "2025-06-01", reviewOn = "2025-05-01" })),

        // Officers are not administrators.
        ["an officer creates an agency: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Social.PostAsJsonAsync("/api/certification/agencies", new { type = "S", agencyCode = "0000", province = "31", site = "000777", name = "x" })),
        ["an officer imports occupations: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Social.PostAsync("/api/certification/occupations", Csv("code,name_zh,name_en\n"))),
        ["an officer reads the findings: 403"] = a => Expect(HttpStatusCode.Forbidden, a.Social.GetAsync("/api/certification/findings")),
    };

    public static TheoryData<string> Denials()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Denials))]
    public Task EveryDenial(string denial) => Cases[denial](agencies);

    /// <summary>
    /// Found by an outside tester: an agency was filed with an empty scope, an entry without levels was dropped without a
    /// word, and a province no region has (99) was accepted. Each is refused naming the field, and nothing is filed.
    /// </summary>
    [Theory]
    [InlineData("000911", "\"scope\": []", "scope")]
    [InlineData("000912", "\"scope\": null", "scope")]
    [InlineData("000913", "\"scope\": [{\"occupation\": \"6-18-02-04\", \"levels\": []}]", "scope[0].levels")]
    [InlineData("000914", "\"scope\": [{\"occupation\": \"6-18-02-04\", \"levels\": [5]}, {\"occupation\": \"6-18-01-02\"}]", "scope[1].levels")]
    [InlineData("000915", "\"scope\": [{\"occupation\": \"6-18-02-04\", \"levels\": [5, 9]}]", "scope[0].levels[1]")]
    [InlineData("000916", "\"scope\": [{\"occupation\": \"6-18-02-04\", \"levels\": [7]}]", "scope[0].levels[0]")]
    [InlineData("000917", "\"scope\": [{\"occupation\": \"welding\", \"levels\": [5]}]", "scope[0].occupation")]
    [InlineData("000918", "\"scope\": [{\"occupation\": \"6-18-02-04\", \"levels\": [5]}], \"province\": \"99\"", "province")]
    [InlineData("000919", "\"scope\": [{\"occupation\": \"6-18-02-04\", \"levels\": [5]}], \"province\": \"00\"", "province")]
    [InlineData("000920", "\"scope\": [{\"occupation\": \"6-18-02-04\", \"levels\": [5]}], \"province\": \"3\"", "province")]
    public async Task AnAgency_IsFiledForSomething_InARealProvince(string site, string parts, string field)
    {
        // A case that gives its own province leaves out the default one (a key given twice is refused).
        var province = parts.Contains("\"province\"", StringComparison.Ordinal) ? "" : "\"province\": \"44\", ";
        var body = $$"""{"type": "S", "agencyCode": "0000", {{province}}"site": "{{site}}", "name": "Filing test {{site}}", {{parts}}}""";
        var response = await agencies.Admin.PostAsync("/api/certification/agencies", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        var problem = System.Text.Json.JsonDocument.Parse(text).RootElement;
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(0L, await ScalarAsync(agencies.Node, "select count(*) from skillshub.agencies where site = @site", new { site }));
    }

    /// <summary>Found by an outside tester: a session created with a blank work type answered "workType": "", not null.</summary>
    [Fact]
    public async Task ABlankWorkType_IsNone_AndAnsweredAsNull()
    {
        var created = await agencies.Social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, level = 5, examOn = "2025-06-01", workType = "   " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var session = await agencies.Social.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/agency/sessions/{id}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, session.GetProperty("workType").ValueKind);
        var listed = (await agencies.Social.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/agency/sessions")).EnumerateArray().Single(s => s.GetProperty("id").GetInt64() == id);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("workType").ValueKind);
    }

    [Fact]
    public async Task AnAgency_FiledForAnOccupationNotInTheCatalogue_NamesTheEntry()
    {
        var response = await agencies.Admin.PostAsJsonAsync("/api/certification/agencies", new
        {
            type = "Y", agencyCode = "0000", province = "82", site = "000930", name = "Macao filing test",
            scope = new[] { new { occupation = Welder, levels = new[] { 5, 7 } }, new { occupation = "8-99-99-99", levels = new[] { 5 } } },
        });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("scope[1].occupation", (string?)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"]);
        Assert.Equal(0L, await ScalarAsync(agencies.Node, "select count(*) from skillshub.agencies where site = '000930'"));
    }

    /// <summary>
    /// An officer's agency code is read as the agency's filing reads one: a lower-case s or y is the capital (found by an outside
    /// tester: "s000031000001" was "not on file" here, while filing took a lower-case type).
    /// </summary>
    [Fact]
    public async Task AnOfficersAgencyCode_InLowerCase_IsTheAgency()
    {
        var created = await agencies.Admin.PostAsJsonAsync("/api/accounts", new
        {
            userName = "lower-case-officer", displayName = "Lower case", password = "correct horse battery staple", roles = new[] { Roles.AgencyOfficer },
            agencyCode = " " + SocialAgency.ToLowerInvariant() + " ",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listed = (await agencies.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/accounts")).EnumerateArray().Single(a => a.GetProperty("userName").GetString() == "lower-case-officer");
        Assert.Equal(SocialAgency, listed.GetProperty("agencyCode").GetString());
    }

    /// <summary>Found by an outside tester: an agency's creation answered 201 with a Location that answered 404.</summary>
    [Fact]
    public async Task AnAdmin_FilesAnAgency_WhoseLocationAnswers_AndWhichIsListed()
    {
        using var admin = await MarkingScenario.SignInAsync(agencies.Node, "certification-admin", [Roles.Admin]);
        var created = await admin.PostAsJsonAsync("/api/certification/agencies",
            new { type = "S", agencyCode = "0000", province = "44", site = "000901", name = "Guangzhou evaluation centre", scope = new[] { new { occupation = Welder, levels = new[] { 5, 4 } } } });
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body);

        var located = await admin.GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, located.StatusCode);
        Assert.Equal(body, await located.Content.ReadAsStringAsync());
        var listed = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/certification/agencies");
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("key").GetString() == "S000044000901" && a.GetProperty("scope")[0].GetProperty("levels").GetArrayLength() == 2);
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("key").GetString() == SocialAgency);

        var unknown = await admin.GetAsync("/api/certification/agencies/S000044999999");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("key", (string?)System.Text.Json.Nodes.JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["field"]);
        // Officers see their own agency through /api/agency, not the register of every agency.
        await Expect(HttpStatusCode.Forbidden, agencies.Social.GetAsync("/api/certification/agencies"));
    }

    [Fact]
    public async Task AnEmployerAgency_AppointsAChiefTechnician_InsideItsScope_OnlyItsOwnPeople()
    {
        // Its people's appointments: the class's other tests appoint people of their own.
        const string ItsAppointments = "select count(*) from skillshub.appointments a join skillshub.candidates c on c.id = a.candidate_id where c.id_number in ('P0000002', 'P9999999', 'Y0000001')";
        var employer = agencies.Employer;
        // The scope reads back in the numbers it is filed with (found by an outside tester: chief came back as -7).
        var scope = (await (await employer.GetAsync("/api/agency")).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("scope");
        Assert.Equal([5, 7], scope.EnumerateArray().Single(e => e.GetProperty("occupation").GetString() == Welder).GetProperty("levels").EnumerateArray().Select(l => l.GetInt32()).Order());
        static object Appoint(string id, string level, string? on = null) => new { idType = "passport", idNumber = id, occupation = Welder, level, appointedOn = on };
        async Task<System.Text.Json.JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
        {
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        }

        // P0000002 is the social agency's candidate: to the employer agency it is nobody, exactly like an unknown ID.
        var foreign = await Problem(await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("P0000002", "chief")), HttpStatusCode.NotFound);
        var unknown = await Problem(await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("P9999999", "chief")), HttpStatusCode.NotFound);
        Assert.Equal((unknown.GetProperty("title").GetString(), unknown.GetProperty("detail").GetString()), (foreign.GetProperty("title").GetString(), foreign.GetProperty("detail").GetString()));
        Assert.Equal(0L, await ScalarAsync(agencies.Node, ItsAppointments));

        var session = await CreateSessionAsync(employer, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(employer, session, "candidates",
            "name,id_type,id_number,held_level,held_since\nWang Gong,passport,Y0000001,1,2015-03-01\nZhao Wu,passport,Y0000003,2,2015-03-01\nQian Liu,passport,Y0000004,1,2024-06-01\n")).Status);

        // Filed for chief, not special grade, in welding: 403 naming the level. Dates after today or before 2022: 422.
        Assert.Equal("level", (await Problem(await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "special-grade")), HttpStatusCode.Forbidden)).GetProperty("field").GetString());
        foreach (var on in new[] { "2099-01-01", "1800-01-01" })
        {
            var date = await Problem(await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "chief", on)), HttpStatusCode.UnprocessableEntity);
            Assert.True(date.GetProperty("errors").TryGetProperty("appointedOn", out _), date.ToString());
        }
        Assert.Equal(0L, await ScalarAsync(agencies.Node, ItsAppointments));

        // Chosen from senior technicians (found by an outside tester: a person with no level at all was appointed chief):
        // Level 2 is not enough, and a Level 1 counts from its own date on.
        foreach (var (id, on) in new[] { ("Y0000003", "2024-05-01"), ("Y0000004", "2024-05-31") })
        {
            var notSenior = await Problem(await employer.PostAsJsonAsync("/api/agency/appointments", Appoint(id, "chief", on)), HttpStatusCode.Conflict);
            Assert.Equal(("senior-technician-level-not-held", "level"), (notSenior.GetProperty("code").GetString(), notSenior.GetProperty("field").GetString()));
        }
        Assert.Equal(0L, await ScalarAsync(agencies.Node, "select count(*) from skillshub.appointments a join skillshub.candidates c on c.id = a.candidate_id where c.id_number in ('Y0000003', 'Y0000004')"));
        Assert.Equal(HttpStatusCode.Created, (await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000004", "chief", "2024-06-01"))).StatusCode);

        var appointed = await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "chief", "2024-05-01"));
        Assert.Equal(HttpStatusCode.Created, appointed.StatusCode);
        var body = (await appointed.Content.ReadFromJsonAsync<Server.Certification.AppointmentView>(Json))!;
        Assert.Equal((EmployerAgency, "chief", "首席技师", new DateOnly(2024, 5, 1), "****0001"), (body.AgencyKey, body.Level, body.LevelZh, body.AppointedOn, body.IdNumberMasked));
        Assert.Equal(HttpStatusCode.Conflict, (await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "chief", "2024-05-01"))).StatusCode);

        // Special grade over chief adds nothing: 409, as a promotion to a level already held is (found by an outside
        // tester: it was recorded). The agency is filed for special grade for the while.
        await ScalarAsync(agencies.Node, $"insert into skillshub.agency_scope (agency_key, occupation_code, level) values ('{EmployerAgency}', '{Welder}', 6) on conflict do nothing");
        try
        {
            var lower = await Problem(await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "special-grade", "2024-06-01")), HttpStatusCode.Conflict);
            Assert.Equal("level-already-held", lower.GetProperty("code").GetString());
            // Held on its own date: special grade before the chief appointment is a level held in between (found by an
            // outside tester: it was refused, the check ignoring dates). Chief again, on any date, is still one appointment.
            Assert.Equal(HttpStatusCode.Created, (await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "special-grade", "2023-03-01"))).StatusCode);
            Assert.Equal("Already appointed", (await Problem(await employer.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "chief", "2022-02-01")), HttpStatusCode.Conflict)).GetProperty("title").GetString());
        }
        finally
        {
            await ScalarAsync(agencies.Node, $"delete from skillshub.agency_scope where agency_key = '{EmployerAgency}' and occupation_code = '{Welder}' and level = 6");
        }
        Assert.Equal(2L, await ScalarAsync(agencies.Node, ItsAppointments));

        // Another employer that registers the same person asks only its own records: the 409 told it who else had appointed
        // them (found by an outside tester). Its appointment is recorded, and the person holds chief from the earlier date.
        const string Second = "Y123431000003";
        await agencies.Node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(Second), "Second employer", [(Welder, SkillLevel.Level5), (Welder, SkillLevel.Chief)], default);
        await agencies.Node.Services.GetRequiredService<AccountStore>().CreateAsync("officer-y2", "Officer Y2", "officer-password-4", [Roles.AgencyOfficer], Second);
        using var second = await SignInAsync(agencies.Node, "officer-y2", "officer-password-4");
        Assert.Equal("succeeded", (await UploadAsync(second, await CreateSessionAsync(second, Welder, 5), "candidates", "name,id_type,id_number,held_level,held_since\nWang Gong,passport,Y0000001,1,2015-03-01\n")).Status);
        Assert.Equal(HttpStatusCode.Created, (await second.PostAsJsonAsync("/api/agency/appointments", Appoint("Y0000001", "chief", "2023-01-01"))).StatusCode);
        Assert.Equal("2023-01-01", await TextAsync(agencies.Node, $"select since::text from skillshub.candidate_levels l join skillshub.candidates c on c.id = l.candidate_id where c.id_number = 'Y0000001' and l.level = 7 and l.occupation_code = '{Welder}'"));
    }

    [Fact]
    public async Task ASessionWhoseScopeWasWithdrawn_IsNeitherRatedNorIssued()
    {
        SkillsHubNode node = agencies.Node;
        // Level5 is stored as 1 (SkillLevel); the scope comes back afterwards for the other tests of the class.
        await ScalarAsync(node, $"delete from skillshub.agency_scope where agency_key = '{SocialAgency}' and occupation_code = '{Welder}' and level = 1");
        try
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await agencies.Social.PostAsync($"/api/agency/sessions/{agencies.Session}/issue", null)).StatusCode);
            Assert.Equal(0L, await ScalarAsync(node, $"select count(*) from skillshub.certificates k join skillshub.evaluations e on e.id = k.evaluation_id where e.session_id = {agencies.Session}"));
        }
        finally
        {
            await ScalarAsync(node, $"insert into skillshub.agency_scope (agency_key, occupation_code, level) values ('{SocialAgency}', '{Welder}', 1) on conflict do nothing");
        }
    }

    [Fact]
    public async Task AnAgency_LearnsNothingAboutAnotherAgencysCandidates()
    {
        var (social, other) = (agencies.Social, agencies.Other);
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

    [Fact]
    public async Task ARating_CountsOnlyItsOwnAgencysDeclarations_NotAnothersFile()
    {
        // Found by an outside tester: another agency's declared years and level made a candidate eligible, which told the
        // rating agency that someone else had a record of that ID (and certified on a declaration it never saw).
        var (social, other) = (agencies.Social, agencies.Other);
        const string Header = "name,id_type,id_number,education,in_occupation_since,held_level,held_since\n";
        var declared = await CreateSessionAsync(social, Welder, 4);
        Assert.Equal("succeeded", (await UploadAsync(social, declared, "candidates", Header + "Wang Yi,passport,P0000010,none,2015-01-01,5,2016-01-01\n")).Status);

        var session = await CreateSessionAsync(other, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(other, session, "candidates", Header + "Wang Yi,passport,P0000010,,,,\nFresh Person,passport,P0000011,,,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(other, session, "results", "id_type,id_number,theory,practical\npassport,P0000010,80,80\npassport,P0000011,80,80\n")).Status);
        await RunAsync(other, session, "rate");
        var decisions = (await other.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!.ToDictionary(d => d.Name);
        // The same outcome and reasons as a person nobody has declared anything for.
        Assert.Equal((decisions["Fresh Person"].Outcome, string.Join("|", decisions["Fresh Person"].Reasons)), (decisions["Wang Yi"].Outcome, string.Join("|", decisions["Wang Yi"].Reasons)));
        Assert.Equal("ineligible", decisions["Wang Yi"].Outcome);
    }

    /// <summary>
    /// An uploaded file's name keeps only its last part, whichever separator its path used and however it was sent (found by
    /// an outside tester: "..\..\win.csv" as a form's file name was stored whole, the same path in X-File-Name was cut).
    /// </summary>
    [Fact]
    public async Task AnUploadsFileName_KeepsOnlyItsLastPart()
    {
        var session = await CreateSessionAsync(agencies.Social, Welder, 5);
        foreach (var (sent, kept) in new[] { (@"..\..\win.csv", "win.csv"), ("../../unix.csv", "unix.csv"), (@"C:\Users\me\Desktop\list.csv", "list.csv") })
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes("name,id_type,id_number\nFile Name,passport,FN0000001\n"));
            file.Headers.ContentType = new("text/csv");
            form.Add(file, "file", "upload.csv");
            // The name as a browser may send it, with its separators unescaped.
            file.Headers.ContentDisposition!.FileName = $"\"{sent.Replace(@"\", @"\\")}\"";
            file.Headers.ContentDisposition.FileNameStar = sent;
            var response = await agencies.Social.PostAsync($"/api/agency/sessions/{session}/candidates", form);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var import = (await agencies.Social.GetFromJsonAsync<ImportView>((await response.Content.ReadFromJsonAsync<Accepted202>(Json))!.Location, Json))!;
            Assert.Equal(kept, import.FileName);
        }
    }

    [Fact]
    public async Task AnotherAgencysCertificate_CountsOnlyUnderTheNameOnIt()
    {
        // Found by an outside tester: an ID number another agency had certified at the level was rated "eligible
        // re-examination" under any name, so a list of ID numbers told an agency who holds what. Under the name on the
        // certificate it still counts (what the public holder search tells anyone with the name and ID number); under another
        // name the person is rated as one nobody has certified.
        var (social, other) = (agencies.Social, agencies.Other);
        const string Header = "name,id_type,id_number,education,in_occupation_since,held_level,held_since\n";
        var certified = await CreateSessionAsync(social, Welder, 5, "2025-05-01");
        Assert.Equal("succeeded", (await UploadAsync(social, certified, "candidates", Header
            + "Chen Er,passport,XC0000030,none,2015-01-01,,\nZhou San,passport,XC0000031,none,2015-01-01,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(social, certified, "results", "id_type,id_number,theory,practical\npassport,XC0000030,80,80\npassport,XC0000031,80,80\n")).Status);
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 2 }, (await RunAsync(social, certified, "rate")).Summary);
        Assert.Equal("succeeded", (await RunAsync(social, certified, "issue")).Status);

        // Examined today, so that today's certificate is held on the exam date.
        var session = await CreateSessionAsync(other, Welder, 5, DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("succeeded", (await UploadAsync(other, session, "candidates", Header
            + "CHEN ER,passport,XC0000030,,,,\nAnybody,passport,XC0000031,,,,\nFresh Person,passport,XC0000032,,,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(other, session, "results",
            "id_type,id_number,theory,practical\npassport,XC0000030,80,80\npassport,XC0000031,80,80\npassport,XC0000032,80,80\n")).Status);
        await RunAsync(other, session, "rate");
        var decisions = (await other.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!.ToDictionary(d => d.Name);
        Assert.Equal(("passed", "eligible re-examination"), (decisions["CHEN ER"].Outcome, string.Join("|", decisions["CHEN ER"].Reasons)));
        Assert.Equal("ineligible", decisions["Anybody"].Outcome);
        Assert.Equal((decisions["Fresh Person"].Outcome, string.Join("|", decisions["Fresh Person"].Reasons)), (decisions["Anybody"].Outcome, string.Join("|", decisions["Anybody"].Reasons)));
    }

    [Fact]
    public async Task AnotherAgencysAppointment_CountsOnlyUnderTheNameThatAgencyHasForThePerson()
    {
        // Found by an outside tester: another agency's appointment counted under the register's name, which is the name of
        // whichever agency registered the ID first; so an agency that registered an ID first, under a name of its own
        // choosing, learnt from its own rating that another agency had appointed the person (rated "eligible
        // re-examination"). The appointment now keeps the appointing agency's name for the person, and counts only under it.
        var (social, employer) = (agencies.Social, agencies.Employer);
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var session = await CreateSessionAsync(social, Welder, 5, today);
        Assert.Equal("succeeded", (await UploadAsync(social, session, "candidates", "name,id_type,id_number\nMade Up,passport,XA0000040\nHE QI,passport,XA0000041\nNew Face,passport,XA0000042\n")).Status);
        // The employer registers both afterwards, under the names it has for them, and appoints them chief technicians.
        var own = await CreateSessionAsync(employer, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(employer, own, "candidates", "name,id_type,id_number,held_level,held_since\nReal Name,passport,XA0000040,1,2015-03-01\nHe Qi,passport,XA0000041,1,2015-03-01\n")).Status);
        foreach (var id in new[] { "XA0000040", "XA0000041" })
        {
            Assert.Equal(HttpStatusCode.Created, (await employer.PostAsJsonAsync("/api/agency/appointments",
                new { idType = "passport", idNumber = id, occupation = Welder, level = "chief", appointedOn = "2024-05-01" })).StatusCode);
        }
        Assert.Equal("Real Name", await TextAsync(agencies.Node, "select a.holder_name from skillshub.appointments a join skillshub.candidates c on c.id = a.candidate_id where c.id_number = 'XA0000040'"));

        Assert.Equal("succeeded", (await UploadAsync(social, session, "results",
            "id_type,id_number,theory,practical\npassport,XA0000040,80,80\npassport,XA0000041,80,80\npassport,XA0000042,80,80\n")).Status);
        await RunAsync(social, session, "rate");
        var decisions = (await social.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!.ToDictionary(d => d.Name);
        // Under the employer's name (case aside) the appointment counts, as the holder search would tell; under another name
        // the person is rated exactly as one nobody has certified or appointed.
        Assert.Equal(("passed", "eligible re-examination"), (decisions["HE QI"].Outcome, string.Join("|", decisions["HE QI"].Reasons)));
        Assert.Equal("ineligible", decisions["Made Up"].Outcome);
        Assert.Equal((decisions["New Face"].Outcome, string.Join("|", decisions["New Face"].Reasons)), (decisions["Made Up"].Outcome, string.Join("|", decisions["Made Up"].Reasons)));
    }

    [Fact]
    public async Task EachAgencysDeclaration_IsKept_AndAnothersEducationNeverCounts()
    {
        // Found by an outside tester: a level the rating agency declared was dropped when another agency had declared it for
        // the same person first ("stored", then "ineligible"); and the education another agency's file gave made a
        // candidate eligible in a session whose own file gave none.
        var (social, other) = (agencies.Social, agencies.Other);
        const string Header = "name,id_type,id_number,education,in_occupation_since,held_level,held_since\n";
        var elsewhere = await CreateSessionAsync(other, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(other, elsewhere, "candidates", Header
            + "Zhao Wu,passport,P0000020,none,,5,2016-01-01\nQian Liu,passport,P0000022,technical-school,,,\n")).Status);

        var session = await CreateSessionAsync(social, Welder, 4);
        Assert.Equal("succeeded", (await UploadAsync(social, session, "candidates", Header
            + "Zhao Wu,passport,P0000020,none,,5,2015-01-01\nSun Qi,passport,P0000021,none,,5,2015-01-01\nQian Liu,passport,P0000022,,,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(social, session, "results",
            "id_type,id_number,theory,practical\npassport,P0000020,80,80\npassport,P0000021,80,80\npassport,P0000022,80,80\n")).Status);
        await RunAsync(social, session, "rate");
        var decisions = (await social.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!.ToDictionary(d => d.Name);
        // Zhao Wu is rated on this agency's declaration exactly as Sun Qi, whom nobody else has declared anything for.
        Assert.Equal(("passed", "eligible after-l5"), (decisions["Sun Qi"].Outcome, string.Join("|", decisions["Sun Qi"].Reasons)));
        Assert.Equal((decisions["Sun Qi"].Outcome, string.Join("|", decisions["Sun Qi"].Reasons)), (decisions["Zhao Wu"].Outcome, string.Join("|", decisions["Zhao Wu"].Reasons)));
        // Qian Liu's technical school is the other agency's record: here, no education, no years, no level.
        Assert.Equal("ineligible", decisions["Qian Liu"].Outcome);
    }

    [Fact]
    public async Task NoOneSitsAnExam_OrIsAppointed_BeforeTheyWereBorn()
    {
        // Found by an outside tester: a certificate was issued for an exam held before its holder was born, and an
        // appointment dated before the birth the resident ID carries was accepted.
        const string BornAfterExam = "110101202507010017"; // born 2025-07-01; the session's exam is on 2025-06-01
        var session = await CreateSessionAsync(agencies.Social, Welder, 5);
        var refused = await UploadAsync(agencies.Social, session, "candidates", "name,id_type,id_number\nBaby Li,resident," + BornAfterExam + "\n");
        Assert.Equal("rejected", refused.Status);
        Assert.Contains(refused.FirstErrors, e => e.Field == "id_number" && e.Code == "import.born-after-exam");

        var employer = agencies.Employer;
        var own = await CreateSessionAsync(employer, Welder, 5, examOn: "2025-08-01");
        // Born before the exam, but under 16 on its date: refused too (docs/certification.md, "Age").
        var young = await UploadAsync(employer, own, "candidates", "name,id_type,id_number\nBaby Li,resident," + BornAfterExam + "\n");
        Assert.Equal("rejected", young.Status);
        Assert.Contains(young.FirstErrors, e => e.Field == "id_number" && e.Code == "import.under-working-age");
        var early = await employer.PostAsJsonAsync("/api/agency/appointments",
            new { idType = "resident", idNumber = BornAfterExam, occupation = Welder, level = "chief", appointedOn = "2025-01-01" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Contains("appointedOn", await early.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AFileWithoutEducation_TakesTheAgencysLatestFileThatGaveIt()
    {
        // Found by an outside tester: the newest evaluation's education was taken, though a later file for an older session
        // had changed it.
        var social = agencies.Social;
        const string Header = "name,id_type,id_number,education\n";
        var older = await CreateSessionAsync(social, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(social, older, "candidates", Header + "Zhou Ba,passport,P0000030,technical-school\n")).Status);
        // Another exam: one person is a candidate of one session an exam (APerson_IsACandidateOfOneSessionAnExam).
        var newer = await CreateSessionAsync(social, Welder, 5, "2025-06-02");
        Assert.Equal("succeeded", (await UploadAsync(social, newer, "candidates", Header + "Zhou Ba,passport,P0000030,technical-school\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(social, older, "candidates", Header + "Zhou Ba,passport,P0000030,none\n")).Status);

        var session = await CreateSessionAsync(social, Welder, 4);
        Assert.Equal("succeeded", (await UploadAsync(social, session, "candidates", "name,id_type,id_number\nZhou Ba,passport,P0000030\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(social, session, "results", "id_type,id_number,theory,practical\npassport,P0000030,80,80\n")).Status);
        await RunAsync(social, session, "rate");
        var decision = Assert.Single((await social.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!);
        Assert.Equal("ineligible", decision.Outcome);
    }

    /// <summary>
    /// Found by an outside tester: the years in the occupation were kept once per person, the latest file's, so a file for
    /// another session turned an unrated session's pass into "ineligible". They are the session's own, as its education is.
    /// </summary>
    [Fact]
    public async Task TheYearsASessionsFileGives_AreThatSessions_WhateverAnotherSessionsFileSays()
    {
        var social = agencies.Social;
        const string Header = "name,id_type,id_number,education,in_occupation_since\n";
        var first = await CreateSessionAsync(social, Welder, 5, "2025-08-01");
        Assert.Equal("succeeded", (await UploadAsync(social, first, "candidates", Header + "Sun Jiu,passport,P0000070,none,2010-01-01\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(social, first, "results", "id_type,id_number,theory,practical\npassport,P0000070,80,80\n")).Status);
        var other = await CreateSessionAsync(social, Welder, 4, "2025-09-01");
        Assert.Equal("succeeded", (await UploadAsync(social, other, "candidates", Header + "Sun Jiu,passport,P0000070,none,2025-03-01\n")).Status);

        await RunAsync(social, first, "rate");
        var decision = Assert.Single((await social.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{first}/decisions", Json))!);
        Assert.Equal("passed", decision.Outcome);
        // A session whose file gave none takes the agency's latest file that gave them for the occupation.
        var third = await CreateSessionAsync(social, Welder, 5, "2025-10-01");
        Assert.Equal("succeeded", (await UploadAsync(social, third, "candidates", "name,id_type,id_number\nSun Jiu,passport,P0000070\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(social, third, "results", "id_type,id_number,theory,practical\npassport,P0000070,80,80\n")).Status);
        await RunAsync(social, third, "rate");
        Assert.Equal("ineligible", Assert.Single((await social.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{third}/decisions", Json))!).Outcome);
    }

    /// <summary>
    /// Found by an outside tester: a diploma a file gave for one occupation (a lathe operator's school) opened another
    /// occupation's education route. A file without education takes the agency's latest file that gave it for the same
    /// occupation; the template's schools train for the trade (docs/certification.md, "Rules").
    /// </summary>
    [Fact]
    public async Task ADiplomaGivenForOneOccupation_DoesNotCountForAnother()
    {
        var employer = agencies.Employer;
        var welding = await CreateSessionAsync(employer, Welder, 5, "2025-08-05");
        Assert.Equal("succeeded", (await UploadAsync(employer, welding, "candidates", "name,id_type,id_number,education\nZheng Shi,passport,P0000071,senior-technical-school\n")).Status);
        var wiring = await CreateSessionAsync(employer, Electrician, 3, "2025-08-06");
        Assert.Equal("succeeded", (await UploadAsync(employer, wiring, "candidates",
            "name,id_type,id_number,held_level,held_since\nZheng Shi,passport,P0000071,4,2023-01-01\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(employer, wiring, "results", "id_type,id_number,theory,practical\npassport,P0000071,80,80\n")).Status);
        await RunAsync(employer, wiring, "rate");
        var decision = Assert.Single((await employer.GetFromJsonAsync<List<SkillsHub.Server.Certification.DecisionView>>($"/api/agency/sessions/{wiring}/decisions", Json))!);
        Assert.Equal("ineligible", decision.Outcome);
    }

    /// <summary>
    /// Found by an outside tester: the same person in two of an agency's sessions of one exam (occupation, type of work,
    /// level, exam date) passed both and held two valid certificates for it. The second session's candidates file is refused
    /// for them, naming the first session (docs/certification.md, "Imports").
    /// </summary>
    [Fact]
    public async Task APerson_IsACandidateOfOneSessionAnExam()
    {
        var social = agencies.Social;
        var first = await CreateSessionAsync(social, Welder, 5, "2025-06-03");
        var second = await CreateSessionAsync(social, Welder, 5, "2025-06-03");
        Assert.Equal("succeeded", (await UploadAsync(social, first, "candidates", "name,id_type,id_number\nXu Jiu,passport,P0000050\n")).Status);
        var refused = await UploadAsync(social, second, "candidates", "name,id_type,id_number\nLu Shi,passport,P0000051\nXu Jiu,passport,P0000050\n");
        Assert.Equal("rejected", refused.Status);
        var error = Assert.Single(refused.FirstErrors);
        Assert.Equal((3L, "id_number", "import.candidate-of-another-session", first.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (error.Line, error.Field, error.Code, error.Args!["session"]));
        Assert.Equal(0L, await ScalarAsync(agencies.Node, $"select count(*) from skillshub.evaluations where session_id = {second}"));
        // Another exam date, or the same session's file again, is another matter.
        var later = await CreateSessionAsync(social, Welder, 5, "2025-06-04");
        Assert.Equal("succeeded", (await UploadAsync(social, later, "candidates", "name,id_type,id_number\nXu Jiu,passport,P0000050\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(social, first, "candidates", "name,id_type,id_number\nXu Jiu,passport,P0000050\n")).Status);

        // The type of work is one text whatever its case, its runs of spaces or its width (found by an outside tester: "C12weld"
        // and "c12WELD", or a full-width spelling, made two exams and two certificates).
        async Task<long> Typed(string workType)
        {
            var response = await social.PostAsJsonAsync("/api/agency/sessions", new { occupation = Welder, workType, level = 5, examOn = "2025-06-06" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<ExamSessionView>(Json))!.Id;
        }
        var pipe = await Typed("Pipe  welding");
        Assert.Equal("succeeded", (await UploadAsync(social, pipe, "candidates", "name,id_type,id_number\nXu Jiu,passport,P0000050\n")).Status);
        foreach (var spelling in new[] { "pipe WELDING", "Ｐｉｐｅ\u3000welding" })
        {
            var again = await UploadAsync(social, await Typed(spelling), "candidates", "name,id_type,id_number\nXu Jiu,passport,P0000050\n");
            Assert.Equal((spelling, "rejected", "import.candidate-of-another-session"), (spelling, again.Status, Assert.Single(again.FirstErrors).Code));
        }
        Assert.Equal("succeeded", (await UploadAsync(social, await Typed("Pipe welding, flux-cored"), "candidates", "name,id_type,id_number\nXu Jiu,passport,P0000050\n")).Status);
    }

    /// <summary>
    /// Found by an outside tester: an ID the agency knew as "Xu Shi" was refused as "registered under another name" when a
    /// later file wrote it in lower case, with two spaces, full-width or with a soft hyphen, though the rating and the public
    /// holder search take those for the same name. The agency's own check compares names the same way
    /// (<c>HolderPrivacy.NameKey</c>); another name is still refused.
    /// </summary>
    [Fact]
    public async Task AnIdsName_IsComparedAsTheHolderSearchComparesIt()
    {
        var social = agencies.Social;
        var first = await CreateSessionAsync(social, Welder, 5, "2025-07-01");
        Assert.Equal("succeeded", (await UploadAsync(social, first, "candidates", "name,id_type,id_number\nXu Shi,passport,P0000060\n")).Status);
        var day = 2;
        foreach (var spelling in new[] { "xu  SHI", "Ｘｕ Ｓｈｉ", "Xu S\u00ADhi" })
        {
            var later = await CreateSessionAsync(social, Welder, 5, $"2025-07-{day++:00}");
            var import = await UploadAsync(social, later, "candidates", $"name,id_type,id_number\n{spelling},passport,P0000060\n");
            Assert.True(import.Status == "succeeded", $"{spelling}: {string.Join("; ", import.FirstErrors.Select(e => e.Message))}");
        }
        var other = await CreateSessionAsync(social, Welder, 5, $"2025-07-{day:00}");
        var refused = await UploadAsync(social, other, "candidates", "name,id_type,id_number\nXu Shu,passport,P0000060\n");
        Assert.Equal(("rejected", SkillsHub.Domain.RowCodes.NameMismatch), (refused.Status, Assert.Single(refused.FirstErrors).Code));
    }

    /// <summary>
    /// Found by an outside tester: the same people's files sent at the same moment to two sessions of one exam each held only
    /// their own session's lock, so both could pass the check above. Files of one exam now take turns at it
    /// (docs/certification.md, "Imports"): one file is stored, the other refused for every one of its people. The files are
    /// long enough that, without the turn, the two checks run before either file is stored.
    /// </summary>
    [Fact]
    public async Task TwoFilesOfOneExam_SentTogether_StoreThePeopleOnce()
    {
        var social = agencies.Social;
        var first = await CreateSessionAsync(social, Welder, 5, "2025-06-05");
        var second = await CreateSessionAsync(social, Welder, 5, "2025-06-05");
        var csv = "name,id_type,id_number\n" + string.Concat(Enumerable.Range(0, 1500).Select(i => $"Cand {i},passport,Q{i:D7}\n"));
        var imports = await Task.WhenAll(UploadAsync(social, first, "candidates", csv), UploadAsync(social, second, "candidates", csv));

        Assert.Equal(["rejected", "succeeded"], imports.Select(i => i.Status).Order());
        var refused = imports.Single(i => i.Status == "rejected");
        Assert.Equal(1500, refused.ErrorCount);
        Assert.All(refused.FirstErrors, e => Assert.Equal("import.candidate-of-another-session", e.Code));
        Assert.Equal(1500L, await ScalarAsync(agencies.Node,
            $"select count(*) from skillshub.evaluations where session_id in ({first}, {second})"));
    }
}
