using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;
using SkillsHub.Storage;

using static SkillsHub.Bench.BenchHttp;

namespace SkillsHub.Bench;

/// <summary>
/// Public certificate lookups under load, driven by wrk (Debian's wrk package). Issues --count
/// certificates through the real import, rating and issuance jobs, then wrk asks the public lookup
/// path a scanned QR code opens, GET /api/certificates/{number}?t={access token}, for random issued
/// numbers for --seconds over --connections connections (a number alone answers nothing, so that is
/// the lookup path; docs/security.md, "What is public"). The node keeps its per-address rate
/// limiter in the measured path with the limit raised, as every wrk request comes from 127.0.0.1, and
/// its lookup cache as configured (docs/security.md). In the same run, for scale: the same wrk against
/// /health/live (an endpoint that does no work: this node's HTTP ceiling on this machine) and pgbench's
/// point select of a certificate by number on the same PostgreSQL. Goal: 10,000 lookups/s, p99 20 ms.
/// </summary>
public static partial class LookupBench
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    static async Task<int> RunAsync(string[] args)
    {
        var count = BenchArgs.Int(args, "--count", 20_000);
        var seconds = BenchArgs.Int(args, "--seconds", 20);
        var connections = BenchArgs.Int(args, "--connections", 50);
        var warmup = BenchArgs.Int(args, "--warmup", 30);
        var wrk = new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("wrk not found (Debian: apt-get install -y wrk).");

        await using var postgres = await PrivatePostgres.StartTemporaryAsync("bench");
        var port = FreePort();
        await using var node = await SkillsHubNode.CreateAsync([
            $"--ConnectionStrings:Postgres={postgres.ConnectionString}", $"--urls=http://127.0.0.1:{port}", .. BenchHttp.ProductionArgs(port),
            $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Hangfire=Error",
            "--Demo:Seed=false", "--Certification:Lookup:PermitLimit=1000000000",
        ]);
        await node.StartAsync();
        var store = node.Services.GetRequiredService<CertificationStore>();
        var jobs = node.Services.GetRequiredService<IBackgroundJobClient>();
        var db = node.Services.GetRequiredService<NpgsqlDataSource>();
        await node.Services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(CertificationBench.Agency), "Bench agency", [(CertificationBench.Welder, SkillLevel.Level5)], default);
        var session = await store.CreateSessionAsync(CertificationBench.Agency, CertificationBench.Welder, "", 5, new DateOnly(2025, 6, 1), null, "bench", default);
        await CertificationBench.ImportAsync(store, jobs, db, "candidates", session, CertificationBench.Candidates(count, 0));
        await CertificationBench.ImportAsync(store, jobs, db, "results", session, CertificationBench.Results(count, 0));
        await CertificationBench.RunJobAsync(node.Services.GetRequiredService<SkillsHub.Server.Jobs.JobProgressStore>(), jobs, db, "rate", session);
        await CertificationBench.RunJobAsync(node.Services.GetRequiredService<SkillsHub.Server.Jobs.JobProgressStore>(), jobs, db, "issue", session);

        var numbers = new List<string>();
        await using (var connection = await db.OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("select number from skillshub.certificates order by number", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                numbers.Add(reader.GetString(0));
            }
        }
        Console.WriteLine($"lookups: {numbers.Count:N0} certificates issued; wrk {connections} connections, 2 threads, {seconds} s per run");
        var tokens = node.Services.GetRequiredService<RegistryTokens>();
        var numbersFile = Path.GetTempFileName();
        await File.WriteAllLinesAsync(numbersFile, numbers.Select(n => $"{n}?t={tokens.For(n)}"));
        var script = await LuaScriptAsync(numbersFile);
        var baseAddress = $"http://127.0.0.1:{port}";
        // The bench measures the privacy-preserving path: a number alone answers the same 400 whatever it is, with the token the record.
        using (var http = new HttpClient { BaseAddress = new Uri(baseAddress) })
        {
            var alone = await http.GetAsync($"/api/certificates/{numbers[0]}");
            var withToken = await http.GetStringAsync($"/api/certificates/{numbers[0]}?t={tokens.For(numbers[0])}");
            if (alone.StatusCode != HttpStatusCode.BadRequest || !withToken.Contains("\"accessToken\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The lookup answers are not as docs/security.md says: {(int)alone.StatusCode} / {withToken}");
            }
        }
        // A short run first, so the JIT has compiled the hot path before anything is measured.
        await WrkAsync(wrk, ["-t2", $"-c{connections}", $"-d{warmup}s", "-s", script, baseAddress]);

        var lookups = await WrkAsync(wrk, ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, baseAddress]);
        var live = await WrkAsync(wrk, ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", baseAddress + "/health/live"]);
        var prefix = numbers[0][..16];
        var pgbench = await Pgbench.TpsAsync(postgres,
            $"\\set n random(1, {numbers.Count})\nselect * from skillshub.certificates where number = '{prefix}' || lpad(:n::text, 6, '0');\n", clients: connections, seconds);

        Console.WriteLine($"GET /api/certificates/{{number}}?t=: {lookups.RequestsPerSecond:N0} lookups/s, p50 {lookups.P50:F2} ms, p99 {lookups.P99:F2} ms, {lookups.Errors} not 200");
        Console.WriteLine($"GET /health/live (no work)    : {live.RequestsPerSecond:N0} requests/s, p50 {live.P50:F2} ms, p99 {live.P99:F2} ms");
        Console.WriteLine($"pgbench point select           : {pgbench:N0} selects/s");
        Console.WriteLine($"rate limiter (kept on)         : {LimiterNanoseconds():N0} ns per lookup (the lookup policy's partitioned fixed window, keyed as the node keys it, 2 threads)");
        // Other work on the machine shows in every figure above (p99 above all): say how busy it was.
        Console.WriteLine($"load average (1, 5, 15 min)    : {(File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown")} on {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"RESULT lookups {lookups.RequestsPerSecond:N0}/s = {lookups.RequestsPerSecond / live.RequestsPerSecond:P0} of the empty endpoint's {live.RequestsPerSecond:N0}/s and {lookups.RequestsPerSecond / pgbench:P0} of pgbench's {pgbench:N0} selects/s; p99 {lookups.P99:F2} ms");
        Console.WriteLine($"goal: >= 10000 lookups/s ({(lookups.RequestsPerSecond >= 10_000 ? "met" : "NOT met")}), p99 <= 20 ms ({(lookups.P99 <= 20 ? "met" : "NOT met")}); every answer 200: {(lookups.Errors == 0 ? "yes" : "NO")}");
        foreach (var file in new[] { script, numbersFile })
        {
            File.Delete(file);
        }
        await node.StopAsync();
        return 0;
    }

    /// <summary>
    /// The rate limiter's own cost per request: the lookup policy's limiter (a partitioned fixed window
    /// keyed by <see cref="RateLimiting.PartitionOf"/>, as Certification/CertificationRegistration.cs builds it)
    /// acquired and released 2 x 1,000,000 times from two threads for one client, as wrk's requests are.
    /// </summary>
    static double LimiterNanoseconds()
    {
        using var limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetFixedWindowLimiter(RateLimiting.PartitionOf(http),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 1_000_000_000, Window = TimeSpan.FromSeconds(60), QueueLimit = 0 }));
        const int perThread = 1_000_000;
        void Acquire()
        {
            var http = new DefaultHttpContext();
            http.Connection.RemoteIpAddress = IPAddress.Loopback;
            for (var i = 0; i < perThread; i++)
            {
                using var lease = limiter.AttemptAcquire(http);
                if (!lease.IsAcquired)
                {
                    throw new InvalidOperationException("The limiter refused a permit.");
                }
            }
        }
        Acquire();
        var clock = Stopwatch.StartNew();
        Parallel.Invoke(Acquire, Acquire);
        return clock.Elapsed.TotalNanoseconds / (2.0 * perThread) * 2; // two threads on two cores: CPU time per request
    }

    /// <summary>A wrk script asking for a random line of the file (a number, or a number with its ?t= token) per request.</summary>
    static async Task<string> LuaScriptAsync(string linesFile)
    {
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, $$"""
            local paths = {}
            for line in io.lines("{{linesFile}}") do paths[#paths + 1] = "/api/certificates/" .. line end
            math.randomseed(os.time())
            request = function()
              return wrk.format("GET", paths[math.random(#paths)])
            end
            """);
        return script;
    }

    sealed record WrkResult(double RequestsPerSecond, double P50, double P99, long Errors);

    static async Task<WrkResult> WrkAsync(string wrk, string[] args)
    {
        var start = new ProcessStartInfo(wrk, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rate = RequestsPerSecond().Match(output);
        if (process.ExitCode != 0 || !rate.Success)
        {
            throw new InvalidOperationException("wrk output: " + output + await process.StandardError.ReadToEndAsync());
        }
        double Percentile(string p) => Percentiles().Matches(output).FirstOrDefault(m => m.Groups[1].Value == p) is { } m
            ? double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * m.Groups[3].Value switch { "us" => 0.001, "s" => 1000, _ => 1 }
            : double.NaN;
        var errors = NotOk().Match(output) is { Success: true } e ? long.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrors().Match(output) is { Success: true } s ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), Percentile("50"), Percentile("99"), errors + socketErrors);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentiles();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NotOk();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
