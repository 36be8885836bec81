using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SkillsHub.Bench;

/// <summary>
/// What idle followers of the results feed cost a running node (docs/feed.md, "How it works"): opens --streams streams of
/// GET /api/competitions/{code}/events that wait for events (?since= the last event), then measures the machine's busy CPU
/// over --seconds, and the same with no stream open first, as the baseline. Run it against a node started with
/// ./run.sh; the machine should be otherwise idle. Each stream is a plain socket (no HttpClient pool in between).
/// </summary>
public static class FeedBench
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    static async Task<int> RunAsync(string[] args)
    {
        string Text(string name, string fallback) => BenchArgs.Text(args, name, fallback);
        var url = new Uri(Text("--url", "http://127.0.0.1:5000"));
        var streams = BenchArgs.Int(args, "--streams", 500);
        var seconds = BenchArgs.Int(args, "--seconds", 10);
        var code = Text("--competition", "WSC2024");

        var idle = await BusyCoresAsync(seconds);
        var open = new List<Socket>();
        long last;
        try
        {
            // A resume point past the last event is refused (409) with the last id: the streams resume from there and wait.
            using (var http = new HttpClient { BaseAddress = url })
            {
                var ahead = await http.GetAsync($"/api/competitions/{code}/events?since={long.MaxValue}");
                last = System.Text.Json.JsonDocument.Parse(await ahead.Content.ReadAsStringAsync()).RootElement.GetProperty("lastEventId").GetInt64();
            }
            var request = Encoding.ASCII.GetBytes($"GET /api/competitions/{code}/events?since={last} HTTP/1.1\r\nHost: {url.Authority}\r\n\r\n");
            for (var i = 0; i < streams; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(url.Host, url.Port);
                await socket.SendAsync(request);
                open.Add(socket);
            }
            // Every stream answers its headers at once (a follower with nothing to receive included).
            var answered = 0;
            var buffer = new byte[512];
            foreach (var socket in open)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    var read = await socket.ReceiveAsync(buffer, wait.Token);
                    answered += Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal) ? 1 : 0;
                }
                catch (OperationCanceledException)
                {
                }
            }
            var busy = await BusyCoresAsync(seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"feed: {streams} idle streams on {url} ({answered} answered within 5 s); machine busy {busy:0.00} cores over {seconds} s, {idle:0.00} with none open (baseline, same run)"));
            return answered == streams ? 0 : 1;
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>The machine's busy cores (all processes: the node, its PostgreSQL and this one) over a window, from /proc/stat.</summary>
    static async Task<double> BusyCoresAsync(int seconds)
    {
        static long Busy()
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]; // user nice system irq softirq steal
        }
        var before = Busy();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        return (Busy() - before) / 100.0 / seconds;
    }
}
