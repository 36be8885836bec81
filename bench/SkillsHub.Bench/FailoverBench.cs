using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Npgsql;

using static SkillsHub.Bench.BenchHttp;

namespace SkillsHub.Bench;

/// <summary>
/// Failover under marking load, against a running cluster behind nginx (deploy/failover-test.sh starts
/// it): tablets post marks through nginx and resend every unanswered batch with the same
/// Idempotency-Key until it is acknowledged; spectators follow the standings over SignalR through
/// nginx. At --kill-at one node is killed with SIGKILL; at --db-restart-at PostgreSQL is crashed and
/// restarted. Afterwards: every acknowledged mark is in the audit trail exactly once and on the mark
/// sheets, the spectators of the killed node resumed from a snapshot, and every surviving node serves
/// the same standings. Exit code 0 only when all of that holds.
/// </summary>
public static class FailoverBench
{
    const string Competition = "WSC2024";
    const int Skill = 1;
    static string SkillPath => $"/api/competitions/{Competition}/skills/{Skill:00}";

    static readonly string[] Competitors = ["CN", "KR", "JP", "FR", "DE", "CH"];
    static readonly string[] Judges = ["BE", "DK", "NO", "SE", "IE", "NZ", "SG", "IT"];
    static readonly string[] Aspects = ["A1.1", "A1.2", "A1.3", "A1.4", "A1.5", "B1.1", "B1.2", "B1.3", "B1.4", "B1.5"];

    sealed record Options(
        string Url, string[] Nodes, int KillPid, string KillNode, string Postgres, string AdminUser, string AdminPassword,
        int Seconds, int KillAt, int DbRestartAt, string? DbCrashCommand, string? DbStartCommand, int DbDownSeconds,
        int Tablets, int Spectators, int IntervalMs);

    public static int Run(string[] args) => RunAsync(Parse(args)).GetAwaiter().GetResult();

    static Options Parse(string[] args)
    {
        string? Str(string name) => BenchArgs.Text(args, name);
        int Int(string name, int fallback) => BenchArgs.Int(args, name, fallback);
        string Need(string name) => BenchArgs.Required(args, name);
        return new Options(Need("--url").TrimEnd('/'), Need("--nodes").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Int("--kill-pid", 0), Need("--kill-node").TrimEnd('/'), Str("--pg") ?? Environment.GetEnvironmentVariable("SKILLSHUB_BENCH_PG") ?? throw new OptionException("failover needs --pg or SKILLSHUB_BENCH_PG"),
            Str("--admin-user") ?? "admin", Str("--admin-password") ?? Environment.GetEnvironmentVariable("SKILLSHUB_ADMIN_PASSWORD") ?? "cluster admin password",
            Int("--seconds", 45), Int("--kill-at", 12), Int("--db-restart-at", 28), Str("--db-crash"), Str("--db-start"), Int("--db-down-seconds", 5),
            Int("--tablets", 8), Int("--spectators", 12), Int("--interval-ms", 100));
    }

    sealed record Acked(string Key, int Tablet, string Competitor, string Aspect, bool Achieved, long Order);

    sealed class Counters
    {
        public readonly ConcurrentDictionary<string, int> Statuses = new();
        public readonly ConcurrentDictionary<string, int> DuringDbOutage = new();
        public long Retries;
        public long Refused;
        public long GaveUp;
        public long Order;
    }

    static async Task<int> RunAsync(Options o)
    {
        var killUpstream = new Uri(o.KillNode).Authority;
        var runId = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        Console.WriteLine($"failover: {o.Tablets} tablets and {o.Spectators} spectators through {o.Url} for {o.Seconds} s; kill -9 pid {o.KillPid} ({killUpstream}) at {o.KillAt} s; " +
            (o.DbRestartAt > 0 && o.DbCrashCommand is not null ? $"PostgreSQL crash + restart at {o.DbRestartAt} s ({o.DbDownSeconds} s down)" : "no database restart"));

        var admin = await SignInAsync(o);
        await SetUpSkillAsync(admin);
        var tablets = new List<HttpClient>();
        for (var t = 0; t < o.Tablets; t++)
        {
            tablets.Add(await PairAsync(o, admin, "E-" + Judges[t % Judges.Length]));
        }
        Console.WriteLine($"skill {Competition}/{Skill:00} set up through nginx: {Competitors.Length} competitors, {Aspects.Length} aspects, {tablets.Count} paired tablets");

        var clock = Stopwatch.StartNew();
        var spectators = Enumerable.Range(0, o.Spectators).Select(i => new Spectator(i, o.Url, clock)).ToList();
        using var spectatorStop = new CancellationTokenSource();
        var spectatorTasks = spectators.Select(s => s.RunAsync(spectatorStop.Token)).ToList();
        await Task.Delay(3000);
        var perNode = spectators.GroupBy(s => s.Node ?? "?").ToDictionary(g => g.Key, g => g.Count());
        Console.WriteLine($"spectators connected: {string.Join(", ", perNode.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))}; " +
            $"negotiate and WebSocket on the same node for {spectators.Count(s => s.Node is not null && s.Node == s.NegotiatedOn)}/{spectators.Count}");

        var counters = new Counters();
        var acked = new ConcurrentDictionary<string, Acked>();
        var dbDown = 0;
        using var stopNew = new CancellationTokenSource(TimeSpan.FromSeconds(o.Seconds));
        using var hardStop = new CancellationTokenSource(TimeSpan.FromSeconds(o.Seconds + 60));
        var loadStart = clock.Elapsed;
        var workers = tablets.Select((client, t) => Task.Run(() => TabletAsync(client, t, o, runId, counters, acked, () => Volatile.Read(ref dbDown) == 1, stopNew.Token, hardStop.Token))).ToList();

        // The faults, on schedule.
        await Task.Delay(TimeSpan.FromSeconds(o.KillAt));
        var onKilledNode = spectators.Where(s => s.Node == killUpstream).ToList();
        var killedAt = clock.Elapsed;
        if (o.KillPid > 0)
        {
            using var kill = Process.Start("kill", ["-9", o.KillPid.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            Console.WriteLine($"t={Seconds(killedAt - loadStart)} s: kill -9 {o.KillPid} ({killUpstream}); {onKilledNode.Count} spectators were on it; {acked.Count} marks acknowledged so far");
        }
        if (o.DbRestartAt > o.KillAt && o.DbCrashCommand is not null && o.DbStartCommand is not null)
        {
            await Task.Delay(TimeSpan.FromSeconds(o.DbRestartAt - o.KillAt));
            Volatile.Write(ref dbDown, 1);
            var crashedAt = clock.Elapsed;
            await ShellAsync(o.DbCrashCommand);
            Console.WriteLine($"t={Seconds(crashedAt - loadStart)} s: PostgreSQL crashed (pg_ctl -m immediate stop); {acked.Count} marks acknowledged so far");
            await Task.Delay(TimeSpan.FromSeconds(o.DbDownSeconds));
            await ShellAsync(o.DbStartCommand);
            Volatile.Write(ref dbDown, 0);
            Console.WriteLine($"t={Seconds(clock.Elapsed - loadStart)} s: PostgreSQL started again (down {Seconds(clock.Elapsed - crashedAt)} s); answers while it was down: {Histogram(counters.DuringDbOutage)}");
        }
        await Task.WhenAll(workers);
        Console.WriteLine($"load done: {acked.Count} marks acknowledged, {counters.Retries} resends, {counters.Refused} refused, {counters.GaveUp} given up; answers: {Histogram(counters.Statuses)}");

        // Spectators of the killed node: back on a live node with a snapshot.
        await Task.Delay(2000);
        spectatorStop.Cancel();
        await Task.WhenAll(spectatorTasks);
        var reconnects = onKilledNode.Select(s => s.Reconnects.FirstOrDefault(r => r.LostAt >= killedAt)).ToList();
        var resumed = reconnects.Where(r => r is { SnapshotAt: not null }).Select(r => r!).ToList();
        var reconnectTimes = resumed.Select(r => (r.SnapshotAt!.Value - killedAt).TotalSeconds).Order().ToList();
        foreach (var (s, r) in onKilledNode.Zip(reconnects))
        {
            Console.WriteLine(r is null
                ? $"  spectator {s.Id}: no reconnect seen after the kill"
                : $"  spectator {s.Id}: lost {killUpstream} at +{Seconds(r.LostAt - killedAt)} s, snapshot seq {r.SnapshotSequence} (last seen {r.LastSequenceBefore}) from {r.NewNode} at +{Seconds((r.SnapshotAt ?? r.LostAt) - killedAt)} s after the kill, {r.Attempts} attempt(s)");
        }
        var otherDrops = spectators.Except(onKilledNode).Sum(s => s.Reconnects.Count(r => r.LostAt >= killedAt));
        var sequenceRegressions = spectators.Sum(s => s.SequenceRegressions);

        // Verification, as the organiser would: the database and the mark sheets.
        await Task.Delay(3000);
        var verdict = await VerifyAsync(o, admin, runId, acked, killUpstream);

        var reconnectOk = onKilledNode.Count == 0 || (resumed.Count == onKilledNode.Count && reconnectTimes[^1] <= 10);
        var noServerErrors = !counters.Statuses.ContainsKey("500");
        Console.WriteLine();
        Console.WriteLine($"RESULT acknowledged {acked.Count}, lost {verdict.Lost}, duplicated {verdict.Duplicated}, sheets mismatched {verdict.SheetMismatches}, " +
            $"surviving nodes' standings identical: {(verdict.StandingsIdentical ? "yes" : "NO")}, 500 answers: {counters.Statuses.GetValueOrDefault("500")}");
        Console.WriteLine($"RESULT spectators on the killed node {onKilledNode.Count}, resumed from a snapshot {resumed.Count}, reconnect after kill (s): " +
            $"{(reconnectTimes.Count == 0 ? "-" : string.Join(", ", reconnectTimes.Select(t => t.ToString("F2", CultureInfo.InvariantCulture))))}; " +
            $"other spectators dropped {otherDrops}, pushes out of order or repeated {sequenceRegressions}");
        var ok = verdict.Lost == 0 && verdict.Duplicated == 0 && verdict.SheetMismatches == 0 && verdict.StandingsIdentical && reconnectOk && noServerErrors && acked.Count > 0;
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    /// <summary>One tablet: batches one after another; each is resent with its key until answered.</summary>
    static async Task TabletAsync(HttpClient client, int tablet, Options o, string runId, Counters counters, ConcurrentDictionary<string, Acked> acked,
        Func<bool> dbDown, CancellationToken stopNew, CancellationToken hardStop)
    {
        // Each tablet owns a disjoint set of (competitor, aspect) cells, so the last acknowledged value of
        // a cell is well defined and must be what the sheet shows.
        var cells = Enumerable.Range(0, Competitors.Length * Aspects.Length).Where(c => c % o.Tablets == tablet).ToList();
        for (var i = 0; !stopNew.IsCancellationRequested && cells.Count > 0; i++)
        {
            var cell = cells[i % cells.Count];
            var competitor = $"{Competitors[cell / Aspects.Length]}-{Skill}";
            var aspect = Aspects[cell % Aspects.Length];
            var achieved = (i / cells.Count + tablet) % 3 != 0;
            var key = $"fo{runId}-t{tablet}-{i}";
            for (var attempt = 0; ; attempt++)
            {
                if (hardStop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref counters.GaveUp);
                    break;
                }
                if (attempt > 0)
                {
                    Interlocked.Increment(ref counters.Retries);
                    await Task.Delay(Math.Min(1000, 100 * attempt), CancellationToken.None);
                }
                var during = dbDown();
                string status;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"{SkillPath}/marks")
                    {
                        Content = JsonContent.Create(new { competitorId = competitor, marks = new[] { new { aspectId = aspect, achieved } } }),
                    };
                    request.Headers.Add("Idempotency-Key", key);
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    using var response = await client.SendAsync(request, timeout.Token);
                    status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                    Count(counters, status, during || dbDown());
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acked[key] = new Acked(key, tablet, competitor, aspect, achieved, Interlocked.Increment(ref counters.Order));
                        break;
                    }
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                    {
                        Interlocked.Increment(ref counters.Refused);
                        Console.WriteLine($"  refused {key}: {status} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    Count(counters, e is OperationCanceledException ? "timeout" : "connection error", during || dbDown());
                }
            }
            await Task.Delay(o.IntervalMs, CancellationToken.None);
        }
    }

    static void Count(Counters counters, string status, bool duringDbOutage)
    {
        counters.Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (duringDbOutage)
        {
            counters.DuringDbOutage.AddOrUpdate(status, 1, (_, n) => n + 1);
        }
    }

    sealed record Verdict(int Lost, int Duplicated, int SheetMismatches, bool StandingsIdentical);

    static async Task<Verdict> VerifyAsync(Options o, HttpClient admin, string runId, ConcurrentDictionary<string, Acked> acked, string killUpstream)
    {
        // 1. The audit trail: one accepted row per acknowledged key, none twice.
        var rows = new Dictionary<string, (int Count, string? Competitor)>();
        await using (var connection = new NpgsqlConnection(o.Postgres))
        {
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("""
                select idempotency_key, count(*)::int, min(competitor_id) from skillshub.audit
                where competition_code = @c and skill_number = @s and outcome = 'accepted' and idempotency_key like @prefix
                group by idempotency_key
                """, connection);
            query.Parameters.AddWithValue("c", Competition);
            query.Parameters.AddWithValue("s", (short)Skill);
            query.Parameters.AddWithValue("prefix", $"fo{runId}-%");
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows[reader.GetString(0)] = (reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }
        var lost = acked.Keys.Where(k => !rows.ContainsKey(k)).ToList();
        var duplicated = rows.Where(r => r.Value.Count > 1).Select(r => r.Key).ToList();
        Console.WriteLine($"audit: {rows.Count} keys with an accepted row ({rows.Count - acked.Count(a => rows.ContainsKey(a.Key))} accepted but never acknowledged to the tablet), " +
            $"{lost.Count} acknowledged keys missing{(lost.Count > 0 ? ": " + string.Join(", ", lost.Take(10)) : "")}, {duplicated.Count} keys with more than one accepted row");

        // 2. The mark sheets (organiser, through nginx): one version per accepted batch, the last acknowledged value per cell.
        var mismatches = 0;
        var sheetTotals = new Dictionary<string, decimal>();
        foreach (var member in Competitors)
        {
            var competitor = $"{member}-{Skill}";
            var sheet = await GetJsonAsync(admin, $"{SkillPath}/competitors/{competitor}/sheet");
            sheetTotals[competitor] = sheet.GetProperty("rawTotal").GetDecimal();
            var version = sheet.GetProperty("version").GetInt64();
            var accepted = rows.Count(r => r.Value.Competitor == competitor);
            if (version != accepted)
            {
                mismatches++;
                Console.WriteLine($"  sheet {competitor}: version {version}, but {accepted} batches accepted in the audit trail");
            }
            foreach (var last in acked.Values.Where(a => a.Competitor == competitor).GroupBy(a => a.Aspect).Select(g => g.MaxBy(a => a.Order)!))
            {
                var aspect = sheet.GetProperty("aspects").EnumerateArray().FirstOrDefault(a => a.GetProperty("aspectId").GetString() == last.Aspect);
                var shown = aspect.ValueKind == JsonValueKind.Object && aspect.GetProperty("measurement").ValueKind == JsonValueKind.String ? aspect.GetProperty("measurement").GetString() : null;
                var expected = last.Achieved ? "achieved" : "not achieved";
                if (shown != expected)
                {
                    mismatches++;
                    Console.WriteLine($"  sheet {competitor} {last.Aspect}: shows '{shown}', last acknowledged '{expected}' ({last.Key})");
                }
            }
        }
        Console.WriteLine($"sheets: {Competitors.Length} checked, {mismatches} mismatches; raw totals {string.Join(", ", sheetTotals.Select(t => $"{t.Key} {t.Value:0.##}"))}");

        // 3. Standings on every surviving node directly (live view, as the jury), once they settled.
        var survivors = o.Nodes.Where(n => new Uri(n).Authority != killUpstream).ToList();
        var identical = false;
        for (var attempt = 0; attempt < 20 && !identical; attempt++)
        {
            var views = new List<string>();
            foreach (var node in survivors)
            {
                var nodeAdmin = await SignInAsync(o with { Url = node });
                var standings = await GetJsonAsync(nodeAdmin, $"{SkillPath}/standings");
                views.Add($"seq {standings.GetProperty("sequence").GetInt64()} " + string.Join("; ", standings.GetProperty("rows").EnumerateArray()
                    .Select(r => $"{r.GetProperty("place").GetInt32()} {r.GetProperty("competitorId").GetString()} {r.GetProperty("raw").GetDecimal():0.##}")));
            }
            var rowsMatchSheets = views.Count > 0 && sheetTotals.All(t => views[0].Contains($" {t.Key} {t.Value:0.##}", StringComparison.Ordinal));
            identical = views.Distinct().Count() == 1 && rowsMatchSheets;
            if (identical || attempt == 19)
            {
                for (var i = 0; i < survivors.Count; i++)
                {
                    Console.WriteLine($"standings on {survivors[i]}: {views[i]}");
                }
                Console.WriteLine($"standings agree with the sheets: {(rowsMatchSheets ? "yes" : "no")}");
            }
            else
            {
                await Task.Delay(500);
            }
        }
        return new Verdict(lost.Count, duplicated.Count, mismatches, identical);
    }

    static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(path);
                if (response.IsSuccessStatusCode || attempt >= 10)
                {
                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadFromJsonAsync<JsonElement>();
                }
            }
            catch (HttpRequestException) when (attempt < 10)
            {
            }
            await Task.Delay(500);
        }
    }

    static async Task ShellAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' exited with {process.ExitCode}");
        }
    }

    static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);

    static string Histogram(ConcurrentDictionary<string, int> counts) =>
        counts.IsEmpty ? "none" : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} x{c.Value}"));

    static async Task<HttpClient> SignInAsync(Options o)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(o.Url) };
        for (var attempt = 1; ; attempt++)
        {
            var status = await BenchHttp.SignInAsync(client, o.AdminUser, o.AdminPassword);
            if (status == HttpStatusCode.OK)
            {
                return client;
            }
            if (attempt >= 10)
            {
                throw new InvalidOperationException($"sign-in as {o.AdminUser} at {o.Url}: {(int)status}");
            }
            await Task.Delay(1000);
        }
    }

    static async Task SetUpSkillAsync(HttpClient admin)
    {
        var scheme = new
        {
            title = "Failover test scheme",
            criteria = new[] { "A", "B" }.Select(c => new
            {
                id = c,
                name = "Criterion " + c,
                subCriteria = new[]
                {
                    new
                    {
                        id = c + "1",
                        name = "Measurements " + c,
                        aspects = Aspects.Where(a => a.StartsWith(c, StringComparison.Ordinal)).Select(a => new { id = a, type = "M", description = "Check " + a, markingDay = "C1", maxMark = 10.00m }).ToArray(),
                    },
                },
            }).ToArray(),
        };
        await Put(admin, $"{SkillPath}/competitors", "id,member,first_name,last_name\n" + string.Join("\n", Competitors.Select(m => $"{m}-{Skill},{m},Failover,{m}")), "text/csv");
        await Put(admin, $"{SkillPath}/experts", "id,member,name,role\n" + string.Join("\n", Judges.Select((m, i) => $"E-{m},{m},Expert {m},{(i == 0 ? "Chief Expert" : "Expert")}")), "text/csv");
        await Put(admin, $"{SkillPath}/scheme", JsonSerializer.Serialize(scheme), "application/json");
        await Put(admin, $"{SkillPath}/marking-groups", $"id,name,targets,experts\nG1,All,A;B,{string.Join(";", Judges.Select(m => "E-" + m))}", "text/csv");
    }

    static async Task<HttpClient> PairAsync(Options o, HttpClient admin, string expertId)
    {
        using var issued = await admin.PostAsJsonAsync($"{SkillPath}/pairing-codes", new { expertId });
        var code = (await issued.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        using var anonymous = new HttpClient { BaseAddress = new Uri(o.Url) };
        using var redeemed = await anonymous.PostAsJsonAsync("/api/pairing/redeem", new { code, deviceName = "failover " + expertId });
        var token = (await redeemed.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(10) }) { BaseAddress = new Uri(o.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    sealed record Reconnect(TimeSpan LostAt, long LastSequenceBefore)
    {
        public TimeSpan? SnapshotAt { get; set; }
        public long SnapshotSequence { get; set; }
        public string? NewNode { get; set; }
        public int Attempts { get; set; }
    }

    /// <summary>
    /// A spectator speaking SignalR's JSON protocol over a WebSocket, like the board page: negotiate
    /// (through nginx, with its affinity cookie), connect, Subscribe (which returns a snapshot), then
    /// "standings" pushes. When the connection drops it reconnects at once, then every 250 ms, and
    /// resumes from the snapshot that Subscribe returns.
    /// </summary>
    sealed class Spectator(int id, string url, Stopwatch clock)
    {
        const char Separator = '\u001e';
        readonly CookieContainer _cookies = new();

        public int Id => id;
        public string? Node { get; private set; }
        public string? NegotiatedOn { get; private set; }
        public long LastSequence { get; private set; } = -1;
        public int SequenceRegressions { get; private set; }
        public List<Reconnect> Reconnects { get; } = [];

        public async Task RunAsync(CancellationToken stop)
        {
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies }) { BaseAddress = new Uri(url) };
            Reconnect? pending = null;
            while (!stop.IsCancellationRequested)
            {
                if (pending is not null)
                {
                    pending.Attempts++;
                }
                try
                {
                    using var ws = await ConnectAsync(http, stop);
                    var invocation = 0;
                    Task Subscribe() => SendAsync(ws, $$"""{"type":1,"invocationId":"{{++invocation}}","target":"Subscribe","arguments":["{{Competition}}",{{Skill}}]}""", stop);
                    await Subscribe();
                    using var pinger = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    var ping = PingAsync(ws, pinger.Token);
                    try
                    {
                        await foreach (var message in ReceiveAsync(ws, stop))
                        {
                            var type = message.GetProperty("type").GetInt32();
                            if (type == 3 && message.TryGetProperty("error", out _))
                            {
                                // Subscribe failed (its event grain was on the dead silo and the cluster has not
                                // noticed yet): ask again on the same connection, as the board page does.
                                if (pending is not null)
                                {
                                    pending.Attempts++;
                                }
                                await Task.Delay(250, stop);
                                await Subscribe();
                            }
                            else if (type == 3 && message.TryGetProperty("result", out var snapshot))
                            {
                                Observe(snapshot.GetProperty("sequence").GetInt64(), snapshot: true);
                                if (pending is not null)
                                {
                                    pending.SnapshotAt = clock.Elapsed;
                                    pending.SnapshotSequence = LastSequence;
                                    pending.NewNode = Node;
                                    pending = null;
                                }
                            }
                            else if (type == 1 && message.GetProperty("target").GetString() == "standings")
                            {
                                Observe(message.GetProperty("arguments")[0].GetProperty("sequence").GetInt64(), snapshot: false);
                            }
                            else if (type == 7)
                            {
                                break;
                            }
                        }
                    }
                    finally
                    {
                        pinger.Cancel();
                        await ping.ContinueWith(_ => { }, TaskScheduler.Default);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception)
                {
                    // Dropped, refused or timed out: reconnect below.
                }
                if (stop.IsCancellationRequested)
                {
                    break;
                }
                if (pending is null)
                {
                    pending = new Reconnect(clock.Elapsed, LastSequence) { Attempts = 0 };
                    Reconnects.Add(pending);
                    continue; // reconnect at once
                }
                await Task.Delay(250, CancellationToken.None);
            }
        }

        void Observe(long sequence, bool snapshot)
        {
            // Pushes must increase; a snapshot may repeat the last sequence but never go back.
            if (sequence < LastSequence || (!snapshot && sequence == LastSequence))
            {
                SequenceRegressions++;
            }
            LastSequence = Math.Max(LastSequence, sequence);
        }

        async Task<ClientWebSocket> ConnectAsync(HttpClient http, CancellationToken stop)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var negotiate = await http.PostAsync("/hubs/leaderboard/negotiate?negotiateVersion=1", null, timeout.Token);
            negotiate.EnsureSuccessStatusCode();
            NegotiatedOn = negotiate.Headers.TryGetValues("X-SkillsHub-Upstream", out var n) ? LastUpstream(n.First()) : null;
            var token = (await negotiate.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("connectionToken").GetString();
            var ws = new ClientWebSocket();
            ws.Options.Cookies = _cookies;
            ws.Options.CollectHttpResponseDetails = true;
            var wsUrl = new UriBuilder(url) { Scheme = url.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws", Path = "/hubs/leaderboard", Query = "id=" + Uri.EscapeDataString(token!) }.Uri;
            try
            {
                await ws.ConnectAsync(wsUrl, timeout.Token);
                Node = ws.HttpResponseHeaders?.TryGetValue("X-SkillsHub-Upstream", out var u) == true ? LastUpstream(u.First()) : NegotiatedOn;
                await SendAsync(ws, """{"protocol":"json","version":1}""", timeout.Token);
                return ws;
            }
            catch
            {
                ws.Dispose();
                throw;
            }
        }

        // "$upstream_addr" lists every peer tried ("127.0.0.1:5102, 127.0.0.1:5103"); the last one answered.
        static string LastUpstream(string value) => value.Split(',', StringSplitOptions.TrimEntries)[^1];

        static Task SendAsync(ClientWebSocket ws, string json, CancellationToken ct) =>
            ws.SendAsync(Encoding.UTF8.GetBytes(json + Separator), WebSocketMessageType.Text, true, ct);

        static async Task PingAsync(ClientWebSocket ws, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(10_000, ct);
                await SendAsync(ws, """{"type":6}""", ct);
            }
        }

        static async IAsyncEnumerable<JsonElement> ReceiveAsync(ClientWebSocket ws, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            var buffer = new byte[64 * 1024];
            var text = new StringBuilder();
            while (ws.State == WebSocketState.Open)
            {
                var result = await ws.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    yield break;
                }
                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var frames = text.ToString().Split(Separator, StringSplitOptions.RemoveEmptyEntries);
                text.Clear();
                foreach (var frame in frames)
                {
                    using var doc = JsonDocument.Parse(frame);
                    // The handshake answer is "{}" (no type).
                    if (doc.RootElement.TryGetProperty("type", out _))
                    {
                        yield return doc.RootElement.Clone();
                    }
                }
            }
        }
    }
}
