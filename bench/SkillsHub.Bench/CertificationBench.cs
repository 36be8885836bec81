using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Jobs;
using SkillsHub.Storage;

using static SkillsHub.Bench.BenchHttp;

namespace SkillsHub.Bench;

/// <summary>
/// Issues N certificates (default 100,000) from one evaluation import through the real jobs on a real
/// node (private PostgreSQL, Hangfire): candidates CSV -> results CSV -> rating job -> issuance job.
/// Then the baseline: Hangfire with one job per certificate on B certificates (default 2,000).
/// Goal: 100,000 certificates in at most 60 s.
/// </summary>
public static class CertificationBench
{
    internal const string Agency = "S000031000001";
    internal const string Welder = "6-18-02-04";

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    static async Task<int> RunAsync(string[] args)
    {
        var count = BenchArgs.Int(args, "--count", 100_000);
        var baseline = BenchArgs.Int(args, "--baseline", 2_000);
        var workers = BenchArgs.Int(args, "--workers", Math.Max(2, Environment.ProcessorCount));
        await using var postgres = await PrivatePostgres.StartTemporaryAsync("bench");
        var port = FreePort();
        await using var node = await SkillsHubNode.CreateAsync([
            $"--ConnectionStrings:Postgres={postgres.ConnectionString}", $"--urls=http://127.0.0.1:{port}", .. BenchHttp.ProductionArgs(port),
            $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Hangfire=Error",
            $"--Jobs:WorkerCount={workers}",
        ]);
        await node.StartAsync();
        var store = node.Services.GetRequiredService<CertificationStore>();
        var jobs = node.Services.GetRequiredService<IBackgroundJobClient>();
        var db = node.Services.GetRequiredService<NpgsqlDataSource>();
        await node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(Agency), "Bench agency", [(Welder, SkillLevel.Level5)], default);

        Console.WriteLine($"certificates: {count:N0} candidates in one session, {workers} Hangfire workers, PostgreSQL {postgres.Port}");
        var session = await store.CreateSessionAsync(Agency, Welder, "", 5, new DateOnly(2025, 6, 1), null, "bench", default);
        var total = Stopwatch.StartNew();
        var phase = Stopwatch.StartNew();
        await ImportAsync(store, jobs, db, "candidates", session, Candidates(count, 0));
        Console.WriteLine($"  import candidates : {phase.Elapsed.TotalSeconds,7:F2} s");
        phase.Restart();
        await ImportAsync(store, jobs, db, "results", session, Results(count, 0));
        Console.WriteLine($"  import results    : {phase.Elapsed.TotalSeconds,7:F2} s");
        phase.Restart();
        await RunJobAsync(node.Services.GetRequiredService<JobProgressStore>(), jobs, db, "rate", session);
        Console.WriteLine($"  rating job        : {phase.Elapsed.TotalSeconds,7:F2} s");
        phase.Restart();
        await RunJobAsync(node.Services.GetRequiredService<JobProgressStore>(), jobs, db, "issue", session);
        var issueSeconds = phase.Elapsed.TotalSeconds;
        var issued = await Scalar(db, "select count(*) from skillshub.certificates");
        Console.WriteLine($"  issuance job      : {issueSeconds,7:F2} s  -> {issued / issueSeconds:N0} certificates/s");
        Console.WriteLine($"  end to end        : {total.Elapsed.TotalSeconds,7:F2} s for {issued:N0} certificates (import + rate + issue) -> {issued / total.Elapsed.TotalSeconds:N0} certificates/s; goal <= 60 s: {(total.Elapsed.TotalSeconds <= 60 ? "met" : "NOT met")}");
        var gaps = await Scalar(db, "select count(*) - max(serial) from skillshub.certificates");
        Console.WriteLine($"  serial check      : {issued:N0} issued, max serial {await Scalar(db, "select max(serial) from skillshub.certificates"):N0}, gaps {gaps}");

        // Baseline: one Hangfire job per certificate.
        var second = await store.CreateSessionAsync(Agency, Welder, "", 5, new DateOnly(2025, 6, 1), null, "bench", default);
        await ImportAsync(store, jobs, db, "candidates", second, Candidates(baseline, count));
        await ImportAsync(store, jobs, db, "results", second, Results(baseline, count));
        await RunJobAsync(node.Services.GetRequiredService<JobProgressStore>(), jobs, db, "rate", second);
        var ids = (await (await db.OpenConnectionAsync()).QueryAsync<long>("select id from skillshub.evaluations where session_id = @second order by id", new { second })).ToList();
        phase.Restart();
        foreach (var id in ids)
        {
            jobs.Enqueue<CertificationJobs>(j => j.IssueOne(id, CancellationToken.None));
        }
        var enqueueSeconds = phase.Elapsed.TotalSeconds;
        while (await Scalar(db, $"select count(*) from skillshub.evaluations where session_id = {second} and certificate_number is not null") < baseline)
        {
            await Task.Delay(100);
        }
        var baselineSeconds = phase.Elapsed.TotalSeconds;
        Console.WriteLine($"baseline: one job per certificate, {baseline:N0} certificates: {baselineSeconds:F2} s (enqueue {enqueueSeconds:F2} s) -> {baseline / baselineSeconds:N0} certificates/s");
        Console.WriteLine($"batch / baseline speed-up: {issued / issueSeconds / (baseline / baselineSeconds):F1}x");
        await node.StopAsync();
        return 0;
    }

    internal static async Task ImportAsync(CertificationStore store, IBackgroundJobClient jobs, NpgsqlDataSource db, string kind, long session, string csv)
    {
        var id = await store.CreateImportAsync(kind, Agency, session, kind + ".csv", Encoding.UTF8.GetBytes(csv), "bench", default);
        jobs.Enqueue<CertificationJobs>(j => j.Import(id, CancellationToken.None));
        await WaitAsync(db, $"select status from skillshub.job_progress where id = '{id}'", ["succeeded"], ["rejected", "failed"]);
    }

    internal static async Task RunJobAsync(JobProgressStore progress, IBackgroundJobClient jobs, NpgsqlDataSource db, string kind, long session)
    {
        var run = await progress.CreateAsync(kind, Agency, session, "bench", 0, default);
        if (kind == "rate")
        {
            jobs.Enqueue<CertificationJobs>(j => j.Rate(run, null, CancellationToken.None));
        }
        else
        {
            jobs.Enqueue<CertificationJobs>(j => j.Issue(run, null, CancellationToken.None));
        }
        await WaitAsync(db, $"select status from skillshub.job_progress where id = '{run}'", ["succeeded"], ["failed"]);
    }

    static async Task WaitAsync(NpgsqlDataSource db, string sql, string[] done, string[] failed)
    {
        while (true)
        {
            await using var connection = await db.OpenConnectionAsync();
            var status = await connection.ExecuteScalarAsync<string>(sql);
            if (done.Contains(status))
            {
                return;
            }
            if (failed.Contains(status))
            {
                throw new InvalidOperationException($"{sql}: {status}");
            }
            await Task.Delay(50);
        }
    }

    internal static async Task<long> Scalar(NpgsqlDataSource db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    internal static string Candidates(int n, int offset)
    {
        var csv = new StringBuilder("name,id_type,id_number,education,in_occupation_since,held_level,held_since\n");
        for (var i = offset + 1; i <= offset + n; i++)
        {
            csv.Append("Candidate ").Append(i).Append(",passport,P").Append(i.ToString("0000000")).Append(",none,2020-01-01,,\n");
        }
        return csv.ToString();
    }

    internal static string Results(int n, int offset)
    {
        var csv = new StringBuilder("id_type,id_number,theory,practical,review\n");
        for (var i = offset + 1; i <= offset + n; i++)
        {
            csv.Append("passport,P").Append(i.ToString("0000000")).Append(",75,80,\n");
        }
        return csv.ToString();
    }
}
