using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
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
/// marks entered at a steady rate across several skills (default 50/s over 16 skills); measures mark-acknowledged -> client-received
/// latency, and the node's CPU and resident memory.
/// </summary>
public static class LeaderboardBench
{
    sealed record Options(int Connections, int Rate, int Skills, int Seconds, int Warmup);

    static readonly string[] Competing = ["CN", "KR", "JP", "FR", "DE", "CH", "AT", "BR", "AU", "CA"];
    static readonly string[] Judges = ["BE", "DK", "NO", "SE"];
    sealed record Row(string CompetitorId, decimal Raw);

    sealed record Payload(string CompetitionCode, int SkillNumber, long Sequence, DateTimeOffset AsOf, List<Row> Rows);

    sealed record Mark(int Skill, string Competitor, decimal RawAfter, long SentAt, long AckedAt);

    sealed record SkillList(List<SkillEntry> Skills);

    sealed record SkillEntry(int Number, int? TeamSize);

    public static int Run(string[] args) => RunAsync(Parse(args)).GetAwaiter().GetResult();

    static Options Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        return new Options(Get("--connections", 5000), Get("--rate", 50), Get("--skills", 16), Get("--seconds", 30), Get("--warmup", 10));
    }

    static async Task<int> RunAsync(Options o)
    {
        Console.WriteLine($"leaderboard bench: {o.Connections} SignalR connections on one node, {o.Rate} marks/s across {o.Skills} skills for {o.Seconds} s after {o.Warmup} s of warm-up");
        await using var postgres = await PrivatePostgres.StartTemporaryAsync("bench");
        var port = FreePort();
        var server = StartServer(postgres.ConnectionString, port);
        try
        {
            var baseAddress = new Uri($"http://127.0.0.1:{port}");
            var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), MaxConnectionsPerServer = 64 }) { BaseAddress = baseAddress };
            await WaitReadyAsync(http);
            if (await BenchHttp.SignInAsync(http, "bench", "bench password 123") != HttpStatusCode.OK)
            {
                throw new InvalidOperationException("sign-in as bench failed");
            }
            var scheme = SchemeJson.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "seed-data", "marking-schemes", "cnc-milling-sample.json"))).Scheme!;
            var aspects = scheme.Aspects.Where(a => a.Type == AspectType.Measurement && a.IsAllOrNothing).ToList();
            var tablets = new List<(HttpClient Client, int Skill)>();
            var skillNumbers = (await http.GetFromJsonAsync<SkillList>("/api/competitions/WSC2024"))!.Skills
                .Where(k => k.TeamSize is null or 1).Select(k => k.Number).Order().Take(o.Skills).ToArray();
            foreach (var skill in skillNumbers)
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

            // Spectators, spread over the skills. Every tenth is a full SignalR client (Microsoft.AspNetCore.SignalR.Client)
            // that reads each update it receives; the others are plain WebSockets speaking the same JSON hub protocol
            // that only count their messages, so the load generator on these same two cores costs as little as it can.
            var received = new ConcurrentDictionary<int, ConcurrentQueue<(long At, Dictionary<string, decimal> Raw)>>();
            var full = new List<HubConnection>();
            var light = new List<LightSpectator>();
            var opened = Stopwatch.StartNew();
            var failedToOpen = 0;
            using (var gate = new SemaphoreSlim(64))
            {
                var opening = Enumerable.Range(0, o.Connections).Select(async i =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        var skill = skillNumbers[i % skillNumbers.Length];
                        if (i % 10 == 0)
                        {
                            var connection = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/leaderboard"), h => h.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets).Build();
                            var log = received.GetOrAdd(i, _ => new ConcurrentQueue<(long, Dictionary<string, decimal>)>());
                            connection.On<Payload>("standings", p => log.Enqueue((Stopwatch.GetTimestamp(), p.Rows.ToDictionary(r => r.CompetitorId, r => r.Raw))));
                            await connection.StartAsync();
                            await connection.InvokeAsync<Payload>("Subscribe", "WSC2024", skill);
                            lock (full)
                            {
                                full.Add(connection);
                            }
                        }
                        else
                        {
                            var spectator = await LightSpectator.ConnectAsync(baseAddress, skill);
                            lock (light)
                            {
                                light.Add(spectator);
                            }
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
            var openConnections = full.Count + light.Count;
            Console.WriteLine($"opened {openConnections} connections in {opened.Elapsed.TotalSeconds:F1} s ({failedToOpen} failed): {full.Count} SignalR clients recording updates, {light.Count} counting WebSockets");
            using var pings = new CancellationTokenSource();
            var pinging = LightSpectator.KeepAliveAsync(light, pings.Token);
            // Both start when the warm-up ends.
            var cpuBefore = TimeSpan.Zero;
            var wall = new Stopwatch();

            // Marks at a steady rate, the first --warmup seconds not measured; remember each one's competitor, its new raw total, and when it was sent and acknowledged.
            var marks = new ConcurrentQueue<Mark>();
            var warmupMarks = o.Rate * o.Warmup;
            var total = warmupMarks + o.Rate * o.Seconds;
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
                if (n == warmupMarks)
                {
                    cpuBefore = ProcStat.Read(server.Id).Cpu;
                    wall.Start();
                }
                var index = n;
                var slot = (index % tablets.Count, (index / tablets.Count) % Competing.Length, (index / tablets.Count / Competing.Length) % aspects.Count);
                var achieved = current[slot] = !current.GetValueOrDefault(slot);
                inflight.Add(Task.Run(async () =>
                {
                    var (client, skill) = tablets[slot.Item1];
                    var competitor = $"{Competing[slot.Item2]}-{skill}";
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/competitions/WSC2024/skills/{skill:00}/marks")
                    {
                        Content = JsonContent.Create(new { competitorId = competitor, marks = new[] { new { aspectId = aspects[slot.Item3].Id, achieved } } }),
                    };
                    request.Headers.Add("Idempotency-Key", "lb-" + index);
                    var sent = Stopwatch.GetTimestamp();
                    using var response = await client.SendAsync(request);
                    if (response.IsSuccessStatusCode && index >= warmupMarks)
                    {
                        var acked = Stopwatch.GetTimestamp();
                        var answer = await response.Content.ReadFromJsonAsync<AckDto>();
                        marks.Enqueue(new Mark(skill, competitor, answer!.RawTotal, sent, acked));
                    }
                }));
            }
            await Task.WhenAll(inflight);
            await Task.Delay(2000);
            var after = ProcStat.Read(server.Id);
            var rss = after.RssBytes;
            var cpu = (after.Cpu - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds;
            pings.Cancel();
            await pinging;

            // Latency: for each mark and each recording client on its skill, the first update received after the mark
            // was sent that shows the competitor's new total; measured from the acknowledgement (0 when the screen had
            // it before the tablet had its answer).
            var latencies = new List<double>();
            var missed = 0;
            foreach (var (i, log) in received)
            {
                var skill = skillNumbers[i % skillNumbers.Length];
                var updates = log.ToArray();
                foreach (var mark in marks.Where(m => m.Skill == skill))
                {
                    var shown = updates.FirstOrDefault(u => u.At >= mark.SentAt && u.Raw.TryGetValue(mark.Competitor, out var raw) && raw == mark.RawAfter);
                    if (shown.Raw is null)
                    {
                        missed++;
                        continue;
                    }
                    latencies.Add(shown.At <= mark.AckedAt ? 0 : Stopwatch.GetElapsedTime(mark.AckedAt, shown.At).TotalMilliseconds);
                }
            }
            latencies.Sort();
            var countedMessages = light.Sum(l => l.Messages);
            Console.WriteLine($"{marks.Count} marks acknowledged ({o.Rate}/s over {skillNumbers.Length} skills, {o.Rate / (double)skillNumbers.Length:F1} per skill per second); " +
                $"{latencies.Count} (client, mark) deliveries measured on {received.Count} recording clients, {missed} not seen; counting WebSockets received {countedMessages:N0} messages");
            Console.WriteLine($"RESULT {openConnections} connections: mark-acknowledged -> client-received p50 {Pct(latencies, 50):F0} ms, p90 {Pct(latencies, 90):F0} ms, p99 {Pct(latencies, 99):F0} ms, max {Pct(latencies, 100):F0} ms; node CPU {cpu * 100:F0}% of one core, RSS {rss / 1024 / 1024} MB");
            Console.WriteLine($"goal: 5,000 connections with p99 <= 250 ms ({(openConnections >= 5000 && Pct(latencies, 99) <= 250 && missed == 0 ? "met" : "NOT met")})");
            foreach (var c in full)
            {
                _ = c.DisposeAsync();
            }
            light.ForEach(l => l.Dispose());
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
        var start = new ProcessStartInfo("dotnet", ["exec", dll, $"--ConnectionStrings:Postgres={connectionString}", $"--urls=http://127.0.0.1:{port}", .. BenchHttp.ProductionArgs(port),
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

    sealed record AckDto(decimal RawTotal);

    /// <summary>
    /// A spectator as cheap as a client can be: a WebSocket that speaks SignalR's JSON hub protocol (handshake,
    /// Subscribe, pings) and counts the messages it receives without parsing them.
    /// </summary>
    sealed class LightSpectator : IDisposable
    {
        const char RecordSeparator = '\u001e';
        readonly ClientWebSocket _socket = new();
        long _messages;

        public long Messages => Interlocked.Read(ref _messages);

        public static async Task<LightSpectator> ConnectAsync(Uri baseAddress, int skill)
        {
            var spectator = new LightSpectator();
            await spectator._socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/hubs/leaderboard"), CancellationToken.None);
            await spectator.SendAsync("{\"protocol\":\"json\",\"version\":1}");
            var buffer = new byte[4096];
            var handshake = await spectator._socket.ReceiveAsync(buffer, CancellationToken.None);
            if (Encoding.UTF8.GetString(buffer, 0, handshake.Count) != "{}" + RecordSeparator)
            {
                throw new InvalidOperationException("SignalR handshake refused: " + Encoding.UTF8.GetString(buffer, 0, handshake.Count));
            }
            await spectator.SendAsync($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[\"WSC2024\",{skill}]}}");
            _ = spectator.ReceiveAsync();
            return spectator;
        }

        Task SendAsync(string message) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

        async Task ReceiveAsync()
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    if (result.EndOfMessage)
                    {
                        Interlocked.Increment(ref _messages);
                    }
                }
            }
            catch (WebSocketException)
            {
                // Closed by the bench or the server.
            }
        }

        /// <summary>SignalR pings, so the server's client timeout (30 s of silence) does not close the connections.</summary>
        public static async Task KeepAliveAsync(IReadOnlyList<LightSpectator> spectators, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop).ContinueWith(_ => { }, CancellationToken.None);
                foreach (var s in spectators.Where(s => s._socket.State == WebSocketState.Open && !stop.IsCancellationRequested))
                {
                    await s.SendAsync("{\"type\":6}");
                }
            }
        }

        public void Dispose() => _socket.Dispose();
    }

    static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

}
