using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;
using SkillsHub.Storage;

using static SkillsHub.Bench.BenchHttp;

namespace SkillsHub.Bench;

/// <summary>
/// Marks through HTTP against a real node on a private, durable (fsync on) PostgreSQL:
/// (1) after --warmup seconds of the same load, many parallel experts for --seconds: durable marks/s and
/// CPU per mark; (2) a steady --rate marks/s: p50/p99
/// acknowledgement latency; (3) pgbench single-row inserts against the same PostgreSQL, the baseline.
/// </summary>
public static class MarksBench
{
    sealed record Options(int Seconds, int Experts, int Skills, int Rate, int RateSeconds, int PgbenchSeconds, int Warmup);

    static readonly string[] Competing = ["CN", "KR", "JP", "FR", "DE", "CH", "AT", "BR", "AU", "CA"];
    static readonly string[] Judges = ["BE", "DK", "NO", "SE", "IE", "NZ", "SG", "IT", "ES", "PT"];
    static readonly int[] SkillNumbers = [1, 2, 5, 6, 7, 8, 9, 10, 12, 13];

    public static int Run(string[] args) => RunAsync(Parse(args)).GetAwaiter().GetResult();

    static Options Parse(string[] args)
    {
        int Get(string name, int fallback) => BenchArgs.Int(args, name, fallback);
        return new Options(Get("--seconds", 60), Get("--experts", 60), Math.Min(SkillNumbers.Length, Get("--skills", 6)), Get("--rate", 100), Get("--rate-seconds", 30), Get("--pgbench-seconds", 20), Get("--warmup", 60));
    }

    sealed record Target(HttpClient Client, int Skill, string Competitor, MarkingScheme Scheme);

    static async Task<int> RunAsync(Options o)
    {
        Console.WriteLine($"marks bench: {o.Skills} skills x {Competing.Length} competitors, {o.Experts} parallel experts for {o.Seconds} s (after {o.Warmup} s warm-up), then {o.Rate} marks/s for {o.RateSeconds} s, then pgbench {o.PgbenchSeconds} s");
        var data = Path.Combine(Path.GetTempPath(), "skillshub-bench-" + Guid.NewGuid().ToString("N")[..8]);
        // Durable: fsync stays on, as in production.
        await using var postgres = await PrivatePostgres.StartAsync(new PrivatePostgresOptions { DataDirectory = data, Database = "bench", DeleteOnStop = true, Ephemeral = Environment.GetEnvironmentVariable("BENCH_NO_FSYNC") == "1" });
        var port = FreePort();
        await using var node = await SkillsHubNode.CreateAsync([
            $"--ConnectionStrings:Postgres={postgres.ConnectionString}",
            $"--urls=http://127.0.0.1:{port}", .. BenchHttp.ProductionArgs(port), $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Orleans=Error", "--Demo:Seed=false", "--Security:SignInPerMinute=100000",
        ]);
        await node.StartAsync();
        var scheme = SchemeJson.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "seed-data", "marking-schemes", "cnc-milling-sample.json"))).Scheme!;

        var organiser = await SignInAsync(node);
        var tablets = new List<(HttpClient Client, int Skill)>();
        foreach (var skill in SkillNumbers.Take(o.Skills))
        {
            var path = $"/api/competitions/WSC2024/skills/{skill:00}";
            await Put(organiser, $"{path}/competitors", "id,member,first_name,last_name\n" + string.Join("\n", Competing.Select(m => $"{m}-{skill},{m},Bench,{m}")), "text/csv");
            await Put(organiser, $"{path}/experts", "id,member,name,role\n" + string.Join("\n", Judges.Select((m, i) => $"E-{m},{m},Expert {m},{(i == 0 ? "Chief Expert" : "Expert")}")), "text/csv");
            await Put(organiser, $"{path}/scheme", SchemeJson.Write(scheme), "application/json");
            await Put(organiser, $"{path}/marking-groups", $"id,name,targets,experts\nG1,All,{string.Join(";", scheme.Criteria.Select(c => c.Id))},{string.Join(";", Judges.Select(m => "E-" + m))}", "text/csv");
            foreach (var m in Judges)
            {
                tablets.Add((await PairAsync(node, organiser, path, "E-" + m), skill));
            }
        }
        var measurement = scheme.Aspects.Where(a => a.Type == AspectType.Measurement).ToList();

        // Warm-up (not measured): the same load until the JIT's tiered compilation has caught up. On two
        // busy cores that takes about a minute, during which the node handles about half as many marks.
        await LoadAsync(tablets, measurement, o.Experts, o.Warmup, "warm");

        // Phase 1: throughput with many parallel experts.
        var meter = new CpuMeter(postgres.DataDirectory);
        var cpuBefore = meter.Read();
        var (acked, refused, latencies) = await LoadAsync(tablets, measurement, o.Experts, o.Seconds, "w");
        var throughput = acked / (double)o.Seconds;
        var cpuAfter = meter.Read();
        var dotnetPerMark = (cpuAfter.Self - cpuBefore.Self).TotalMilliseconds / Math.Max(1, acked);
        var postgresPerMark = (cpuAfter.Postgres - cpuBefore.Postgres).TotalMilliseconds / Math.Max(1, acked);
        var sorted = latencies.Order().ToArray();
        Console.WriteLine($"phase 1: {acked} marks acknowledged durable in {o.Seconds} s = {throughput:F0} marks/s ({refused} refused); latency p50 {Pct(sorted, 50):F1} ms, p99 {Pct(sorted, 99):F1} ms under full load");
        Console.WriteLine($"         CPU per mark: {dotnetPerMark:F2} ms in this process (node and HTTP clients), {postgresPerMark:F2} ms in PostgreSQL");

        // Phase 2: a steady rate, as on a competition floor.
        var steady = new ConcurrentBag<double>();
        var steadyFailures = 0;
        var total = o.Rate * o.RateSeconds;
        var clock = Stopwatch.StartNew();
        var inflight = new List<Task>();
        for (var n = 0; n < total; n++)
        {
            var due = TimeSpan.FromSeconds(n / (double)o.Rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var index = n;
            inflight.Add(Task.Run(async () =>
            {
                var (client, skill) = tablets[index % tablets.Count];
                var started = Stopwatch.GetTimestamp();
                var ok = await SendAsync(client, skill, $"{Competing[index % Competing.Length]}-{skill}", measurement[index % measurement.Count], $"steady-{index}", index);
                steady.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref steadyFailures);
                }
            }));
        }
        await Task.WhenAll(inflight);
        var steadySorted = steady.Order().ToArray();
        Console.WriteLine($"phase 2: {total} marks at {o.Rate}/s: p50 {Pct(steadySorted, 50):F1} ms, p99 {Pct(steadySorted, 99):F1} ms, max {steadySorted[^1]:F1} ms ({steadyFailures} not acknowledged)");

        // Phase 3: the baseline, pgbench single-row inserts on the same PostgreSQL.
        var pgbench = await PgbenchAsync(postgres, o.PgbenchSeconds);
        Console.WriteLine($"phase 3: pgbench single-row insert (16 clients, 2 threads): {pgbench:F0} tps");

        // Phase 4: what the durable idempotency store costs the database: a mark's rows (audit row + entry upsert)
        // with and without its key record, as pgbench scripts on the same PostgreSQL, one mark per transaction and
        // 16 marks per transaction (the shape of the node's group commit under load).
        var (withKeys, withoutKeys) = await KeyStoreCostAsync(postgres, o.PgbenchSeconds, marksPerTransaction: 1);
        Console.WriteLine($"phase 4: one mark per transaction in pgbench: with key record {withKeys:F0} marks/s, without {withoutKeys:F0} (key store costs {1 - withKeys / withoutKeys:P1})");
        var (withKeys16, withoutKeys16) = await KeyStoreCostAsync(postgres, o.PgbenchSeconds, marksPerTransaction: 16);
        Console.WriteLine($"         16 marks per transaction:        with key record {withKeys16:F0} marks/s, without {withoutKeys16:F0} (key store costs {1 - withKeys16 / withoutKeys16:P1})");

        // Phase 5: what one transaction per mark allows here: the node's whole write for one mark (key record, audit
        // row, entry upsert, sheet version) as one request and one transaction, with no HTTP, Orleans or .NET in the
        // way. The node shares transactions between marks (group commit), so it can go past this.
        var ceiling = await MarkCeilingAsync(postgres, o.PgbenchSeconds);
        Console.WriteLine($"phase 5: one mark's whole transaction per round trip in pgbench: {ceiling:F0} tps = {ceiling / pgbench:P1} of single-row inserts; the node (group commit) reached {throughput / ceiling:P1} of it");
        Console.WriteLine();
        Console.WriteLine($"RESULT durable marks/s {throughput:F0} = {throughput / pgbench:P1} of pgbench's {pgbench:F0} inserts/s; at {o.Rate} marks/s p50 {Pct(steadySorted, 50):F1} ms p99 {Pct(steadySorted, 99):F1} ms");
        Console.WriteLine($"goal: >= 2000 marks/s and >= 0.3 of pgbench ({(throughput >= 2000 && throughput / pgbench >= 0.3 ? "met" : "NOT met")}), p99 <= 25 ms at 100 marks/s ({(Pct(steadySorted, 99) <= 25 ? "met" : "NOT met")})");
        return 0;
    }

    static async Task<(long Acked, long Refused, ConcurrentBag<double> Latencies)> LoadAsync(List<(HttpClient Client, int Skill)> tablets, List<Aspect> measurement, int experts, int seconds, string keyPrefix)
    {
        var acked = 0L;
        var refused = 0L;
        var latencies = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var workers = Enumerable.Range(0, experts).Select(w => Task.Run(async () =>
        {
            var (client, skill) = tablets[w % tablets.Count];
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var competitor = $"{Competing[(w + i) % Competing.Length]}-{skill}";
                var aspect = measurement[(w * 7 + i) % measurement.Count];
                var started = Stopwatch.GetTimestamp();
                var ok = await SendAsync(client, skill, competitor, aspect, $"{keyPrefix}{w}-{i}", i);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref ok ? ref acked : ref refused);
                i++;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (acked, refused, latencies);
    }

    static async Task<bool> SendAsync(HttpClient client, int skill, string competitor, Aspect aspect, string key, int i)
    {
        object mark = aspect.Bands.Count > 0 ? new { aspectId = aspect.Id, deviation = (i % 5) * 0.01m }
            : aspect.Deductions.Count > 0 ? new { aspectId = aspect.Id, deductions = aspect.Deductions.Select(_ => i % 2).ToArray() }
            : new { aspectId = aspect.Id, achieved = i % 3 != 0 };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/competitions/WSC2024/skills/{skill:00}/marks")
        {
            Content = JsonContent.Create(new { competitorId = competitor, marks = new[] { mark } }),
        };
        request.Headers.Add("Idempotency-Key", key);
        try
        {
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];

    static async Task<HttpClient> SignInAsync(SkillsHubNode node)
    {
        await node.Services.GetRequiredService<AccountStore>().CreateAsync("bench-organiser", "Bench", "bench password 123", [Roles.Organiser], null);
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), MaxConnectionsPerServer = 256 }) { BaseAddress = node.BaseAddress };
        if (await BenchHttp.SignInAsync(client, "bench-organiser", "bench password 123") != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException("sign-in as bench-organiser failed");
        }
        return client;
    }

    static async Task<HttpClient> PairAsync(SkillsHubNode node, HttpClient organiser, string path, string expertId)
    {
        var code = await (await organiser.PostAsJsonAsync($"{path}/pairing-codes", new { expertId })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<CodeDto>();
        var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        var device = await (await anonymous.PostAsJsonAsync("/api/pairing/redeem", new { code = code!.Code, deviceName = "bench" })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<DeviceDto>();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = node.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device!.Token);
        return client;
    }

    static async Task<(double With, double Without)> KeyStoreCostAsync(PrivatePostgres postgres, int seconds, int marksPerTransaction)
    {
        // Each client writes its own rows; "\;" sends a transaction as one query (one round trip), as the node does.
        var entry = $"""
            insert into skillshub.audit (competition_code, skill_number, competitor_id, aspect_id, actor, device, action, outcome, new_value, idempotency_key)
              select 'BENCH', 1, 'C' || :client_id || '-' || n, 'A1.1', 'E' || :client_id, 'bench', 'mark', 'accepted', 'achieved', md5(random()::text)
              from generate_series(1, {marksPerTransaction}) n \;
            insert into skillshub.mark_entries (competition_code, skill_number, competitor_id, aspect_id, expert_id, achieved, device, changed)
              select 'BENCH', 1, 'C' || :client_id || '-' || n, 'A1.1', 'E' || :client_id, true, 'bench', 1
              from generate_series(1, {marksPerTransaction}) n
              on conflict (competition_code, skill_number, competitor_id, aspect_id, expert_id) do update set achieved = excluded.achieved, changed = excluded.changed + 1 \;
            """;
        var key = $$"""
            insert into skillshub.mark_requests (competition_code, skill_number, expert_id, idempotency_key, competitor_id, request_hash, answer)
              select 'BENCH', 1, 'E' || :client_id, md5(random()::text), 'C' || :client_id || '-' || n, sha256('x'), '{"ok":true,"t":1764500000000,"raw":40.0,"a":["A1.1"]}'
              from generate_series(1, {{marksPerTransaction}}) n \;
            """;
        var with = await Pgbench.TpsAsync(postgres, "begin \\;\n" + key + entry + "commit;\n", clients: 16, seconds);
        var without = await Pgbench.TpsAsync(postgres, "begin \\;\n" + entry + "commit;\n", clients: 16, seconds);
        return (with * marksPerTransaction, without * marksPerTransaction);
    }

    static async Task<double> MarkCeilingAsync(PrivatePostgres postgres, int seconds)
    {
        const int clients = 16;
        await using (var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var sheets = new Npgsql.NpgsqlCommand(
                $"insert into skillshub.mark_sheets select 'CEIL', 1, 'S' || n, 0 from generate_series(0, {clients}) n on conflict do nothing", connection);
            await sheets.ExecuteNonQueryAsync();
        }
        // "\;" makes pgbench send the statements as one query: one round trip, as the node's NpgsqlBatch.
        const string script = """
            begin \;
            insert into skillshub.mark_requests (competition_code, skill_number, expert_id, idempotency_key, competitor_id, request_hash, answer)
              values ('CEIL', 1, 'E' || :client_id, md5(random()::text), 'S' || :client_id, sha256('x'), '{"ok":true,"t":1764500000000,"raw":40.0,"a":["A1.1"]}') \;
            insert into skillshub.audit (competition_code, skill_number, competitor_id, aspect_id, actor, device, action, outcome, new_value, idempotency_key)
              values ('CEIL', 1, 'S' || :client_id, 'A1.1', 'E' || :client_id, 'bench', 'mark', 'accepted', 'achieved', md5(random()::text)) \;
            insert into skillshub.mark_entries (competition_code, skill_number, competitor_id, aspect_id, expert_id, achieved, device, changed)
              values ('CEIL', 1, 'S' || :client_id, 'A1.1', 'E' || :client_id, true, 'bench', 1)
              on conflict (competition_code, skill_number, competitor_id, aspect_id, expert_id) do update set achieved = excluded.achieved, changed = excluded.changed + 1 \;
            update skillshub.mark_sheets set version = version + 1 where competition_code = 'CEIL' and skill_number = 1 and competitor_id = 'S' || :client_id \;
            commit;
            """;
        return await Pgbench.TpsAsync(postgres, script, clients, seconds);
    }

    static async Task<double> PgbenchAsync(PrivatePostgres postgres, int seconds)
    {
        await using (var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("create table if not exists pgbench_marks (id bigint generated always as identity primary key, competitor text, aspect text, value numeric, at timestamptz default now())", connection);
            await create.ExecuteNonQueryAsync();
        }
        return await Pgbench.TpsAsync(postgres, "insert into pgbench_marks (competitor, aspect, value) values ('CN-07', 'A1.1', 1.00);\n", clients: 16, seconds);
    }
}
