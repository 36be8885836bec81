using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SkillsHub.Bench;

/// <summary>Small pieces every benchmark needs: a free port, a checked PUT, the pairing answers' shapes.</summary>
public static class BenchHttp
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>PUT a setup file; a refusal stops the benchmark with the server's problem text.</summary>
    public static async Task Put(HttpClient client, string path, string body, string type)
    {
        using var response = await client.PutAsync(path, new StringContent(body, Encoding.UTF8, type));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public sealed record CodeDto(string Code);

    public sealed record DeviceDto(string Token);
}

/// <summary>CPU time used by this process and by one PostgreSQL server (postmaster and its backends), from /proc.</summary>
public sealed class CpuMeter(string postgresDataDirectory)
{
    static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public (TimeSpan Self, TimeSpan Postgres) Read()
    {
        var self = Process.GetCurrentProcess().TotalProcessorTime;
        var postgres = TimeSpan.Zero;
        var pidFile = Path.Combine(postgresDataDirectory, "postmaster.pid");
        if (OperatingSystem.IsLinux() && File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var postmaster))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var pid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                    if (pid == postmaster || int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                    {
                        // Fields after the name: state(0) ppid(1) ... utime(11) stime(12).
                        postgres += TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
                    }
                }
                catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
                {
                    // Not a process, or it ended while we read it.
                }
            }
        }
        return (self, postgres);
    }
}
