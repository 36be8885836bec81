using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillsHub.Abstractions;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;
using SkillsHub.Storage;
using static SkillsHub.Bench.BenchHttp;

namespace SkillsHub.Bench;

/// <summary>
/// The competition-wide judging report end to end: a node on a private PostgreSQL, WSC2024's 59 skills
/// each with its share of 1,333 competitors, 3 judges and 30 judgement aspects, every set scored through
/// the contestant grains (one batch of 30 scores per judge and competitor, audited like any mark), then
/// GET /api/competitions/WSC2024/judging-report as an organiser: the judgement scores in one query on
/// the stored marks, roster and groups from each skill's event grain, the audit counts in one query, the
/// report computed and serialised.
/// </summary>
public static class JudgingReportHttpBench
{
    const int Competitors = 1333;
    const int Aspects = 30;
    const int Judges = 3;

    public static int Run(int iterations) => RunAsync(iterations).GetAwaiter().GetResult();

    static async Task<int> RunAsync(int iterations)
    {
        await using var postgres = await PrivatePostgres.StartTemporaryAsync("bench");
        var port = FreePort();
        await using var node = await SkillsHubNode.CreateAsync([
            $"--ConnectionStrings:Postgres={postgres.ConnectionString}",
            $"--urls=http://127.0.0.1:{port}", .. ProductionArgs(port), $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Orleans=Error", "--Demo:Seed=false", "--Security:SignInPerMinute=100000",
        ]);
        await node.StartAsync();
        var grains = node.Services.GetRequiredService<IGrainFactory>();
        int[] skills;
        string[] members;
        await using (var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            skills = (await connection.QueryAsync<int>("select number from skillshub.skills where competition_code = 'WSC2024' order by number")).ToArray();
            members = (await connection.QueryAsync<string>("select code from skillshub.members order by code")).Take(66).ToArray();
        }
        // 30 judgement aspects summing to exactly 100.00: ten of 3.34 and twenty of 3.33.
        var scheme = "{\"title\":\"Bench\",\"criteria\":[{\"id\":\"A\",\"name\":\"Judged\",\"subCriteria\":[{\"id\":\"A1\",\"name\":\"Judged\",\"aspects\":[" +
            string.Join(",", Enumerable.Range(1, Aspects).Select(i =>
                $"{{\"id\":\"A1.{i}\",\"type\":\"J\",\"description\":\"Aspect {i}\",\"markingDay\":\"C1\",\"maxMark\":{(i <= 10 ? "3.34" : "3.33")},\"descriptors\":[\"0\",\"1\",\"2\",\"3\"]}}")) +
            "]}]}]}";
        var random = new Random(2024);
        var clock = Stopwatch.StartNew();
        var marked = 0;
        for (var s = 0; s < skills.Length; s++)
        {
            var number = skills[s];
            var count = Competitors / skills.Length + (s < Competitors % skills.Length ? 1 : 0);
            var competing = Enumerable.Range(0, count).Select(c => members[(s * 7 + c) % members.Length]).Distinct().ToList();
            var judges = members.Where(m => !competing.Contains(m)).OrderBy(_ => random.Next()).Take(Judges + 1).ToList();
            var eventGrain = grains.GetGrain<IEventGrain>(SkillKey.Format("WSC2024", number));
            Check(await eventGrain.SetScheme(scheme, Judges, allowCompatriots: false, "bench"));
            Check(await eventGrain.ImportCompetitors(competing.Select(m => new CompetitorInfo($"{m}-{number:00}", m, $"Bench {m}", [new PersonName("Bench", m)])).ToList(), onePerMember: true, "bench"));
            var experts = judges.Select((m, i) => new ExpertInfo($"E-{m}", m, $"Bench expert {m}", i == 0 ? ExpertRole.ChiefExpert : ExpertRole.Expert)).ToList();
            Check(await eventGrain.ImportExperts(experts, "bench"));
            Check(await eventGrain.SetMarkingGroups([new MarkingGroup("G1", "All", ["A"], experts.Skip(1).Select(e => e.Id).ToList())], "bench"));
            var lenient = experts[1].Id;
            await Task.WhenAll(competing.Select(async member =>
            {
                var ability = random.Next(1, 3);
                var contestant = grains.GetGrain<IContestantGrain>(SkillKey.Contestant("WSC2024", number, $"{member}-{number:00}"));
                foreach (var judge in experts.Skip(1))
                {
                    var marks = Enumerable.Range(1, Aspects).Select(i => new MarkEntry($"A1.{i}", Score: judge.Id == lenient && i % 2 == 0 ? ability + 1 : ability)).ToList();
                    var answer = await contestant.Submit(new MarkBatch($"bench-{member}-{number:00}-{judge.Id}", judge.Id, "bench", $"{member}-{number:00}", marks));
                    if (!answer.Accepted)
                    {
                        throw new InvalidOperationException($"refused: {answer.Refusals[0].Message}");
                    }
                    Interlocked.Add(ref marked, marks.Count);
                }
            }));
        }
        Console.WriteLine($"judging --http: {skills.Length} skills, {marked:N0} judgement scores entered through the grains in {clock.Elapsed.TotalSeconds:F1} s");
        // What autovacuum does within a minute of a bulk load: without statistics the planner takes the
        // 120,000 audit rows for a few hundred and sorts them on disk instead of hashing 177 groups.
        await using (var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await connection.ExecuteAsync("analyze skillshub.mark_entries; analyze skillshub.audit");
        }

        await node.Services.GetRequiredService<AccountStore>().CreateAsync("bench-organiser", "Bench", "bench password 123", [Roles.Organiser], null);
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = "bench-organiser", password = "bench password 123" })).EnsureSuccessStatusCode();
        var times = new double[iterations];
        var bytes = 0;
        // CPU time per request (this process, which is client and node, and PostgreSQL): on a shared
        // machine the wall time above measures the neighbours too, CPU time much less so.
        var meter = new CpuMeter(postgres.DataDirectory);
        var cpu = (Self: TimeSpan.Zero, Postgres: TimeSpan.Zero);
        for (var i = -3; i < iterations; i++)
        {
            if (i == 0)
            {
                cpu = meter.Read();
            }
            var watch = Stopwatch.StartNew();
            var body = await (await client.GetAsync("/api/competitions/WSC2024/judging-report")).EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
            watch.Stop();
            bytes = body.Length;
            if (i >= 0)
            {
                times[i] = watch.Elapsed.TotalMilliseconds;
            }
        }
        var end = meter.Read();
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GET /api/competitions/WSC2024/judging-report ({bytes / 1024.0:F0} KiB) over {iterations} requests after 3 warm-up: median {times[iterations / 2]:F1} ms, min {times[0]:F1} ms, p90 {times[(int)(iterations * 0.9)]:F1} ms, max {times[^1]:F1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per request (mean): node and client {(end.Self - cpu.Self).TotalMilliseconds / iterations:F1} ms, PostgreSQL {(end.Postgres - cpu.Postgres).TotalMilliseconds / iterations:F1} ms; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));

        // The first request after the grains were deactivated (as after a restart or a quiet hour): the
        // scores come from the stored marks, so no contestant grain is activated; the 59 event grains are.
        var management = grains.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        var cold = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            var watch = Stopwatch.StartNew();
            (await client.GetAsync("/api/competitions/WSC2024/judging-report")).EnsureSuccessStatusCode();
            cold.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the same after every grain was deactivated: median {cold.Order().ElementAt(1):F1} ms of 3"));

        // Where the time goes: reading the inputs (stored scores, rosters from the event grains, audit counts), computing, serialising.
        var source = new SkillsHub.Server.JudgingReports.JudgingReportSource(grains, node.Services.GetRequiredService<NpgsqlDataSource>());
        var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var (load, compute, serialise) = (new List<double>(), new List<double>(), new List<double>());
        for (var i = 0; i < Math.Max(5, iterations / 2); i++)
        {
            var watch = Stopwatch.StartNew();
            var data = await source.LoadCompetitionAsync("WSC2024", CancellationToken.None);
            load.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            var report = SkillsHub.Domain.JudgingReport.JudgingReportCalculator.ForCompetition(data);
            compute.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            _ = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, json);
            serialise.Add(watch.Elapsed.TotalMilliseconds);
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"breakdown (medians): reading scores, rosters and audit counts {Median(load):F1} ms, computing {Median(compute):F1} ms, serialising {Median(serialise):F1} ms"));
        return 0;
    }

    static void Check(SetupResult result)
    {
        if (result.Errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        }
    }
}
