using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace SkillsHub.Bench;

/// <summary>Small pieces every benchmark needs: a free port, a checked PUT, the pairing answers' shapes.</summary>
public static class BenchHttp
{
    /// <summary>The production settings a node with a connection string needs: its public address and the credentials key.</summary>
    public static string[] ProductionArgs(int port) =>
        [$"--PublicBaseUrl=http://127.0.0.1:{port}", "--Credentials:KeyEncryptionKey=YmVuY2ggYmVuY2ggYmVuY2ggYmVuY2ggYmVuY2ggYmU=", "--DataProtection:KeyEncryptionKey=YmVuY2ggZGF0YSBwcm90ZWN0aW9uIGtleSBiZW5jaCE="];

    /// <summary>A free loopback port outside the range this generator's own outgoing connections take (<see cref="SkillsHub.Storage.LoopbackPorts"/>).</summary>
    public static int FreePort() => SkillsHub.Storage.LoopbackPorts.Free();

    /// <summary>PUT a setup file; a refusal stops the benchmark with the server's problem text.</summary>
    public static async Task Put(HttpClient client, string path, string body, string type)
    {
        using var response = await client.PutAsync(path, new StringContent(body, Encoding.UTF8, type));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Signs a cookie client in and makes it send the antiforgery token from the sign-in answer on
    /// every request, as a cookie session must for changes (docs/security.md). Returns the sign-in answer's status.
    /// </summary>
    public static async Task<HttpStatusCode> SignInAsync(HttpClient client, string userName, string password)
    {
        using var login = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/api/auth/login", new { userName, password });
        if (login.IsSuccessStatusCode)
        {
            var answer = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(login.Content);
            client.DefaultRequestHeaders.Remove("X-XSRF-TOKEN");
            client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", answer.GetProperty("antiforgeryToken").GetString());
        }
        return login.StatusCode;
    }

    public sealed record CodeDto(string Code);

    public sealed record DeviceDto(string Token);
}

/// <summary>One process's /proc/PID/stat (Linux): its parent, CPU time (user + system) and resident memory.</summary>
public sealed record ProcStat(int ParentId, TimeSpan Cpu, long RssBytes)
{
    const double TicksPerSecond = 100; // USER_HZ

    public static ProcStat Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the name: state(0) ppid(1) ... utime(11) stime(12) ... rss(21).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        return new ProcStat((int)Field(1), TimeSpan.FromSeconds((Field(11) + Field(12)) / TicksPerSecond), Field(21) * Environment.SystemPageSize);
    }
}

/// <summary>CPU time used by this process and by one PostgreSQL server (postmaster and its backends), from /proc.</summary>
public sealed class CpuMeter(string postgresDataDirectory)
{
    public (TimeSpan Self, TimeSpan Postgres) Read()
    {
        var self = Process.GetCurrentProcess().TotalProcessorTime;
        var postgres = TimeSpan.Zero;
        var pidFile = Path.Combine(postgresDataDirectory, "postmaster.pid");
        if (OperatingSystem.IsLinux() && File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var postmaster))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }
                try
                {
                    var process = ProcStat.Read(pid);
                    if (pid == postmaster || process.ParentId == postmaster)
                    {
                        postgres += process.Cpu;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // It ended while we read it.
                }
            }
        }
        return (self, postgres);
    }
}
