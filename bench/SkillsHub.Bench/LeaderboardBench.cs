using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Storage;

using static SkillsHub.Bench.BenchHttp;

namespace SkillsHub.Bench;

/// <summary>
/// Many SignalR spectators on one node (a separate server process, so its CPU and memory are its own),
/// marks entered at a steady rate across several skills; measures mark-acknowledged -> client-received
/// latency, and the node's CPU and resident memory.
/// </summary>
public static class LeaderboardBench
{
    sealed record Options(int Connections, int Rate, int Skills, int Seconds);

    static readonly string[] Competing = ["CN", "KR", "JP", "FR", "DE", "CH", "AT", "BR", "AU", "CA"];
    static readonly string[] Judges = ["BE", "DK", "NO", "SE"];
    static readonly int[] SkillNumbers = [1, 2, 5, 6, 7, 8, 9, 10];

    sealed record Payload(string CompetitionCode, int SkillNumber, long Sequence, DateTimeOffset AsOf);

    public static int Run(string[] args) => RunAsync(Parse(args)).GetAwaiter().GetResult();

    static Options Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        return new Options(Get("--connections", 5000), Get("--rate", 50), Math.Min(SkillNumbers.Length, Get("--skills", 4)), Get("--seconds", 30));
    }

    static async Task<int> RunAsync(Options o)
    {
        Console.WriteLine($"leaderboard bench: {o.Connections} SignalR connections on one node, {o.Rate} marks/s across {o.Skills} skills for {o.Seconds} s");
        await using var postgres = await PrivatePostgres.StartTemporaryAsync("bench");
        var port = FreePort();
        var server = StartServer(postgres.ConnectionString, port);
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), MaxConnectionsPerServer = 64 }) { BaseAddress = baseAddress };
            await WaitReadyAsync(http);
            (await http.PostAsJsonAsync("/api/auth/login", new { userName = "bench", password = "bench password 123" })).EnsureSuccessStatusCode();
            var scheme = SchemeJson.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "seed-data", "marking-schemes", "cnc-milling-sample.json"))).Scheme!;
            var aspects = scheme.Aspects.Where(a => a.Type == AspectType.Measurement && a.IsAllOrNothing).ToList();
            var tablets = new List<(HttpClient Client, int Skill)>();
            foreach (var skill in SkillNumbers.Take(o.Skills))
            {
                var path = $"/api/competitions/WSC2024/skills/{skill:00}";
                await Put(http, $"{path}/competitors", "id,member,first_name,last_name\n" + string.Join("\n", Competing.Select(m => $"{m}-{skill},{m},Bench,{m}")), "text/csv");
                await Put(http, $"{path}/experts", "id,member,name,role\n" + string.Join("\n", Judges.Select(m => $"E-{m},{m},Expert {m},Expert")), "text/csv");
                await Put(http, $"{path}/scheme", SchemeJson.Write(scheme), "application/json");
                await Put(http, $"{path}/marking-groups", $"id,name,targets,experts\nG1,All,{string.Join(";", scheme.Criteria.Select(c => c.Id))},{string.Join(";", Judges.Select(m => "E-" + m))}", "text/csv");
                var code = await (await http.PostAsJsonAsync($"{path}/pairing-codes", new { expertId = "E-" + Judges[0] })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<CodeDto>();
                var device = await (await http.PostAsJsonAsync("/api/pairing/redeem", new { code = code!.Code })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<DeviceDto>();
                var tablet = new HttpClient { BaseAddress = baseAddress };
                tablet.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device!.Token);
                tablets.Add((tablet, skill));
            }

            // Spectators, spread over the skills.
            var received = new ConcurrentDictionary<int, ConcurrentQueue<(long Sequence, long At)>>();
            var connections = new List<HubConnection>();
            var opened = Stopwatch.StartNew();
            var failedToOpen = 0;
            using (var gate = new SemaphoreSlim(64))
            {
                var opening = Enumerable.Range(0, o.Connections).Select(async i =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        var skill = SkillNumbers[i % o.Skills];
                        var connection = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/leaderboard"), h => h.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets).Build();
                        // Every tenth connection records what it receives (enough samples, less bench overhead).
                        if (i % 10 == 0)
                        {
                            var log = received.GetOrAdd(i, _ => new ConcurrentQueue<(long, long)>());
                            connection.On<Payload>("standings", p => log.Enqueue((p.Sequence, Stopwatch.GetTimestamp())));
                        }
                        await connection.StartAsync();
                        await connection.InvokeAsync<Payload>("Subscribe", "WSC2024", skill);
                        lock (connections)
                        {
                            connections.Add(connection);
                        }
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failedToOpen);
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
                await Task.WhenAll(opening);
            }
            Console.WriteLine($"opened {connections.Count} connections in {opened.Elapsed.TotalSeconds:F1} s ({failedToOpen} failed)");
            var (cpuBefore, _) = Usage(server.Id);
            var wall = Stopwatch.StartNew();

            // Marks at a steady rate; remember when each was acknowledged, per skill.
            var acks = new ConcurrentDictionary<int, ConcurrentQueue<long>>();
            var total = o.Rate * o.Seconds;
            var clock = Stopwatch.StartNew();
            var inflight = new List<Task>();
            // Every mark flips its aspect, so every mark changes a total and must reach the screens.
            var current = new Dictionary<(int, int, int), bool>();
            for (var n = 0; n < total; n++)
            {
                var wait = TimeSpan.FromSeconds(n / (double)o.Rate) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                var index = n;
                var slot = (index % tablets.Count, (index / tablets.Count) % Competing.Length, (index / tablets.Count / Competing.Length) % aspects.Count);
                var achieved = current[slot] = !current.GetValueOrDefault(slot);
                inflight.Add(Task.Run(async () =>
                {
                    var (client, skill) = tablets[slot.Item1];
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/competitions/WSC2024/skills/{skill:00}/marks")
                    {
                        Content = JsonContent.Create(new { competitorId = $"{Competing[slot.Item2]}-{skill}", marks = new[] { new { aspectId = aspects[slot.Item3].Id, achieved } } }),
                    };
                    request.Headers.Add("Idempotency-Key", "lb-" + index);
                    using var response = await client.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        acks.GetOrAdd(skill, _ => new ConcurrentQueue<long>()).Enqueue(Stopwatch.GetTimestamp());
                    }
                }));
            }
            await Task.WhenAll(inflight);
            await Task.Delay(2000);
            var (cpuAfter, rss) = Usage(server.Id);
            var cpu = (cpuAfter - cpuBefore) / wall.Elapsed.TotalSeconds;

            // Latency: for each recorded client message, the acks on its skill it is the first to reflect.
            var latencies = new List<double>();
            foreach (var (i, log) in received)
            {
                var skill = SkillNumbers[i % o.Skills];
                if (!acks.TryGetValue(skill, out var skillAcks))
                {
                    continue;
                }
                var ackTimes = skillAcks.Order().ToArray();
                var next = 0;
                foreach (var (_, at) in log.OrderBy(m => m.At))
                {
                    // Marks acknowledged before this message arrived and not yet covered by an earlier one.
                    while (next < ackTimes.Length && ackTimes[next] <= at)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(ackTimes[next], at).TotalMilliseconds);
                        next++;
                    }
                }
            }
            latencies.Sort();
            Console.WriteLine($"{acks.Values.Sum(q => q.Count)} marks acknowledged; {latencies.Count} (client, mark) deliveries sampled on {received.Count} recording clients");
            Console.WriteLine($"RESULT {connections.Count} connections: mark-acknowledged -> client-received p50 {Pct(latencies, 50):F0} ms, p99 {Pct(latencies, 99):F0} ms; node CPU {cpu * 100:F0}% of one core, RSS {rss / 1024 / 1024} MB");
            Console.WriteLine($"goal: 5,000 connections with p99 <= 250 ms ({(connections.Count >= 5000 && Pct(latencies, 99) <= 250 ? "met" : "NOT met")})");
            foreach (var c in connections)
            {
                _ = c.DisposeAsync();
            }
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    static Process StartServer(string connectionString, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "SkillsHub.Server.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", dll, $"--ConnectionStrings:Postgres={connectionString}", $"--urls=http://127.0.0.1:{port}",
            $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}", "--Logging:LogLevel:Default=Warning", "--Demo:Seed=false",
            "--Bootstrap:AdminUser=bench", "--Bootstrap:AdminPassword=bench password 123", "--Security:SignInPerMinute=100000"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine("server: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task WaitReadyAsync(HttpClient http)
    {
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The server did not become ready.");
    }

    /// <summary>Process CPU seconds (user + system) and resident memory, from /proc.</summary>
    static (double CpuSeconds, long RssBytes) Usage(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var rssPages = long.Parse(fields[21], CultureInfo.InvariantCulture);
        return (ticks / 100.0, rssPages * Environment.SystemPageSize);
    }

    static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

}
