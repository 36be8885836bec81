using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SkillsHub.Domain.Certification;
using System.Net.Http.Json;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Jobs;
using SkillsHub.Server.Platform;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Certification;

[Collection(ServerCollection.Certification)]
public sealed class IssuanceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Issue_TwoConcurrentWorkers_NoDuplicatesNoGaps()
    {
        var db = await postgres.NewDatabaseAsync();
        await using var node = await TestNode.StartAsync(db);
        await SetUpAgenciesAsync(node);
        var first = await PassedSessionAsync(node, SocialAgency, 6000, 0);
        var second = await PassedSessionAsync(node, SocialAgency, 4000, 6000);

        // Two "nodes": separate data sources and job instances, issuing the same two sessions at once.
        await using var otherSource = NpgsqlDataSource.Create(db);
        var here = node.Services.GetRequiredService<CertificationJobs>();
        var there = new CertificationJobs(null!, null!, new CertificateStore(otherSource, TimeProvider.System, node.Services.GetRequiredService<Observability.SkillsHubMetrics>()), null!, null!, null!, null!, NullLogger<CertificationJobs>.Instance);
        async Task Drain(CertificationJobs jobs, long session)
        {
            while (await jobs.IssueBatchAsync(session, null, null, default) > 0)
            {
            }
        }
        await Task.WhenAll(Drain(here, first), Drain(there, first), Drain(here, second), Drain(there, second));

        await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var serials = (await connection.QueryAsync<int>("select serial from skillshub.certificates order by serial")).ToList();
        Assert.Equal(Enumerable.Range(1, 10_000), serials);
        Assert.Equal(10_000L, await connection.ExecuteScalarAsync<long>("select count(distinct number) from skillshub.certificates"));
        Assert.Equal(10_000L, await connection.ExecuteScalarAsync<long>("select count(distinct evaluation_id) from skillshub.certificates"));
        Assert.Equal(10_000, await connection.ExecuteScalarAsync<int>($"select last_serial from skillshub.certificate_counters where agency_key = '{SocialAgency}'"));
        foreach (var number in await connection.QueryAsync<string>("select number from skillshub.certificates"))
        {
            Assert.True(CertificateNumber.TryParse(number, out var parsed) && parsed.Agency.ToString() == SocialAgency && parsed.Level == SkillLevel.Level5);
        }
        Assert.Equal(0, await node.Services.GetRequiredService<CertificationJobs>().CheckConsistency(default));
    }

    [Fact]
    public async Task Jobs_AreIdempotent_WhenRunTwice_AndTheSchemaForbidsASecondCertificate()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        using var officer = await SignInAsync(node, "officer-s", "officer-password-1");
        var session = await CreateSessionAsync(officer, Welder, 5);
        await UploadAsync(officer, session, "candidates", Candidates(50));
        await UploadAsync(officer, session, "results", Results(50));
        var rate = await RunAsync(officer, session, "rate");
        var issue = await RunAsync(officer, session, "issue");
        Assert.Equal(50, issue.Processed);

        // Run both jobs again directly, as a Hangfire retry would.
        var jobs = node.Services.GetRequiredService<CertificationJobs>();
        await ScalarAsync(node, "update skillshub.job_progress set status = 'running' where kind in ('rate', 'issue')");
        await jobs.Rate(rate.Id, null, default);
        await jobs.Issue(issue.Id, null, default);
        Assert.Equal(50L, await ScalarAsync(node, "select count(*) from skillshub.rating_decisions"));
        Assert.Equal(50L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));
        Assert.Equal(50L, await ScalarAsync(node, "select max(serial) from skillshub.certificates"));

        // The single-certificate job is idempotent too.
        var evaluation = await ScalarAsync(node, "select min(id) from skillshub.evaluations");
        await jobs.IssueOne(evaluation, default);
        Assert.Equal(50L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));

        // Even a hand-written second certificate for one evaluation is refused by the unique constraint.
        var error = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(node, """
            insert into skillshub.certificates (number, evaluation_id, candidate_id, holder_name, id_type, id_number, occupation_code, level, agency_key, issue_year, serial, issued_on)
            select 'S000031000001995999999', e.id, e.candidate_id, 'x', 'passport', 'P1', '6-18-02-04', 5, 'S000031000001', 99, 999999, now() from skillshub.evaluations e where e.id = @evaluation
            """, new { evaluation }));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);

        // A run whose job fails records a stable code and the English message; the page polls it like any run.
        var broken = await node.Services.GetRequiredService<JobProgressStore>().CreateAsync("rate", SocialAgency, null, "test", 0, default);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => jobs.Rate(broken, null, default));
        var failed = (await officer.GetFromJsonAsync<RunView>($"/api/agency/runs/{broken}", Json))!;
        Assert.Equal(("failed", ProblemCodes.JobFailed), (failed.Status, failed.Code));
        Assert.False(string.IsNullOrEmpty(failed.Message));
    }

    [Fact]
    public async Task ConsistencyCheck_ReportsAnomalies_WithoutFixingThem()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        await SetUpAgenciesAsync(node);
        var session = await PassedSessionAsync(node, SocialAgency, 5, 0);
        var jobs = node.Services.GetRequiredService<CertificationJobs>();
        await jobs.IssueBatchAsync(session, null, null, default);
        Assert.Equal(0, await jobs.CheckConsistency(default));

        await ScalarAsync(node, "update skillshub.certificate_counters set last_serial = last_serial + 1");
        await ScalarAsync(node, "update skillshub.rating_decisions set outcome = 'failed' where evaluation_id = (select min(evaluation_id) from skillshub.certificates)");

        // One person in two of the agency's sessions of one exam (stored before candidates files of one exam took turns).
        await ScalarAsync(node, $"""
            with s as (insert into skillshub.evaluation_sessions (agency_key, occupation_code, work_type, level, exam_on, created_by)
              select agency_key, occupation_code, work_type, level, exam_on, 'test' from skillshub.evaluation_sessions where id = {session} returning id)
            insert into skillshub.evaluations (session_id, candidate_id)
              select s.id, e.candidate_id from s, skillshub.evaluations e where e.session_id = {session} order by e.id limit 1
            """);

        Assert.Equal(3, await jobs.CheckConsistency(default));
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.consistency_findings where kind = 'counter-mismatch'"));
        Assert.Equal(1L, await ScalarAsync(node, "select count(*) from skillshub.consistency_findings where kind = 'not-passed'"));
        Assert.Equal(1L, await ScalarAsync(node, $"select count(*) from skillshub.consistency_findings where kind = 'exam-twice' and detail like 'a candidate of sessions {session}, %'"));
        Assert.Equal(6L, await ScalarAsync(node, "select last_serial from skillshub.certificate_counters"));
        Assert.Equal(5L, await ScalarAsync(node, "select count(*) from skillshub.certificates"));
    }

    [Fact]
    public async Task Promotions_IgnoreUnpublishedResults()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync());
        var source = new FakeResults();
        var jobs = new CertificationJobs(null!, null!, null!, node.Services.GetRequiredService<PromotionStore>(), null!, source, null!, NullLogger<CertificationJobs>.Instance);
        // WSC2024 skill 10 is Welding; the sample catalogue maps Welding to 6-18-02-04.
        source.Published = false;
        await jobs.Promote(default);
        Assert.Equal(0L, await ScalarAsync(node, "select count(*) from skillshub.promotions"));
        Assert.Contains(("WSC2024", 10), source.Asked);

        source.Published = true;
        await jobs.Promote(default);
        await jobs.Promote(default);
        Assert.Equal(2L, await ScalarAsync(node, "select count(*) from skillshub.promotions where competition_code = 'WSC2024' and skill_number = 10"));
        Assert.Equal(2L, await ScalarAsync(node, $"select count(*) from skillshub.promotions where competition_code = 'WSC2024' and occupation_code = '{Welder}' and level = {(int)SkillLevel.Level2}"));
    }

    sealed class FakeResults : IPublishedResultsSource
    {
        public bool Published { get; set; }

        public List<(string, int)> Asked { get; } = [];

        public Task<FinalResults?> GetFinalAsync(string competition, int skill, string skillName, CancellationToken ct)
        {
            Asked.Add((competition, skill));
            if (skillName != "Welding")
            {
                return Task.FromResult<FinalResults?>(null);
            }
            return Task.FromResult<FinalResults?>(new FinalResults(new SkillResults(competition, skill, skillName, Published,
            [
                new(1, "w1", "Gold Welder", "CN", "Gold"),
                new(5, "w5", "Medallion Welder", "KR", "MedallionForExcellence"),
                new(12, "w12", "No Award", "FR", "None"),
            ]), 7));
        }
    }
}
