using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Server.Hosting;
using SkillsHub.Storage;

using static SkillsHub.Bench.BenchHttp;

namespace SkillsHub.Bench;

/// <summary>
/// How long a job takes to start on an idle node: jobs enqueued one at a time through a real node's Hangfire (its own
/// settings: long polling, two workers), each awaited until it runs. A job not started after --stuck-after seconds is
/// counted as stuck; the next job's notification then frees its worker. The baseline in the same run is the node with
/// the keepalive off (Keepalive=0 in its connection string), as before 2026-12-06 (docs/operations.md, "A job that did
/// not start"). Run it on a busy machine too (the stall is a race that load makes likelier).
/// </summary>
public static class JobStartBench
{
    static readonly ConcurrentDictionary<int, long> Started = new();

    /// <summary>The job: notes when it ran.</summary>
    public static void Touch(int id) => Started[id] = Stopwatch.GetTimestamp();

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    static async Task<int> RunAsync(string[] args)
    {
        var count = BenchArgs.Int(args, "--jobs", 3_000);
        var stuckAfter = TimeSpan.FromSeconds(BenchArgs.Int(args, "--stuck-after", 5));
        Console.WriteLine($"jobs: {count:N0} jobs one at a time on an idle node, each awaited until it starts (stuck after {stuckAfter.TotalSeconds:F0} s)");
        var baseline = await PhaseAsync("Keepalive=0 (before)", ";Keepalive=0", count, stuckAfter);
        var tuned = await PhaseAsync($"Keepalive={SkillsHubDatabase.KeepAliveSeconds} (now)", "", count, stuckAfter);
        Console.WriteLine($"  stuck jobs, now / before: {tuned} / {baseline}");
        return 0;
    }

    /// <summary>Runs the jobs on a node of its own with <paramref name="extra"/> added to its connection string; returns how many stuck.</summary>
    static async Task<int> PhaseAsync(string name, string extra, int count, TimeSpan stuckAfter)
    {
        await using var postgres = await PrivatePostgres.StartTemporaryAsync("bench");
        var port = FreePort();
        await using var node = await SkillsHubNode.CreateAsync([
            $"--ConnectionStrings:Postgres={postgres.ConnectionString}{extra}", $"--urls=http://127.0.0.1:{port}", .. ProductionArgs(port),
            $"--Orleans:SiloPort={FreePort()}", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Hangfire=Error",
        ]);
        await node.StartAsync();
        Started.Clear(); // the previous phase's node, and any job it never ran, are gone
        var jobs = node.Services.GetRequiredService<IBackgroundJobClient>();
        await Task.Delay(TimeSpan.FromSeconds(2)); // the workers waiting on the queue
        var latencies = new List<double>(count);
        var stuck = 0;
        var pause = new Random(7);
        for (var i = 0; i < count; i++)
        {
            var enqueued = Stopwatch.GetTimestamp();
            jobs.Enqueue(() => Touch(i));
            var started = false;
            while (!(started = Started.ContainsKey(i)) && Stopwatch.GetElapsedTime(enqueued) < stuckAfter)
            {
                await Task.Delay(1);
            }
            if (!started)
            {
                stuck++;
                Console.WriteLine($"  {name}: job {i} not started after {stuckAfter.TotalSeconds:F0} s");
                continue;
            }
            latencies.Add(Stopwatch.GetElapsedTime(enqueued, Started[i]).TotalMilliseconds);
            await Task.Delay(pause.Next(0, 20)); // the workers back to waiting, at a moment that varies
        }
        latencies.Sort();
        double At(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        Console.WriteLine($"  {name,-22}: started {latencies.Count:N0}, stuck {stuck}; start after enqueue p50 {At(0.5):F1} ms, p99 {At(0.99):F1} ms, " +
            $"max {(latencies.Count == 0 ? double.NaN : latencies[^1]):F0} ms, over 1 s {latencies.Count(l => l > 1000)}");
        return stuck;
    }
}
