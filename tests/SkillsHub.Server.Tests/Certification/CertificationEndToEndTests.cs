using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Dapper;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Security;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Certification;

[Collection(ServerCollection.CertificationRuns)]
public sealed class CertificationEndToEndTests(PostgresFixture postgres)
{
    const string ResidentId = "11010119900307651X";

    [Fact]
    public async Task UploadRateIssueLookup_AgainstRealPostgresAndHangfire()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), "--Certification:Lookup:PermitLimit=20");
        await SetUpAgenciesAsync(node);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);

        var candidates = await UploadAsync(officer, session, "candidates", $"""
            name,id_type,id_number,education,in_occupation_since,held_level,held_since
            张伟,resident,{ResidentId},none,2020-01-01,,
            Li Na,passport,P0000002,none,2020-01-01,,
            Wang Lei,passport,P0000003,none,2025-01-01,,
            Zhao Min,passport,P0000004,none,,apprentice,2024-09-01
            Chen Jie,passport,P0000005,none,2020-01-01,,
            Sun Li,passport,P0000006,none,2020-01-01,,
            """);
        Assert.Equal(("succeeded", 6, 0), (candidates.Status, candidates.StoredRows, candidates.ErrorCount));
        var results = await UploadAsync(officer, session, "results", $"""
            id_type,id_number,theory,practical,review
            resident,{ResidentId},75,82,
            passport,P0000002,55,50,
            passport,P0000003,95,95,
            passport,P0000004,60,60,
            passport,P0000006,80,,
            """);
        Assert.Equal("succeeded", results.Status);

        var rating = await RunAsync(officer, session, "rate");
        Assert.True(rating.Status == "succeeded", rating.Message);
        // Every candidate dealt with: four decided, two looked at and found awaiting results (found by an outside tester: a
        // finished run said 4 of 6, a part-filled bar beside "succeeded").
        Assert.Equal((6, 6), (rating.Processed, rating.Total));
        // The summary is an object of counts (it was JSON inside a string). Chen Jie's results are not uploaded yet, Sun
        // Li's practical neither: no decision (found by an outside tester: such candidates were failed, and their results
        // then refused for good).
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 2, ["failed"] = 1, ["ineligible"] = 1, ["awaiting-results"] = 2 }, rating.Summary);
        // Each of them names the parts still without a score (found by an outside tester: no reason at all).
        var waiting = (await officer.GetFromJsonAsync<List<DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!.ToDictionary(d => d.Name);
        Assert.Null(waiting["Chen Jie"].Outcome);
        Assert.Equal(["awaiting-results: theory, practical"], waiting["Chen Jie"].Reasons);
        Assert.Equal(["awaiting-results: practical"], waiting["Sun Li"].Reasons);
        var late = await UploadAsync(officer, session, "results", "id_type,id_number,theory,practical,review\npassport,P0000005,70,40,\n");
        Assert.Equal(("succeeded", 1), (late.Status, late.StoredRows));
        // A file of practical marks alone (no theory column, a blank review) keeps the theory mark already stored.
        var practical = await UploadAsync(officer, session, "results", "id_type,id_number,practical,review\npassport,P0000006,50,\n");
        Assert.Equal(("succeeded", 1), (practical.Status, practical.StoredRows));
        var again = await RunAsync(officer, session, "rate");
        Assert.Equal((6, 6), (again.Processed, again.Total));
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 2, ["failed"] = 3, ["ineligible"] = 1 }, again.Summary);
        var decisions = (await officer.GetFromJsonAsync<List<DecisionView>>($"/api/agency/sessions/{session}/decisions", Json))!.ToDictionary(d => d.Name);
        Assert.Equal("passed", decisions["张伟"].Outcome);
        Assert.Equal("failed", decisions["Li Na"].Outcome);
        Assert.Equal(["theory", "practical"], decisions["Li Na"].Reasons);
        Assert.Equal(("failed", 80m, 50m), (decisions["Sun Li"].Outcome, decisions["Sun Li"].Theory, decisions["Sun Li"].Practical));
        Assert.Equal(["practical"], decisions["Sun Li"].Reasons);
        Assert.Equal("ineligible", decisions["Wang Lei"].Outcome);
        Assert.StartsWith("l5-work-years", decisions["Wang Lei"].Reasons.Single());
        Assert.Equal("passed", decisions["Zhao Min"].Outcome);
        Assert.Equal("**************651X", decisions["张伟"].IdNumberMasked);

        var issuing = await RunAsync(officer, session, "issue");
        Assert.Equal(("succeeded", 2), (issuing.Status, issuing.Processed));
        Assert.Equal(new Dictionary<string, int> { ["issued"] = 2, ["issuedByThisRun"] = 2, ["passed"] = 2 }, issuing.Summary);
        var certificates = (await officer.GetFromJsonAsync<List<DecisionView>>($"/api/agency/sessions/{session}/certificates", Json))!;
        Assert.Equal(2, certificates.Count);
        var year = (DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year % 100).ToString("00");
        Assert.Equal([$"{SocialAgency}{year}5000001", $"{SocialAgency}{year}5000002"], certificates.Select(c => c.CertificateNumber));

        // A certificate keeps its occupation's names as issued: the catalogue entry renamed afterwards does not reach it
        // (found by an outside tester: the registry showed the new name, the signed credential the old one).
        await ScalarAsync(node, "update skillshub.occupations set name_zh = '焊工（新）', name_en = 'Renamed' where code = @Welder returning 0", new { Welder });

        // Public lookup by number with the QR code's token: masked ID, Chinese level wording, no sign-in.
        using var anonymous = node.Client();
        var number = certificates[0].CertificateNumber!;
        var token = node.Services.GetRequiredService<RegistryTokens>().For(number);
        var found = (await anonymous.GetFromJsonAsync<CertificateView>($"/api/certificates/{number}?t={token}", Json))!;
        Assert.Equal(("张伟", "**************651X", "五级/初级工", "焊工", (string?)null), (found.HolderName, found.IdNumberMasked, found.LevelZh, found.OccupationZh, found.WorkType));
        // With the holder's name instead of the token, the same record.
        var byName = await anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { name = "张伟" });
        Assert.Equal(("张伟", "**************651X"), ((await byName.Content.ReadFromJsonAsync<CertificateView>(Json))!.HolderName, found.IdNumberMasked));

        // By name and full ID number; a partial or masked ID finds nothing.
        var byHolder = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = "张伟", idNumber = ResidentId });
        Assert.Equal(HttpStatusCode.OK, byHolder.StatusCode);
        Assert.Equal(number, (await byHolder.Content.ReadFromJsonAsync<List<CertificateView>>(Json))!.Single().Number);
        // Typed full-width, as a Chinese input method left in full-width mode types it, it is the same number (found by an
        // outside tester: 404), as a name typed so is the same name.
        var fullWidth = string.Concat(ResidentId.Select(c => (char)(c + 0xFEE0))) + "\u3000";
        var byFullWidth = await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = "张伟", idNumber = fullWidth });
        Assert.Equal(HttpStatusCode.OK, byFullWidth.StatusCode);
        Assert.Equal(number, (await byFullWidth.Content.ReadFromJsonAsync<List<CertificateView>>(Json))!.Single().Number);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = "张伟", idNumber = "**************651X" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/certificates/search", new { name = "李四", idNumber = ResidentId })).StatusCode);

        // A number alone tells nothing: the issued number, an unknown one and a malformed one answer the same 400 naming t.
        var free = $"{SocialAgency}{year}5999999";
        var alone = await Task.WhenAll(new[] { number, free, "not-a-number" }.Select(async n => await anonymous.GetAsync($"/api/certificates/{n}")));
        Assert.All(alone, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        var aloneBodies = await Task.WhenAll(alone.Select(async r => StripTrace(await r.Content.ReadAsStringAsync())));
        Assert.Single(aloneBodies.Distinct());
        Assert.Contains("\"t\"", aloneBodies[0]);
        Assert.DoesNotContain(number, aloneBodies[0]);
        // With a wrong token, or a wrong name: the same 404 for the issued number as for an unknown or malformed one.
        var misses = await Task.WhenAll(
            anonymous.GetAsync($"/api/certificates/{number}?t={node.Services.GetRequiredService<RegistryTokens>().For(free)}"),
            anonymous.GetAsync($"/api/certificates/{free}?t={token}"),
            anonymous.GetAsync("/api/certificates/not-a-number?t=x"),
            anonymous.PostAsJsonAsync($"/api/certificates/{number}/disclose", new { name = "李四" }),
            anonymous.PostAsJsonAsync($"/api/certificates/{free}/disclose", new { name = "李四" }));
        Assert.All(misses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("application/problem+json", misses[0].Content.Headers.ContentType?.MediaType);
        Assert.Single((await Task.WhenAll(misses.Select(async r => StripTrace(await r.Content.ReadAsStringAsync())))).Distinct());

        // No listing endpoint exists.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/certificates")).StatusCode);

        // Rate limit: the 20-per-window budget runs out with 429 and Retry-After.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            var r = await anonymous.GetAsync($"/api/certificates/{number}");
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = r;
            }
        }
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");

        // Issuing again finds nothing to do; the job itself re-run issues nothing new.
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsync($"/api/agency/sessions/{session}/issue", null)).StatusCode);
        Assert.Equal(0, await node.Services.GetRequiredService<CertificationJobs>().IssueBatchAsync(session, null, null, default));
        Assert.Equal(2L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));

        // An occupation file without the related_worldskills_skill column renames the occupation and leaves its skill as
        // stored; a blank cell clears it (docs/certification.md, "Imports").
        await node.Services.GetRequiredService<AccountStore>().CreateAsync("cert-admin", "Admin", "admin-password-1", [Roles.Admin], null);
        using var admin = await SignInAsync(node, "cert-admin", "admin-password-1");
        await ScalarAsync(node, "update skillshub.occupations set worldskills_skill = 'Welding' where code = @Welder returning 0", new { Welder });
        foreach (var (csv, expected) in new[] { ($"code,name_zh,name_en\n{Welder},焊工,Welder (renamed)\n", "Welding"), ($"code,name_zh,name_en,related_worldskills_skill\n{Welder},焊工,Welder,\n", null) })
        {
            var accepted = await admin.PostAsync("/api/certification/occupations", new StringContent(csv, Encoding.UTF8, "text/csv"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var location = (await accepted.Content.ReadFromJsonAsync<Accepted202>(Json))!.Location;
            Assert.True(await TestNode.EventuallyAsync(async () => (await admin.GetFromJsonAsync<ImportView>(location, Json))!.Status == "succeeded", TimeSpan.FromSeconds(60)), csv);
            await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            Assert.Equal(expected, await connection.ExecuteScalarAsync<string?>("select worldskills_skill from skillshub.occupations where code = @Welder", new { Welder }));
        }

        // The certificate's validity is the catalogue's to set (an outside tester: only SQL could): a number of years, a
        // blank cell for none, and a file without the column leaves it. Certificates already issued keep theirs.
        foreach (var (csv, expected) in new[] { ($"code,name_zh,name_en,certificate_validity_years\n{Welder},焊工,Welder,5\n", (short?)5),
            ($"code,name_zh,name_en\n{Welder},焊工,Welder\n", (short?)5), ($"code,name_zh,name_en,certificate_validity_years\n{Welder},焊工,Welder,\n", null) })
        {
            var accepted = await admin.PostAsync("/api/certification/occupations", new StringContent(csv, Encoding.UTF8, "text/csv"));
            var location = (await accepted.Content.ReadFromJsonAsync<Accepted202>(Json))!.Location;
            Assert.True(await TestNode.EventuallyAsync(async () => (await admin.GetFromJsonAsync<ImportView>(location, Json))!.Status == "succeeded", TimeSpan.FromSeconds(60)), csv);
            await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            Assert.Equal(expected, await connection.ExecuteScalarAsync<short?>("select certificate_validity_years from skillshub.occupations where code = @Welder", new { Welder }));
        }
        var refused = await admin.PostAsync("/api/certification/occupations", new StringContent($"code,name_zh,name_en,certificate_validity_years\n{Welder},焊工,Welder,99\n", Encoding.UTF8, "text/csv"));
        var refusedAt = (await refused.Content.ReadFromJsonAsync<Accepted202>(Json))!.Location;
        ImportView? last = null;
        Assert.True(await TestNode.EventuallyAsync(async () => (last = await admin.GetFromJsonAsync<ImportView>(refusedAt, Json))!.Status == "rejected", TimeSpan.FromSeconds(60)),
            JsonSerializer.Serialize(last));
    }

    [Fact]
    public async Task AnImportWhoseNodeDied_IsTakenUpAgain_AfterTheRestart()
    {
        // Found by trying it: after kill -9 mid-import and a restart, the import said "running" for 30 minutes (Hangfire's
        // fetched job waited out Hangfire.PostgreSql's default invisibility timeout; docs/operations.md, "Jobs after a crash").
        var db = await postgres.NewDatabaseAsync();
        Guid import;
        await using (var first = await TestNode.StartAsync(db))
        {
            await SetUpAgenciesAsync(first);
            using var officer = await SignInAsync(first, "officer-s", "officer-password-1");
            var session = await CreateSessionAsync(officer, Welder, 5);
            import = (await UploadAsync(officer, session, "candidates", Candidates(20))).Id;
        }
        // What a node killed mid-import leaves: the import running with its file, its Hangfire job processing, and the job's
        // queue entry fetched by a worker that no longer exists.
        await using (var connection = new NpgsqlConnection(db))
        {
            var job = long.Parse(await connection.ExecuteScalarAsync<string>("select job_id from skillshub.job_progress where id = @import", new { import }) ?? "0",
                System.Globalization.CultureInfo.InvariantCulture);
            await connection.ExecuteAsync("""
                update skillshub.job_progress set status = 'running', processed = 0, finished_at = null where id = @import;
                update skillshub.cert_imports set content = @content, stored_rows = 0 where id = @import;
                update hangfire.job set statename = 'Processing' where id = @job;
                insert into hangfire.jobqueue (jobid, queue, fetchedat) values (@job, 'default', now());
                """, new { import, job, content = Encoding.UTF8.GetBytes(Candidates(20)) });
        }

        await using var second = await TestNode.StartAsync(db, "--Jobs:InvisibilityTimeoutSeconds=10");
        using var again = await SignInAsync(second, "officer-s", "officer-password-1");
        ImportView? view = null;
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            view = await again.GetFromJsonAsync<ImportView>($"/api/agency/imports/{import}", Json);
            return view!.Status != "running";
        }, TimeSpan.FromSeconds(60)), "the import stayed running after its node's restart");
        Assert.Equal(("succeeded", 20), (view!.Status, view.StoredRows));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("a minute")]
    public async Task AnInvisibilityTimeoutOutOfRange_StopsTheNodeAtStart_InOneLine(string value)
    {
        var database = await postgres.NewDatabaseAsync();
        var refused = await TestNode.RefusedAtStartAsync(database, $"--Jobs:InvisibilityTimeoutSeconds={value}");
        Assert.Equal($"Jobs:InvisibilityTimeoutSeconds must be a whole number of seconds from 10 to 3600 (not '{value}').", refused.Message);
    }

    [Fact]
    public async Task ACorrectedCandidatesFile_ChangesWhatTheRatingUses_UntilTheCandidateIsRated()
    {
        // Found by an outside review: the first file to name a person fixed their education for good, so a corrected file
        // (or another session's) answered "1 row stored" and changed nothing, and the candidate stayed ineligible.
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        const string Header = "name,id_type,id_number,education,in_occupation_since,held_level,held_since\n";
        var first = await CreateSessionAsync(officer, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(officer, first, "candidates", Header + "Qian Yu,passport,P0000101,,2020-01-01,,\n")).Status);

        // Level 4 by the technical-school route: the session's file says so after a first one that did not.
        var session = await CreateSessionAsync(officer, Welder, 4);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "candidates", Header + "Qian Yu,passport,P0000101,none,2020-01-01,,\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "candidates", Header + "Qian Yu,passport,P0000101,technical-school,2020-01-01,,\n")).Status);
        // A file without the column leaves what the session's file said.
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "candidates", "name,id_type,id_number\nQian Yu,passport,P0000101\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "results", "id_type,id_number,theory,practical\npassport,P0000101,70,70\n")).Status);
        Assert.Equal(new Dictionary<string, int> { ["passed"] = 1 }, (await RunAsync(officer, session, "rate")).Summary);

        // Once rated, a file naming the candidate is refused: it changes nothing the decision rested on.
        var late = await UploadAsync(officer, session, "candidates", Header + "Qian Yu,passport,P0000101,none,2020-01-01,,\n");
        Assert.Equal(("rejected", SkillsHub.Domain.RowCodes.CandidateAlreadyRated), (late.Status, late.FirstErrors.Single().Code));
        Assert.Equal((long)SkillsHub.Domain.Certification.Education.TechnicalSchool, await ScalarAsync(node, "select education from skillshub.evaluations where session_id = @session", new { session }));
    }

    [Fact]
    public async Task MalformedCsvRow_IsReportedWithItsLine_AndNothingOfTheFileIsStored()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);

        var import = await UploadAsync(officer, session, "candidates", """
            name,id_type,id_number,education,in_occupation_since,held_level,held_since
            Good One,passport,P0000001,none,2020-01-01,,
            Good Two,passport,P0000002,none,2020-01-01,,
            Bad Date,passport,P0000003,none,2020-13-45,,
            Good Two,passport,P0000002,none,2020-01-01,,
            "Unclosed,passport,P0000004,none,2020-01-01
            """);

        Assert.Equal("rejected", import.Status);
        Assert.Equal("job.file-rejected", import.Code);
        Assert.Contains(import.FirstErrors, e => e.Line == 4 && e.Field == "in_occupation_since");
        // Each stored row error keeps its code and the values it quotes, for the pages (docs/pages.md, "Languages").
        Assert.Contains(import.FirstErrors, e => e.Line == 4 && e.Code == SkillsHub.Domain.RowCodes.NotADate && e.Args!["value"] == "2020-13-45");
        Assert.True(import.ErrorCount >= 3, "the malformed last line is reported too");
        Assert.Contains(import.FirstErrors, e => e.Line == 6);
        // A problem across lines is in the same report as the cell errors, not only after they are fixed (found by an
        // outside tester).
        Assert.Contains(import.FirstErrors, e => e.Line == 5 && e.Field == "id_number" && e.Code == SkillsHub.Domain.RowCodes.SamePerson);
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.candidates"));
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.evaluations"));

        var report = await officer.GetAsync($"/api/agency/imports/{import.Id}/errors.csv");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/csv", report.Content.Headers.ContentType?.MediaType);
        var text = await report.Content.ReadAsStringAsync();
        Assert.Contains("line,field,message", text);
        Assert.Contains("4,in_occupation_since,", text);

        // Results for people who are not candidates of the session: rejected with their lines.
        var results = await UploadAsync(officer, session, "results", "id_type,id_number,theory,practical,review\npassport,P0000001,70,70,\npassport,P0000001,71,71,\npassport,P0000002,7o,70,\n");
        Assert.Equal("rejected", results.Status);
        Assert.Equal([2L, 3L, 4L], results.FirstErrors.Select(e => e.Line).Distinct());
        Assert.Equal([SkillsHub.Domain.RowCodes.NotACandidate, SkillsHub.Domain.RowCodes.ListedTwice, SkillsHub.Domain.RowCodes.NotAMark], results.FirstErrors.Select(e => e.Code));

        // The strict reading every file shares (docs/certification.md): a column it does not know, a header with no rows,
        // a byte that is not UTF-8 (a Latin-1 "é" on line 3) are each refused with their code, and nothing is stored.
        const string Header = "name,id_type,id_number,education,in_occupation_since,held_level,held_since";
        var latin1 = Encoding.UTF8.GetBytes($"{Header}\nGood One,passport,P0000001,none,2020-01-01,,\nAndr").Concat(new byte[] { 0xE9 })
            .Concat(Encoding.UTF8.GetBytes(",passport,P0000002,none,2020-01-01,,\n")).ToArray();
        foreach (var (file, code) in new (byte[], string)[]
        {
            (Encoding.UTF8.GetBytes($"{Header},nickname\nGood One,passport,P0000001,none,2020-01-01,,,Goody\n"), SkillsHub.Domain.RowCodes.CsvUnknownColumn),
            (Encoding.UTF8.GetBytes(Header + "\n"), SkillsHub.Domain.RowCodes.NoRows),
            (latin1, SkillsHub.Domain.RowCodes.InvalidUtf8),
        })
        {
            var refused = await UploadAsync(officer, session, "candidates", file);
            Assert.Equal("rejected", refused.Status);
            Assert.Contains(refused.FirstErrors, e => e.Code == code);
        }
        // A file refused for its encoding still counts its rows (an outside tester: a GBK file said "0 rows").
        var gbkLike = await UploadAsync(officer, session, "candidates", latin1);
        Assert.Equal(2, gbkLike.TotalRows);
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.candidates"));

        // A media type the OpenAPI does not declare (text/csv or multipart/form-data) is a 415 naming Content-Type at
        // once, not an accepted import whose job then fails (docs/security.md, "Bad input").
        var imports = await ScalarAsync(node, "select count(*) from skillshub.cert_imports");
        foreach (var type in new[] { "application/pdf", "application/json", "text/plain" })
        {
            var wrong = new ByteArrayContent(Encoding.UTF8.GetBytes($"{Header}\nGood One,passport,P0000001,none,2020-01-01,,\n"));
            wrong.Headers.ContentType = new(type);
            var answer = await officer.PostAsync($"/api/agency/sessions/{session}/candidates", wrong);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.StatusCode);
            Assert.Equal("Content-Type", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        }
        Assert.Equal(imports, await ScalarAsync(node, "select count(*) from skillshub.cert_imports"));

        // Paging out of range is refused naming the parameter, never clamped (docs/certification.md).
        foreach (var (query, field) in new[] { ("decisions?limit=0", "limit"), ("decisions?limit=-1", "limit"), ("certificates?limit=501", "limit"), ("decisions?after=-5", "after"),
            // Values that are not whole numbers at all (Platform/OptionalValueCheck.cs).
            ("decisions?after=abc", "after"), ("certificates?limit=1.5", "limit") })
        {
            var paged = await officer.GetAsync($"/api/agency/sessions/{session}/{query}");
            Assert.Equal(HttpStatusCode.BadRequest, paged.StatusCode);
            Assert.Equal(field, JsonDocument.Parse(await paged.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/agency/sessions/{session}/decisions?limit=500&after=0")).StatusCode);
        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("after=-5", "after"), ("after=first", "after"), ("limit=ten", "limit") })
        {
            var paged = await officer.GetAsync($"/api/agency/promotions?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, paged.StatusCode);
            Assert.Equal(field, JsonDocument.Parse(await paged.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task LargeFile_ShowsProgress_AndIsStoredWhole()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        // Every progress the job writes is kept by a trigger of this test's own database, whatever the poll below sees: on a
        // quiet machine the lines are read in under half a second, and polling saw them read now and then, not always.
        await using (var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                create table public.progress_seen (processed int, total int, status text);
                create function public.keep_progress() returns trigger language plpgsql as
                  $$ begin insert into public.progress_seen values (new.processed, new.total, new.status); return new; end $$;
                create trigger keep_progress after update of processed on skillshub.job_progress for each row execute function public.keep_progress();
                """);
        }

        // Not a multiple of the 5,000 lines between progress reports: the last report before the total is short of it.
        var content = new StringContent(Candidates(100_003), System.Text.Encoding.UTF8, "text/csv");
        var response = await officer.PostAsync($"/api/agency/sessions/{session}/candidates", content);
        var accepted = (await response.Content.ReadFromJsonAsync<Accepted202>(Json))!;
        ImportView? import = null;
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            import = (await officer.GetFromJsonAsync<ImportView>(accepted.Location, Json))!;
            return import.Status is "succeeded" or "rejected" or "failed";
        }, TimeSpan.FromSeconds(120)));
        Assert.Equal(("succeeded", 100_003, 100_003, 100_003), (import!.Status, import.TotalRows, import.Processed, import.StoredRows));
        // Progress went up as the lines were read, in steps, never past the total; once every line was read, the total,
        // while the rows were still being checked and stored (the page says so).
        await using var check = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var seen = (await check.QueryAsync<(int Processed, int Total, string Status)>("select processed, total, status from public.progress_seen where total = 100003")).ToList();
        Assert.True(seen.Count(p => p.Processed > 0 && p.Processed < p.Total) >= 10, string.Join(", ", seen));
        Assert.All(seen, p => Assert.InRange(p.Processed, 0, p.Total));
        Assert.Contains((100_003, 100_003, "running"), seen);
        Assert.Equal(100_003L, await ScalarAsync(node, "select count(*) from skillshub.evaluations"));
    }
}
