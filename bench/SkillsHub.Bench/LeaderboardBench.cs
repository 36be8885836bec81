using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
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
    sealed record Options(int Connections, int Rate, int Skills, int Seconds, int Warmup, int RecordEvery, string[] Protocols);

    static readonly string[] Competing = ["CN", "KR", "JP", "FR", "DE", "CH", "AT", "BR", "AU", "CA"];
    static readonly string[] Judges = ["BE", "DK", "NO", "SE"];
    // Public: MessagePack's contractless resolver builds formatters only for public types.
    public sealed record Row(string CompetitorId, decimal Raw);

    public sealed record Payload(string CompetitionCode, int SkillNumber, long Sequence, DateTimeOffset AsOf, List<Row> Rows);

    sealed record Mark(int Skill, string Competitor, decimal RawAfter, long SentAt, long AckedAt);

    sealed record SkillList(List<SkillEntry> Skills);

    sealed record SkillEntry(int Number, int? TeamSize);

    public static int Run(string[] args) => RunAsync(Parse(args)).GetAwaiter().GetResult();

    static Options Parse(string[] args)
    {
        int Get(string name, int fallback) => BenchArgs.Int(args, name, fallback);
        var protocol = BenchArgs.Text(args, "--protocol", "both");
        string[] protocols = protocol switch
        {
            "both" => ["json", "messagepack"],
            "json" or "messagepack" => [protocol],
            _ => throw new OptionException("--protocol is json, messagepack or both"),
        };
        return new Options(Get("--connections", 5000), Get("--rate", 50), Get("--skills", 16), Get("--seconds", 30), Get("--warmup", 10), Math.Max(1, Get("--record-every", 10)), protocols);
    }

    static async Task<int> RunAsync(Options o)
    {
        Console.WriteLine($"leaderboard bench: {o.Connections} SignalR connections on one node, {o.Rate} marks/s across {o.Skills} skills for {o.Seconds} s after {o.Warmup} s of warm-up; " +
            $"protocols: {string.Join(", ", o.Protocols)}");
        // Each connection is a descriptor in this process and one in the node (which inherits this limit).
        OpenFileLimit.Raise(2L * o.Connections + 4096);
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

            var flips = new Dictionary<(int, int, int), bool>();
            var results = new List<PhaseResult>();
            foreach (var protocol in o.Protocols)
            {
                results.Add(await MeasureAsync(o, protocol, baseAddress, skillNumbers, tablets, aspects, flips, server));
                // Let the node drop the closed connections before the next protocol's spectators connect.
                await Task.Delay(3000);
            }

            Console.WriteLine();
            Console.WriteLine($"{"protocol",-12} {"open",7} {"p50 ms",7} {"p90 ms",7} {"p99 ms",7} {"max ms",7} {"missed",7} {"CPU %",6} {"RSS MB",7} {"B/update",9} {"KB/s out",9}");
            foreach (var r in results)
            {
                Console.WriteLine($"{r.Protocol,-12} {r.Open,7} {r.P50,7:F0} {r.P90,7:F0} {r.P99,7:F0} {r.Max,7:F0} {r.Missed,7} {r.Cpu * 100,6:F0} {r.Rss / 1024 / 1024,7} {r.BytesPerUpdate,9:F0} {r.BytesPerSecond / 1024,9:F0}");
            }
            if (results.Count == 2 && results[0].BytesPerUpdate > 0)
            {
                Console.WriteLine($"{results[1].Protocol} / {results[0].Protocol}: {results[1].BytesPerUpdate / results[0].BytesPerUpdate:P0} of the bytes per update, " +
                    $"{(results[0].Cpu > 0 ? results[1].Cpu / results[0].Cpu : double.NaN):P0} of the node CPU");
            }
            foreach (var r in results)
            {
                Console.WriteLine($"goal ({r.Protocol}): {o.Connections:N0} connections with p99 <= 250 ms at {o.Rate} marks/s across {skillNumbers.Length} skills " +
                    $"({(r.Open >= o.Connections && r.P99 <= 250 && r.Missed == 0 ? "met" : "NOT met")}){(r.StoppedAt is { } why ? $"; opening stopped at {r.Open:N0}: {why}" : "")}");
            }
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    sealed record PhaseResult(string Protocol, int Open, int Missed, double P50, double P90, double P99, double Max, double Cpu, long Rss, double BytesPerUpdate, double BytesPerSecond, string? StoppedAt);

    /// <summary>One protocol's run: its spectators connect, marks flow for warm-up plus measurement, the spectators close.</summary>
    static async Task<PhaseResult> MeasureAsync(Options o, string protocol, Uri baseAddress, int[] skillNumbers, List<(HttpClient Client, int Skill)> tablets,
        List<Aspect> aspects, Dictionary<(int, int, int), bool> current, Process server)
    {
        var messagePack = protocol == "messagepack";
        Console.WriteLine($"--- {protocol}: opening {o.Connections:N0} connections");
        // Spectators, spread over the skills. Every --record-every'th is a full SignalR client (Microsoft.AspNetCore.SignalR.Client)
        // that reads each update it receives; the others are plain WebSockets speaking the same hub protocol that only count
        // their messages and bytes, so the load generator (this process, separate from the node) costs as little as it can.
        var received = new ConcurrentDictionary<int, ConcurrentQueue<(long At, Dictionary<string, decimal> Raw)>>();
        var full = new List<HubConnection>();
        var light = new List<LightSpectator>();
        var opened = Stopwatch.StartNew();
        var failedToOpen = 0;
        string? firstFailure = null;
        using (var gate = new SemaphoreSlim(64))
        {
            var opening = Enumerable.Range(0, o.Connections).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    if (Volatile.Read(ref failedToOpen) > Math.Max(100, o.Connections / 100))
                    {
                        // The machine has stopped taking connections (ports, descriptors, memory): say where, do not hammer on.
                        Interlocked.Increment(ref failedToOpen);
                        return;
                    }
                    var skill = skillNumbers[i % skillNumbers.Length];
                    if (i % o.RecordEvery == 0)
                    {
                        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/leaderboard"), h => h.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets);
                        if (messagePack)
                        {
                            builder.AddMessagePackProtocol(m => m.SerializerOptions = SkillsHub.Server.Hubs.HubProtocols.MessagePackOptions);
                        }
                        var connection = builder.Build();
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
                        var spectator = await LightSpectator.ConnectAsync(baseAddress, skill, messagePack);
                        lock (light)
                        {
                            light.Add(spectator);
                        }
                    }
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failedToOpen);
                    Interlocked.CompareExchange(ref firstFailure, $"{e.GetType().Name}: {e.Message}", null);
                }
                finally
                {
                    gate.Release();
                }
            });
            await Task.WhenAll(opening);
        }
        var openConnections = full.Count + light.Count;
        Console.WriteLine($"opened {openConnections:N0} connections in {opened.Elapsed.TotalSeconds:F1} s ({failedToOpen} failed{(firstFailure is null ? "" : ", first: " + firstFailure)}): " +
            $"{full.Count} SignalR clients recording updates, {light.Count} counting WebSockets");
        using var pings = new CancellationTokenSource();
        var pinging = LightSpectator.KeepAliveAsync(light, messagePack, pings.Token);
        // Both start when the warm-up ends.
        var cpuBefore = TimeSpan.Zero;
        var wall = new Stopwatch();

        // Marks at a steady rate, the first --warmup seconds not measured; remember each one's competitor, its new raw total, and when it was sent and acknowledged.
        var marks = new ConcurrentQueue<Mark>();
        var failedMarks = 0;
        string? firstMarkFailure = null;
        var warmupMarks = o.Rate * o.Warmup;
        var total = warmupMarks + o.Rate * o.Seconds;
        var clock = Stopwatch.StartNew();
        var inflight = new List<Task>();
        for (var n = 0; n < total; n++)
        {
            var wait = TimeSpan.FromSeconds(n / (double)o.Rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            if (n == warmupMarks)
            {
                EnsureAlive(server, "after the spectators connected");
                cpuBefore = ProcStat.Read(server.Id).Cpu;
                light.ForEach(l => l.StartCounting());
                wall.Start();
            }
            var index = n;
            var slot = (index % tablets.Count, (index / tablets.Count) % Competing.Length, (index / tablets.Count / Competing.Length) % aspects.Count);
            // Every mark flips its aspect (across protocols too), so every mark changes a total and must reach the screens.
            var achieved = current[slot] = !current.GetValueOrDefault(slot);
            inflight.Add(Task.Run(async () =>
            {
                var (client, skill) = tablets[slot.Item1];
                var competitor = $"{Competing[slot.Item2]}-{skill}";
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/competitions/WSC2024/skills/{skill:00}/marks")
                {
                    Content = JsonContent.Create(new { competitorId = competitor, marks = new[] { new { aspectId = aspects[slot.Item3].Id, achieved } } }),
                };
                request.Headers.Add("Idempotency-Key", $"lb-{protocol}-{index}");
                var sent = Stopwatch.GetTimestamp();
                using var response = await SendOrNullAsync(client, request);
                if (response is null || !response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failedMarks);
                    var why = response is null ? "connection lost" : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    Interlocked.CompareExchange(ref firstMarkFailure, why, null);
                    return;
                }
                if (index >= warmupMarks)
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
        light.ForEach(l => l.StopCounting());
        var seconds = wall.Elapsed.TotalSeconds;
        var cpu = (after.Cpu - cpuBefore).TotalSeconds / seconds;
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
        // Bytes: what the counting WebSockets received in standings pushes (frames of 16 bytes and more: pings are smaller),
        // per push, and per second over all connections (the counting ones' rate scaled up to every open connection).
        var pushes = light.Sum(l => l.Updates);
        var bytes = light.Sum(l => l.UpdateBytes);
        var bytesPerUpdate = pushes == 0 ? 0 : bytes / (double)pushes;
        var bytesPerSecond = light.Count == 0 ? 0 : bytes / seconds * openConnections / light.Count;
        if (failedMarks > 0)
        {
            Console.WriteLine($"{failedMarks} marks were refused or lost their connection (not counted); first: {firstMarkFailure}");
        }
        Console.WriteLine($"{marks.Count} marks acknowledged ({o.Rate}/s over {skillNumbers.Length} skills, {o.Rate / (double)skillNumbers.Length:F1} per skill per second); " +
            $"{latencies.Count} (client, mark) deliveries measured on {received.Count} recording clients, {missed} not seen; counting WebSockets received {pushes:N0} updates, {bytes:N0} bytes");
        Console.WriteLine($"RESULT {protocol} {openConnections} connections: mark-acknowledged -> client-received p50 {Pct(latencies, 50):F0} ms, p90 {Pct(latencies, 90):F0} ms, " +
            $"p99 {Pct(latencies, 99):F0} ms, max {Pct(latencies, 100):F0} ms; node CPU {cpu * 100:F0}% of one core, RSS {after.RssBytes / 1024 / 1024} MB; " +
            $"{bytesPerUpdate:F0} bytes per update, {bytesPerSecond / 1024:F0} KB/s pushed");
        await Task.WhenAll(full.Select(c => c.DisposeAsync().AsTask()));
        light.ForEach(l => l.Dispose());
        var stoppedAt = failedToOpen == 0 ? null : firstFailure ?? "gave up after too many failures";
        return new PhaseResult(protocol, openConnections, missed, Pct(latencies, 50), Pct(latencies, 90), Pct(latencies, 99), Pct(latencies, 100), cpu, after.RssBytes,
            bytesPerUpdate, bytesPerSecond, stoppedAt);
    }

    static async Task<HttpResponseMessage?> SendOrNullAsync(HttpClient client, HttpRequestMessage request)
    {
        try
        {
            return await client.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"mark: {e.Message} {e.InnerException?.Message}");
            return null;
        }
    }

    static Process StartServer(string connectionString, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "SkillsHub.Server.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", dll, $"--ConnectionStrings:Postgres={connectionString}", $"--urls=http://127.0.0.1:{port}", .. BenchHttp.ProductionArgs(port),
            $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}", "--Logging:LogLevel:Default=Warning", "--Demo:Seed=false",
            "--Bootstrap:AdminUser=bench", "--Bootstrap:AdminPassword=bench password 123", "--Security:SignInPerMinute=100000",
            // Every spectator of the bench comes from this machine: the per-client cap is for real clients.
            "--Connections:MaxSpectatorsPerClient=1000000"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            Remember(e.Data);
            if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine("server: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The node's last lines of output, shown if it dies during a run.
    static readonly ConcurrentQueue<string> LastServerLines = new();

    static void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        LastServerLines.Enqueue(line);
        while (LastServerLines.Count > 40)
        {
            LastServerLines.TryDequeue(out _);
        }
    }

    /// <summary>Stops the run with a plain statement when the node process has died (and what it last printed).</summary>
    static void EnsureAlive(Process server, string when)
    {
        if (server.HasExited)
        {
            throw new InvalidOperationException($"the node exited (code {server.ExitCode}) {when}; its last output:\n  " + string.Join("\n  ", LastServerLines));
        }
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
    /// A spectator as cheap as a client can be: a WebSocket that speaks SignalR's JSON or MessagePack hub protocol
    /// (handshake, Subscribe, pings) and counts the standings pushes it receives and their bytes without parsing them.
    /// </summary>
    sealed class LightSpectator : IDisposable
    {
        const char RecordSeparator = '\u001e';
        /// <summary>Pushes are larger; pings (JSON 11 bytes, MessagePack 3) are not counted.</summary>
        const int SmallestUpdate = 16;
        static readonly byte[] MessagePackPing = Frame((ref MessagePack.MessagePackWriter w) => { w.WriteArrayHeader(1); w.Write(6); });
        readonly ClientWebSocket _socket = new();
        bool _messagePack;
        long _updates;
        long _updateBytes;
        volatile bool _counting;

        public long Updates => Interlocked.Read(ref _updates);

        public long UpdateBytes => Interlocked.Read(ref _updateBytes);

        public void StartCounting() => _counting = true;

        public void StopCounting() => _counting = false;

        public static async Task<LightSpectator> ConnectAsync(Uri baseAddress, int skill, bool messagePack)
        {
            var spectator = new LightSpectator { _messagePack = messagePack };
            await spectator._socket.ConnectAsync(new Uri($"ws://{baseAddress.Authority}/hubs/leaderboard"), CancellationToken.None);
            // The handshake is JSON text in both protocols; the answer is "{}" and the record separator.
            await spectator._socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"protocol\":\"{(messagePack ? "messagepack" : "json")}\",\"version\":1}}{RecordSeparator}"),
                WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[4096];
            var handshake = await spectator._socket.ReceiveAsync(buffer, CancellationToken.None);
            if (Encoding.UTF8.GetString(buffer, 0, handshake.Count) != "{}" + RecordSeparator)
            {
                throw new InvalidOperationException("SignalR handshake refused: " + Encoding.UTF8.GetString(buffer, 0, handshake.Count));
            }
            if (messagePack)
            {
                // Invocation: [1, headers, invocationId, target, arguments, streamIds] (SignalR's MessagePack hub protocol).
                var subscribe = Frame((ref MessagePack.MessagePackWriter w) =>
                {
                    w.WriteArrayHeader(6);
                    w.Write(1);
                    w.WriteMapHeader(0);
                    w.Write("1");
                    w.Write("Subscribe");
                    w.WriteArrayHeader(2);
                    w.Write("WSC2024");
                    w.Write(skill);
                    w.WriteArrayHeader(0);
                });
                await spectator._socket.SendAsync(subscribe, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
            else
            {
                await spectator.SendTextAsync($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[\"WSC2024\",{skill}]}}");
            }
            _ = spectator.ReceiveAsync();
            return spectator;
        }

        /// <summary>One MessagePack hub message: its length as a 7-bit varint, then the message.</summary>
        delegate void Writing(ref MessagePack.MessagePackWriter writer);

        static byte[] Frame(Writing write)
        {
            var body = new System.Buffers.ArrayBufferWriter<byte>();
            var writer = new MessagePack.MessagePackWriter(body);
            write(ref writer);
            writer.Flush();
            var framed = new List<byte>();
            for (var length = (uint)body.WrittenCount; ; length >>= 7)
            {
                framed.Add((byte)(length < 0x80 ? length : (length & 0x7f) | 0x80));
                if (length < 0x80)
                {
                    break;
                }
            }
            framed.AddRange(body.WrittenSpan.ToArray());
            return [.. framed];
        }

        Task SendTextAsync(string message) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

        Task PingAsync() => _messagePack
            ? _socket.SendAsync(MessagePackPing, WebSocketMessageType.Binary, true, CancellationToken.None)
            : SendTextAsync("{\"type\":6}");

        async Task ReceiveAsync()
        {
            // Small: 20,000 of these share the generator's memory; a larger push is read in several parts.
            var buffer = new byte[4 * 1024];
            var frameBytes = 0L;
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    frameBytes += result.Count;
                    if (result.EndOfMessage)
                    {
                        if (_counting && frameBytes >= SmallestUpdate)
                        {
                            Interlocked.Increment(ref _updates);
                            Interlocked.Add(ref _updateBytes, frameBytes);
                        }
                        frameBytes = 0;
                    }
                }
            }
            catch (WebSocketException)
            {
                // Closed by the bench or the server.
            }
        }

        /// <summary>SignalR pings, so the server's client timeout (30 s of silence) does not close the connections.</summary>
        public static async Task KeepAliveAsync(IReadOnlyList<LightSpectator> spectators, bool messagePack, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop).ContinueWith(_ => { }, CancellationToken.None);
                foreach (var s in spectators.Where(s => s._socket.State == WebSocketState.Open && !stop.IsCancellationRequested))
                {
                    await s.PingAsync();
                }
            }
        }

        public void Dispose() => _socket.Dispose();
    }

    /// <summary>
    /// The open-file limit (RLIMIT_NOFILE) of this process, raised so thousands of sockets fit: a child process (the
    /// node) inherits it. Up to the hard limit for anyone; above it only with the privilege to raise it (root).
    /// </summary>
    static class OpenFileLimit
    {
        const int NoFile = 7; // RLIMIT_NOFILE on Linux

        [StructLayout(LayoutKind.Sequential)]
        struct Limit
        {
            public ulong Current;
            public ulong Maximum;
        }

        [DllImport("libc", SetLastError = true)]
        static extern int getrlimit(int resource, out Limit limit);

        [DllImport("libc", SetLastError = true)]
        static extern int setrlimit(int resource, ref Limit limit);

        public static void Raise(long wanted)
        {
            if (!OperatingSystem.IsLinux() || getrlimit(NoFile, out var limit) != 0 || limit.Current >= (ulong)wanted)
            {
                return;
            }
            var raised = new Limit { Current = (ulong)wanted, Maximum = Math.Max(limit.Maximum, (ulong)wanted) };
            if (setrlimit(NoFile, ref raised) != 0)
            {
                raised = new Limit { Current = limit.Maximum, Maximum = limit.Maximum };
                setrlimit(NoFile, ref raised);
            }
            getrlimit(NoFile, out limit);
            Console.WriteLine($"open-file limit: {limit.Current} (wanted {wanted})");
        }
    }

    static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

}
