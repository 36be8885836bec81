using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>
/// The server as a process, as systemd or a terminal runs it: settings it refuses before it touches its database, signals
/// while its PostgreSQL starts, a kill, a SIGTERM with its database gone. Each test starts the server (and PostgreSQL) of
/// its own; they mostly wait on processes, so they are a collection of their own beside the outage tests.
/// </summary>
[Collection(ServerCollection.Processes)]
public sealed class ServerProcessTests
{
    /// <summary>Found by an outside tester: a busy Embedded:Port said only pg_ctl's "Examine the log output".</summary>
    [Fact]
    public async Task APrivateServerOnABusyPort_SaysWhatPostgresLogged_AndWhere()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "skillshub-busy-" + Guid.NewGuid().ToString("N")[..8]);
        var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
            var refused = await Assert.ThrowsAsync<PostgresSetupException>(() => PrivatePostgres.StartAsync(new PrivatePostgresOptions { DataDirectory = dataDirectory, Port = port }));
            Assert.Contains("could not bind", refused.Message);
            Assert.Contains(Path.Combine(dataDirectory, "server.log"), refused.Message);
            Assert.DoesNotContain('\n', refused.Message);
        }
        finally
        {
            holder.Stop();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task BadConnectionString_ExitsNonZeroWithOneClearLine()
    {
        var port = TestNode.FreePort();
        // Every other production setting given: the database that does not answer is what is said.
        var (exitCode, output) = await RunServerAsync($"--ConnectionStrings:Postgres=Host=127.0.0.1;Port={port};Database=nowhere;Username=postgres",
            "--PublicBaseUrl=https://results.example.org", $"--Credentials:KeyEncryptionKey={TestNode.CredentialsKey}", $"--DataProtection:KeyEncryptionKey={TestNode.DataProtectionKey}");

        // Nothing answers on that port, as when the database machine is still booting: a supervisor starts the node again
        // (exit code 75; found by an outside tester: it was 1, which the shipped systemd unit never restarts).
        Assert.Equal(75, exitCode);
        Assert.Contains("SkillsHub could not start: cannot use the PostgreSQL database 'nowhere' at 127.0.0.1:" + port, output);
        Assert.Contains("It may not be up yet: exit code 75", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task MalformedConnectionString_ExitsNonZeroNamingTheSetting()
    {
        var (exitCode, output) = await RunServerAsync("--ConnectionStrings:Postgres=Hots=nowhere");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings:Postgres is not a valid PostgreSQL connection string", output);
        Assert.DoesNotContain("   at ", output);
    }

    /// <summary>A bad stop limit is refused in one line before anything is made (an outside tester: after the embedded
    /// PostgreSQL had been created and migrated).</summary>
    [Fact]
    public async Task BadStopLimit_ExitsNonZeroNamingTheSetting_BeforeMakingAnything()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "skillshub-stoplimit-" + Guid.NewGuid().ToString("N")[..8]);
        var (exitCode, output) = await RunServerAsync("--Hosting:StopLimitSeconds=abc", $"--Embedded:DataDirectory={dataDirectory}");

        Assert.Equal(1, exitCode);
        Assert.Contains("SkillsHub could not start: Hosting:StopLimitSeconds must be a whole number of seconds from 1 to 3600 (not 'abc').", output);
        Assert.False(Directory.Exists(dataDirectory), "the embedded PostgreSQL's data directory was made");
    }

    /// <summary>
    /// Any setting the start cannot use is one line and exit code 1 (found by an outside tester: an abort with a stack trace,
    /// exit code 134), said before the embedded PostgreSQL is made and before any line of the log (found by outside testers:
    /// a schedule that is not a cron expression, and the first admin's password, were refused once the start had gone far).
    /// Under the JSON log format the line is a JSON object, as the log's entries are (a collector read plain text); under
    /// systemd's it has its syslog priority.
    /// </summary>
    [Theory]
    [InlineData("--Orleans:SiloPort=70000", "simple")]
    [InlineData("--Certification:PromotionsCron=bogus", "systemd")]
    [InlineData("--Bootstrap:AdminPassword=short", "json")]
    public async Task ASettingTheStartCannotUse_ExitsWithOneLine_BeforeItsDatabase(string setting, string format)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "skillshub-badsetting-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (exitCode, output) = await RunServerAsync(setting, $"--Embedded:DataDirectory={dataDirectory}", "--Demo:Seed=false",
                $"--Logging:Console:FormatterName={format}");
            Assert.True(exitCode == 1, $"exit code {exitCode}: {output}");
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.False(Directory.Exists(dataDirectory), "the embedded PostgreSQL's data directory was made");
            if (format == "json")
            {
                // The fields the JSON console formatter writes for an entry, the message the plain line would be.
                var entry = JsonDocument.Parse(line).RootElement;
                Assert.Equal(["Timestamp", "EventId", "LogLevel", "Category", "Message", "State"], entry.EnumerateObject().Select(p => p.Name));
                Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry.GetProperty("Timestamp").GetString());
                Assert.Equal("Critical", entry.GetProperty("LogLevel").GetString());
                line = entry.GetProperty("Message").GetString()!;
            }
            else if (format == "systemd")
            {
                // With its syslog priority, as the node's other lines (another tester: the journal took it for an ordinary one).
                Assert.StartsWith("<2>SkillsHub.Server[0] ", line);
                line = line["<2>SkillsHub.Server[0] ".Length..];
            }
            Assert.StartsWith($"SkillsHub could not start: {setting[2..setting.IndexOf('=')]}", line);
            Assert.True(line.Length < 600, line);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>
    /// Ctrl-C or SIGTERM while the embedded PostgreSQL starts (found by an outside tester: exit code 130 or 143 and not a word,
    /// the PostgreSQL left to its watchdog): the start ends, stops the PostgreSQL it started, says so in one line and exits
    /// with code 0 (docs/deployment.md, "Stopping").
    /// </summary>
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task ASignalWhileThePostgresStarts_StopsIt_AndSaysSo(string signal)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "skillshub-signal-" + Guid.NewGuid().ToString("N")[..8]);
        var output = new System.Text.StringBuilder();
        using var server = StartServer(output, $"--Embedded:DataDirectory={dataDirectory}", "--urls=http://127.0.0.1:0",
            $"--Orleans:SiloPort={TestNode.FreePort()}");
        try
        {
            var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            var postmaster = 0;
            Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(TryReadReadyPostmaster(pidFile, out postmaster)), TimeSpan.FromSeconds(60)), "embedded PostgreSQL never started");
            using (var kill = Process.Start("kill", [$"-{signal}", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(deadline.Token);

            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}: {output}");
            Assert.Contains(Hosting.SkillsHubNode.StoppedWhileStarting, output.ToString());
            // Stopped by the node before it exited (its watchdog notices the owner gone only a second later): PostgreSQL removes
            // its PID file as it ends, the process a moment after.
            Assert.False(File.Exists(pidFile), "the node exited with its embedded PostgreSQL running");
            Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(!PrivatePostgres.IsAlive(postmaster)), TimeSpan.FromSeconds(5)), "the embedded PostgreSQL outlived its node");
        }
        finally
        {
            await KillAndRemoveAsync(server, dataDirectory);
        }
    }

    [Fact]
    public async Task KilledServer_LeavesNoPostgresRunning()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "skillshub-orphan-" + Guid.NewGuid().ToString("N")[..8]);
        using var server = StartServer($"--Embedded:DataDirectory={dataDirectory}", "--urls=http://127.0.0.1:0",
            $"--Orleans:SiloPort={TestNode.FreePort()}");
        try
        {
            // initdb's single-user backends write and remove postmaster.pid too: wait for the server's own, which
            // says "ready" on its status line once it accepts connections.
            var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            var postmaster = 0;
            Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(TryReadReadyPostmaster(pidFile, out postmaster)), TimeSpan.FromSeconds(60)), "embedded PostgreSQL never started");

            server.Kill(); // SIGKILL: no chance to clean up

            Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(!PrivatePostgres.IsAlive(postmaster)), TimeSpan.FromSeconds(20)),
                "the embedded PostgreSQL outlived its killed owner");
        }
        finally
        {
            await KillAndRemoveAsync(server, dataDirectory);
        }
    }

    /// <summary>
    /// A node whose database has gone away still ends on SIGTERM: Orleans' silo retries its membership row for as long as
    /// the database is unreachable, so the stop outlasts its limit (Hosting:StopLimitSeconds) and the process ends with exit
    /// code 3 and one line saying why (an outside tester had to kill such a node; docs/deployment.md, "Stopping").
    /// </summary>
    [Fact]
    public async Task SigTerm_WithTheDatabaseDown_EndsTheProcessAtItsStopLimit()
    {
        await using var postgres = await PrivatePostgres.StartTemporaryAsync();
        var port = TestNode.FreePort();
        var output = new System.Text.StringBuilder();
        using var server = StartServer(output, [.. ProductionSettings(postgres, port), "--Hosting:StopLimitSeconds=5"]);
        try
        {
            await ReadyAsync(port, output);

            await postgres.KillForTestAsync();
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(deadline.Token);

            Assert.Equal(3, server.ExitCode);
            Assert.Contains("SkillsHub did not stop within 5 s (is its database reachable?); ending the process.", output.ToString());
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    /// <summary>
    /// A stop the host cuts short (its time for its services past before Hangfire's workers had ended: an outside tester's
    /// 100,000 workers; here the host given no time at all) ends with exit code 3 and one line, as a stop past its limit does,
    /// not with an unhandled TaskCanceledException and a stack dump (docs/deployment.md, "Stopping").
    /// </summary>
    [Fact]
    public async Task SigTerm_WhenTheHostCutsTheStopShort_EndsWithOneLine_NotAnUnhandledException()
    {
        await using var postgres = await PrivatePostgres.StartTemporaryAsync();
        var port = TestNode.FreePort();
        var output = new System.Text.StringBuilder();
        using var server = StartServer(output, [.. ProductionSettings(postgres, port), "--shutdownTimeoutSeconds=0", "--Jobs:WorkerCount=100"]);
        try
        {
            await ReadyAsync(port, output);

            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(deadline.Token);

            Assert.True(server.ExitCode == 3, $"exit code {server.ExitCode}: {output}");
            Assert.Contains("SkillsHub did not stop in order within the host's 0 s for its services (", output.ToString());
            Assert.DoesNotContain("Unhandled exception", output.ToString());
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    /// <summary>Kills the server if it still runs, waits for its embedded PostgreSQL to be gone, and removes its data directory.</summary>
    static async Task KillAndRemoveAsync(Process server, string dataDirectory)
    {
        if (!server.HasExited)
        {
            server.Kill();
        }
        await TestNode.EventuallyAsync(() => Task.FromResult(!File.Exists(Path.Combine(dataDirectory, "postmaster.pid"))), TimeSpan.FromSeconds(20));
        Directory.Delete(dataDirectory, recursive: true);
    }

    static bool TryReadReadyPostmaster(string pidFile, out int pid)
    {
        pid = 0;
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length >= 8 && lines[7].Trim() == "ready" && int.TryParse(lines[0], out pid);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>What a production node needs to start on <paramref name="postgres"/>, listening on <paramref name="port"/>.</summary>
    static string[] ProductionSettings(PrivatePostgres postgres, int port) =>
    [
        $"--ConnectionStrings:Postgres={postgres.ConnectionString}", $"--urls=http://127.0.0.1:{port}", $"--PublicBaseUrl=http://127.0.0.1:{port}",
        $"--Credentials:KeyEncryptionKey={TestNode.CredentialsKey}", $"--DataProtection:KeyEncryptionKey={TestNode.DataProtectionKey}",
        $"--Orleans:SiloPort={TestNode.FreePort()}",
    ];

    /// <summary>Waits until the node on <paramref name="port"/> answers ready (its output in the failure).</summary>
    static async Task ReadyAsync(int port, System.Text.StringBuilder output)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90)), "the node never became ready: " + output);
    }

    static Process StartServer(params string[] args) => StartServer(null, args);

    /// <summary>
    /// Starts the server as a process; what it writes goes to <paramref name="output"/> when given. It heeds Ctrl-C's SIGINT as
    /// at a terminal (coreutils' env puts it back): test.sh runs the suites as background jobs, whose SIGINT the shell ignores,
    /// and a process keeps an ignored signal ignored for its children.
    /// </summary>
    static Process StartServer(System.Text.StringBuilder? output, params string[] args)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "SkillsHub.Server.dll");
        var start = new ProcessStartInfo("env", ["--default-signal=INT,QUIT", "dotnet", "exec", serverDll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var process = Process.Start(start)!;
        void Keep(object _, DataReceivedEventArgs line)
        {
            if (output is not null && line.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(line.Data);
                }
            }
        }
        process.OutputDataReceived += Keep;
        process.ErrorDataReceived += Keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task<(int exitCode, string output)> RunServerAsync(params string[] args)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "SkillsHub.Server.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", serverDll, "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={TestNode.FreePort()}", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A start that initialises an embedded PostgreSQL took over a minute on the two-core machine with the other suites
        // and an outside tester's server beside it: a deadline for a loaded machine, and what the server said when it is
        // passed (it failed with a bare TaskCanceledException).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"The server did not exit within 180 s: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
