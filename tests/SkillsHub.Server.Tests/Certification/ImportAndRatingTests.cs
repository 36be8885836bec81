using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Jobs;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>
/// A session's imports and its rating taking turns, and what an import reports about itself (docs/certification.md,
/// "Imports" and "A session's imports and its rating take turns"). One node for the class, with the test agencies; each test works in sessions of its own.
/// </summary>
[Collection(ServerCollection.Certification)]
public sealed class ImportAndRatingTests(ImportAndRatingTests.AgencyNode fixture) : IClassFixture<ImportAndRatingTests.AgencyNode>
{
    public sealed class AgencyNode(PostgresFixture postgres) : NodeFixture(postgres)
    {
        protected override Task SetUpAsync() => SetUpAgenciesAsync(Node);
    }

    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A connection of the test's own holding the session's lock, as a rating batch or an import in flight holds it.</summary>
    async Task<(NpgsqlConnection, NpgsqlTransaction)> HoldSessionAsync(long session)
    {
        var connection = await fixture.Node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await SessionLock.TakeAsync(connection, transaction, session, default);
        return (connection, transaction);
    }

    /// <summary>Until <paramref name="waiters"/> other connections of this database wait for an advisory lock (the session's).</summary>
    async Task WaitForAWaiterAsync(string what, int waiters = 1) => Assert.True(await TestNode.EventuallyAsync(async () => await ScalarAsync(fixture.Node, """
        select count(*) from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and not l.granted and d.datname = current_database()
        """) >= waiters, Deadline), $"{what} never waited for the lock");

    /// <summary>
    /// The preview the agency page shows before a rating (found by an outside tester: a candidates file without the years in
    /// the occupation had every candidate found ineligible for good, with no word first): it counts what a run then decides,
    /// with the reasons of the ineligible, and records nothing; another agency's session is a 404.
    /// </summary>
    [Fact]
    public async Task ARatingPreview_CountsWhatTheRunThenDecides_AndRecordsNothing()
    {
        using var officer = await SignInAsync(fixture.Node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        // Four candidates: three with the years the level needs, one without (the column left empty); the last has no results
        // yet (one without the years is ineligible whatever its results).
        var candidates = Candidates(2, offset: 700) + "Candidate 703,passport,P0000703,none,,,\nCandidate 704,passport,P0000704,none,2020-01-01,,\n";
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "candidates", candidates)).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "results", Results(3, offset: 700))).Status);

        var preview = await officer.GetFromJsonAsync<JsonElement>($"/api/agency/sessions/{session}/rating-preview");
        Assert.Equal(3, preview.GetProperty("toDecide").GetInt32());
        var outcomes = preview.GetProperty("outcomes");
        Assert.Equal((2, 1, 1), (outcomes.GetProperty("passed").GetInt32(), outcomes.GetProperty("ineligible").GetInt32(), outcomes.GetProperty("awaiting-results").GetInt32()));
        var reason = Assert.Single(preview.GetProperty("ineligibleReasons").EnumerateArray());
        Assert.Equal(1, reason.GetProperty("count").GetInt32());
        Assert.Equal(0L, await ScalarAsync(fixture.Node, "select count(*) from skillshub.rating_decisions where session_id = @session", new { session }));

        Assert.Equal("succeeded", (await RunAsync(officer, session, "rate")).Status);
        Assert.Equal(2L, await ScalarAsync(fixture.Node, "select count(*) from skillshub.rating_decisions where session_id = @session and outcome = 'passed'", new { session }));
        Assert.Equal(reason.GetProperty("reason").GetString(), await TextAsync(fixture.Node,
            "select reasons[1] from skillshub.rating_decisions where session_id = @session and outcome = 'ineligible'", new { session }));
        // Nothing left to decide but the candidate awaiting results.
        var after = await officer.GetFromJsonAsync<JsonElement>($"/api/agency/sessions/{session}/rating-preview");
        Assert.Equal(0, after.GetProperty("toDecide").GetInt32());
        Assert.Equal(1, after.GetProperty("outcomes").GetProperty("awaiting-results").GetInt32());

        using var other = await SignInAsync(fixture.Node, "officer-y", "officer-password-2");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/agency/sessions/{session}/rating-preview")).StatusCode);

        // Two ineligible by one rule, each with years of their own: one reason counted twice, not two reasons (found by an
        // outside tester: the wording's own years split one rule, and the commonest was picked at random).
        var level4 = await CreateSessionAsync(officer, Welder, 4);
        Assert.Equal("succeeded", (await UploadAsync(officer, level4, "candidates",
            "name,id_type,id_number,education,in_occupation_since\nCandidate 711,passport,P0000711,none,2022-01-01\nCandidate 712,passport,P0000712,none,2021-01-01\n")).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, level4, "results", Results(2, offset: 710))).Status);
        var split = Assert.Single((await officer.GetFromJsonAsync<JsonElement>($"/api/agency/sessions/{level4}/rating-preview")).GetProperty("ineligibleReasons").EnumerateArray());
        Assert.Equal(2, split.GetProperty("count").GetInt32());
        Assert.StartsWith("l4-route: ", split.GetProperty("reason").GetString());
    }

    /// <summary>
    /// Found by an outside tester: three rating (or issuing) requests sent at the same moment started two or three runs,
    /// whose summaries then counted the same decisions twice or said "0 issued" beside certificates that exist. The check
    /// for a run in progress and the new run are one step: requests that arrive together start one run, and the others
    /// answer 409 already-running naming it. The test holds that step's lock while the three requests arrive, so all three
    /// have passed the first check when they meet.
    /// </summary>
    [Fact]
    public async Task RatingOrIssuingRequestsSentAtOnce_StartOneRun()
    {
        using var officer = await SignInAsync(fixture.Node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "candidates", Candidates(3, 1000))).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "results", Results(3, 1000, 80, 80))).Status);
        foreach (var kind in new[] { "rate", "issue" })
        {
            await using var connection = await fixture.Node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("select pg_advisory_xact_lock(hashtext('skillshub-job-start:' || @kind || ':' || @session))", new { kind, session }, transaction);
            var requests = Enumerable.Range(0, 3).Select(_ => officer.PostAsync($"/api/agency/sessions/{session}/{kind}", null)).ToList();
            await WaitForAWaiterAsync($"the {kind} requests", 3);
            await transaction.CommitAsync();
            var answers = await Task.WhenAll(requests);
            var started = Assert.Single(answers, a => a.StatusCode == System.Net.HttpStatusCode.Accepted);
            var run = (await started.Content.ReadFromJsonAsync<RunView>(Json))!;
            foreach (var refused in answers.Where(a => a != started))
            {
                Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
                var problem = await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                Assert.Equal(("already-running", run.Id.ToString(), "id"), (problem.GetProperty("code").GetString(), problem.GetProperty("runId").GetString(), problem.GetProperty("field").GetString()));
                Assert.Equal($"The {kind} job for session {session} is already queued or running.", problem.GetProperty("detail").GetString());
            }
            Assert.Equal("succeeded", (await FinishedAsync(officer, run, kind)).Status);
            Assert.Equal(1L, await ScalarAsync(fixture.Node, "select count(*) from skillshub.job_progress where session_id = @session and kind = @kind", new { session, kind }));
        }
        Assert.Equal(3L, await ScalarAsync(fixture.Node, "select count(*) from skillshub.certificates c join skillshub.evaluations e on e.id = c.evaluation_id where e.session_id = @session", new { session }));
        // Every 409 names the field it is about (found by an outside tester: this one named none): here the session.
        var again = await officer.PostAsync($"/api/agency/sessions/{session}/issue", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        var nothing = await again.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(("nothing-to-issue", "id"), (nothing.GetProperty("code").GetString(), nothing.GetProperty("field").GetString()));
    }

    /// <summary>
    /// Found by an outside tester: a results file imported while a rating run was deciding replaced the marks of the
    /// candidates the run had just rated (checked "not rated yet" before the decisions were written), and certificates
    /// went to people whose stored marks fail. Each waits for the other: a file sent while a batch is being decided is
    /// checked after it, and refused for the rated candidates; a run started while a file is being stored rates on it.
    /// </summary>
    [Fact]
    public async Task AResultsImportAndARatingOfTheSameSession_TakeTurns()
    {
        using var officer = await SignInAsync(fixture.Node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "candidates", Candidates(3, 1700))).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, session, "results", Results(3, 1700, 80, 80))).Status);

        // A rating batch holds the session and decides on 80/80; a file of zeros sent meanwhile waits for it.
        var (connection, transaction) = await HoldSessionAsync(session);
        var zeros = UploadAsync(officer, session, "results", Results(3, 1700, 0, 0));
        await WaitForAWaiterAsync("the results import");
        await connection.ExecuteAsync("""
            insert into skillshub.rating_decisions (evaluation_id, session_id, outcome, reasons)
            select id, session_id, 'passed', '{}' from skillshub.evaluations where session_id = @session
            """, new { session }, transaction);
        await transaction.CommitAsync();
        await connection.DisposeAsync();
        var refused = await zeros;
        Assert.Equal(("rejected", 3), (refused.Status, refused.ErrorCount));
        Assert.All(refused.FirstErrors, e => Assert.Equal(Domain.RowCodes.AlreadyRated, e.Code));
        Assert.Equal(3L, await ScalarAsync(fixture.Node, "select count(*) from skillshub.evaluations where session_id = @session and theory = 80 and practical = 80", new { session }));

        // The other way: a file is being stored (zeros) when a rating run starts; the run waits and rates on the zeros.
        var second = await CreateSessionAsync(officer, Welder, 5);
        Assert.Equal("succeeded", (await UploadAsync(officer, second, "candidates", Candidates(3, 800))).Status);
        Assert.Equal("succeeded", (await UploadAsync(officer, second, "results", Results(3, 800, 80, 80))).Status);
        (connection, transaction) = await HoldSessionAsync(second);
        var rating = RunAsync(officer, second, "rate");
        await WaitForAWaiterAsync("the rating run");
        await connection.ExecuteAsync("update skillshub.evaluations set theory = 0, practical = 0 where session_id = @second", new { second }, transaction);
        await transaction.CommitAsync();
        await connection.DisposeAsync();
        Assert.Equal(new Dictionary<string, int> { ["failed"] = 3 }, (await rating).Summary);
    }

    /// <summary>
    /// Found by an outside tester: a file with CR line ends reported 0 of 0 rows while storing 2, one with a quoted line
    /// break one row too many; and a file with more problems than the report lists left some out of the count, and its
    /// report did not say it was cut.
    /// </summary>
    [Fact]
    public async Task AnImport_CountsItsRowsAsTheReaderReadsThem_AndEveryProblem_SayingWhenTheReportIsCut()
    {
        using var officer = await SignInAsync(fixture.Node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        var crOnly = await UploadAsync(officer, session, "candidates", "name,id_type,id_number\rCr One,passport,P0000901\rCr Two,passport,P0000902\r");
        Assert.Equal(("succeeded", 2, 2, 2), (crOnly.Status, crOnly.TotalRows, crOnly.Processed, crOnly.StoredRows));
        // (A name may not hold a line break: the file is refused, but it has two rows, not three.)
        var quoted = await UploadAsync(officer, session, "candidates", "name,id_type,id_number\n\"Two\nLines\",passport,P0000903\nPlain,passport,P0000904\n");
        Assert.Equal(("rejected", 2), (quoted.Status, quoted.TotalRows));

        // 10,004 strangers to the session (found by the database check) and a cell error on the last line.
        var many = new StringBuilder("id_type,id_number,theory,practical\n");
        for (var i = 1; i <= ImportProblems.MaxListed + 4; i++)
        {
            many.Append("passport,S").Append(i.ToString("0000000")).Append(",70,70\n");
        }
        many.Append("bad,X1,70,70\n");
        var cut = await UploadAsync(officer, session, "results", many.ToString());
        Assert.Equal(("rejected", ImportProblems.MaxListed + 5), (cut.Status, cut.ErrorCount));
        Assert.Contains($"the report lists the first {ImportProblems.MaxListed}", cut.Message);
        var report = await officer.GetStringAsync($"/api/agency/imports/{cut.Id}/errors.csv");
        var lines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + ImportProblems.MaxListed + 1, lines.Length);
        Assert.Contains("5 more problems not listed", lines[^1]);
    }

    /// <summary>
    /// Found by an outside tester: a cell ending in NUL, quoted back in its problem's message ('80\0' is not a mark), made the
    /// report unwritable (PostgreSQL text holds no NUL), so the import stayed "running" for ever with no report. The report
    /// shows each control character as its picture (U+2400 for NUL), and the file is rejected like any other.
    /// </summary>
    [Fact]
    public async Task ACellWithANul_IsRejectedWithAReport_ShowingTheNul_NeverLeftRunning()
    {
        using var officer = await SignInAsync(fixture.Node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        var candidates = await UploadAsync(officer, session, "candidates", "name,id_type,id_number,in_occupation_since\nNul Date,passport,P0000951,2010-01-01\0\n");
        Assert.Equal(("rejected", 1), (candidates.Status, candidates.ErrorCount));
        Assert.Contains("'2010-01-01\u2400'", await officer.GetStringAsync($"/api/agency/imports/{candidates.Id}/errors.csv"));
        var header = await UploadAsync(officer, session, "candidates", "name,id_type,id_number,x\0y\nNul Column,passport,P0000952,1\n");
        Assert.Equal("rejected", header.Status);
        Assert.Contains("x\u2400y", await officer.GetStringAsync($"/api/agency/imports/{header.Id}/errors.csv"));
    }

    /// <summary>
    /// A form upload holds one file, the field "file" (docs/security.md, "Bad input"). Found by an outside tester: a form
    /// with two files imported the first and ignored the second without a word, and a file under any name was taken.
    /// </summary>
    [Fact]
    public async Task AFormUpload_HoldsOneFile_NamedFile()
    {
        using var officer = await SignInAsync(fixture.Node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        MultipartFormDataContent Form(params (string Field, string FileName, int Offset)[] files)
        {
            var form = new MultipartFormDataContent();
            foreach (var (field, fileName, offset) in files)
            {
                var part = new ByteArrayContent(Encoding.UTF8.GetBytes(Candidates(1, offset)));
                part.Headers.ContentType = new("text/csv");
                form.Add(part, field, fileName);
            }
            return form;
        }
        foreach (var form in new[] { Form(("file", "a.csv", 1100), ("file", "b.csv", 1101)), Form(("file", "a.csv", 1100), ("other", "b.csv", 1101)), Form(("upload", "a.csv", 1100)), Form() })
        {
            var refused = await officer.PostAsync($"/api/agency/sessions/{session}/candidates", form);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors").TryGetProperty("file", out _));
        }
        Assert.Equal(0L, await ScalarAsync(fixture.Node, "select count(*) from skillshub.evaluations where session_id = @session", new { session }));
        var taken = await officer.PostAsync($"/api/agency/sessions/{session}/candidates", Form(("file", "a.csv", 1100)));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, taken.StatusCode);
        Assert.True(await TestNode.EventuallyAsync(async () =>
            await ScalarAsync(fixture.Node, "select count(*) from skillshub.evaluations where session_id = @session", new { session }) == 1, Deadline));
    }
}
