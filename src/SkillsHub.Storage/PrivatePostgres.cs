using System.Diagnostics;
using Npgsql;

namespace SkillsHub.Storage;

/// <summary>Settings for a PostgreSQL server that SkillsHub starts and owns itself.</summary>
public sealed record PrivatePostgresOptions
{
    /// <summary>Data directory; created and initialised on first use.</summary>
    public required string DataDirectory { get; init; }

    public string Database { get; init; } = "skillshub";

    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Ports the owner binds itself (a node's HTTP and cluster ports), never picked when <see cref="Port"/> is 0: they
    /// may still be free while PostgreSQL starts, and taken by the owner a moment later.
    /// </summary>
    public IReadOnlySet<int> ReservedPorts { get; init; } = new HashSet<int>();

    /// <summary>Delete the data directory when the server stops (test fixtures).</summary>
    public bool DeleteOnStop { get; init; }

    /// <summary>
    /// Turn off fsync for throwaway test databases. Commits still happen in the same order,
    /// so a clean restart keeps everything; only an OS crash could lose data, which tests never do.
    /// </summary>
    public bool Ephemeral { get; init; }
}

/// <summary>
/// A private PostgreSQL server: initdb a data directory, start it on loopback with its socket in a
/// private directory, create the database, and stop it when the owner goes away. Used by the run
/// command (embedded default under ./.data/postgres) and by every test fixture, so both exercise the
/// same code.
/// </summary>
public sealed partial class PrivatePostgres : IAsyncDisposable
{
    const string OwnerFile = "skillshub-owner.pid";

    readonly PrivatePostgresOptions _options;
    readonly PostgresBinaries _bin;
    readonly string _socketDirectory;
    int _stopped;

    readonly string _password;

    PrivatePostgres(PrivatePostgresOptions options, PostgresBinaries bin, string socketDirectory, int port, string password)
    {
        _options = options;
        _bin = bin;
        _socketDirectory = socketDirectory;
        _password = password;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = options.Database,
            Username = "postgres",
            Password = password,
            // The server shares this machine's cores with the node: more backends than that only queue
            // and switch inside PostgreSQL, so the node queues for a connection instead.
            MaxPoolSize = 16,
        }.ConnectionString;
    }

    public int Port { get; }

    public string ConnectionString { get; }

    public string DataDirectory => _options.DataDirectory;

    /// <summary>Starts a throwaway server in a fresh temporary directory (test fixtures).</summary>
    public static Task<PrivatePostgres> StartTemporaryAsync(string database = "skillshub", CancellationToken cancellationToken = default) =>
        StartAsync(new PrivatePostgresOptions
        {
            DataDirectory = Path.Combine(ScratchRoot, "skillshub-pg-" + Guid.NewGuid().ToString("N")[..12]),
            Database = database,
            DeleteOnStop = true,
            Ephemeral = true,
        }, cancellationToken);

    /// <summary>The folder under which <see cref="ReachableDataDirectoryAsync"/> puts data directories the server user could not reach.</summary>
    public const string FallbackRoot = "/var/lib/skillshub";

    /// <summary>
    /// The data directory to use for <paramref name="preferred"/>: itself when the server user can enter and
    /// write it (always, when not root). As root with a checkout the <c>postgres</c> user cannot enter (root's
    /// home, a <c>mktemp -d</c> folder), a directory under <paramref name="fallbackRoot"/> named after the
    /// preferred path instead, so each checkout keeps its own data there between runs (docs/deployment.md).
    /// </summary>
    public static async Task<string> ReachableDataDirectoryAsync(string preferred, string fallbackRoot = FallbackRoot, CancellationToken cancellationToken = default)
    {
        preferred = Path.GetFullPath(preferred);
        if (OperatingSystem.IsLinux() && ReadOnlyMountOf(preferred, File.ReadAllLines("/proc/self/mountinfo")) is { } mount)
        {
            // Nobody can write there, root included: not a folder the postgres user cannot enter, and not a reason to start an
            // empty database elsewhere (found by an outside tester: an empty read-only folder was traded for a fresh one under
            // /var/lib/skillshub, the log blaming a parent folder's permissions).
            throw new PostgresSetupException($"the data directory {preferred} is on a read-only file system (mounted read-only at {mount}): mount it writable or name a folder on a writable disk.");
        }
        var bin = await PostgresBinaries.FindAsync(cancellationToken);
        if (await bin.ServerUserCanUseAsync(preferred, cancellationToken))
        {
            return preferred;
        }
        if (File.Exists(Path.Combine(preferred, "PG_VERSION")))
        {
            // A database is there already: a new, empty one elsewhere would look like every record gone (found by an outside
            // tester: a read-only data directory was replaced by a freshly seeded demo, and the node said it was ready).
            throw new PostgresSetupException($"the data directory {preferred} holds a database the postgres user cannot write (read-only, or its permissions changed): make it writable again; SkillsHub does not start an empty database in its place.");
        }
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(preferred)))[..12];
        var checkout = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(preferred.TrimEnd(Path.DirectorySeparatorChar)))) is { Length: > 0 } name ? name : "skillshub";
        var home = Path.Combine(fallbackRoot, $"{checkout}-{id}");
        Directory.CreateDirectory(home);
        if (!OperatingSystem.IsWindows())
        {
            // Others may enter (not list) these folders: the server user needs to pass through to its own directory.
            var enterable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(fallbackRoot, enterable | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetUnixFileMode(home, enterable);
        }
        return Path.Combine(home, Path.GetFileName(preferred.TrimEnd(Path.DirectorySeparatorChar)));
    }

    /// <summary>
    /// The mount point holding <paramref name="path"/> when that file system is mounted read-only, else null, from the lines of
    /// <c>/proc/self/mountinfo</c> (proc(5)): the last mount of the longest mount point above the path, read-only when its
    /// mount options or its file system's say <c>ro</c>.
    /// </summary>
    public static string? ReadOnlyMountOf(string path, IEnumerable<string> mountinfo)
    {
        string? best = null;
        var readOnly = false;
        foreach (var line in mountinfo)
        {
            var fields = line.Split(' ');
            var separator = fields.Length < 7 ? -1 : Array.IndexOf(fields, "-", 6);
            if (separator < 0 || separator + 3 >= fields.Length)
            {
                continue;
            }
            var point = System.Text.RegularExpressions.Regex.Replace(fields[4], @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
            var holds = point == "/" || path == point || path.StartsWith(point + "/", StringComparison.Ordinal);
            if (holds && (best is null || point.Length >= best.Length))
            {
                best = point;
                readOnly = fields[5].Split(',').Contains("ro") || fields[separator + 3].Split(',').Contains("ro");
            }
        }
        return readOnly ? best : null;
    }

    public static async Task<PrivatePostgres> StartAsync(PrivatePostgresOptions options, CancellationToken cancellationToken = default)
    {
        var bin = await PostgresBinaries.FindAsync(cancellationToken);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        options = options with { DataDirectory = dataDirectory };
        Directory.CreateDirectory(dataDirectory);
        await bin.GiveToServerUserAsync(dataDirectory, cancellationToken);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            if (options.Ephemeral)
            {
                CopyDirectory(await PristineAsync(bin, cancellationToken), dataDirectory);
            }
            else
            {
                await bin.RunAsync("initdb", InitdbArguments(dataDirectory), asServerUser: true, cancellationToken);
            }
        }
        var password = LockDown(dataDirectory);
        await bin.GiveToServerUserAsync(dataDirectory, cancellationToken);

        await TakeOverFromDeadOwnerAsync(bin, dataDirectory, cancellationToken);

        // Unix socket paths are limited to ~107 bytes, so the socket lives in a short private temp dir.
        var socketDirectory = Path.Combine(Path.GetTempPath(), "skillshub-sock-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(socketDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        await bin.GiveToServerUserAsync(socketDirectory, cancellationToken);

        var port = options.Port == 0 ? LoopbackPorts.Free(options.ReservedPorts) : options.Port;

        // The owner file and the watchdog come before the server, so an owner killed while PostgreSQL is
        // still starting does not leave it running.
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, OwnerFile), Environment.ProcessId.ToString(), cancellationToken);
        var server = new PrivatePostgres(options, bin, socketDirectory, port, password);
        server.StartWatchdog();

        var log = Path.Combine(dataDirectory, "server.log");
        for (var attempt = 1; ; attempt++)
        {
            var logged = File.Exists(log) ? new FileInfo(log).Length : 0;
            try
            {
                await bin.RunAsync("pg_ctl", ["-D", dataDirectory, "-l", log, "-o", ServerOptions(options, server.Port, socketDirectory), "-w", "-t", "60", "start"],
                    asServerUser: true, cancellationToken);
                break;
            }
            catch (PostgresSetupException) when (options.Port == 0 && attempt < 3 && PortWasTaken(log, logged))
            {
                // A port we chose was free when checked, and another process bound it before PostgreSQL did (processes
                // side by side share the range): the same server on another free port. The watchdog is the same.
                var taken = new HashSet<int>(options.ReservedPorts) { server.Port };
                server = new PrivatePostgres(options, bin, socketDirectory, LoopbackPorts.Free(taken), password);
            }
            catch (PostgresSetupException e) when (LoggedSince(log, logged) is { } cause)
            {
                // pg_ctl says only "Examine the log output": the cause PostgreSQL logged, and where (found by an outside
                // tester: Embedded:Port set to a busy port said no more than that).
                throw new PostgresSetupException($"{e.Message.ReplaceLineEndings(" ").TrimEnd()} PostgreSQL logged: {cause} (its log: {log})");
            }
        }
        await server.SetPasswordAndCreateDatabaseAsync(cancellationToken);
        return server;
    }

    /// <summary>
    /// A server left running by a process that crashed (or was killed) is stopped before we start ours;
    /// a server whose owner is still alive belongs to someone else and is refused with a clear message.
    /// </summary>
    static async Task TakeOverFromDeadOwnerAsync(PostgresBinaries bin, string dataDirectory, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }
        var running = await bin.TryRunAsync("pg_ctl", ["-D", dataDirectory, "status"], asServerUser: true, cancellationToken);
        if (!running)
        {
            return;
        }
        var ownerFile = Path.Combine(dataDirectory, OwnerFile);
        if (File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner) && owner != Environment.ProcessId && IsAlive(owner))
        {
            throw new PostgresSetupException(
                $"The PostgreSQL data directory {dataDirectory} is in use by another SkillsHub process (pid {owner}). " +
                "Stop that process, or point this node at the same database with ConnectionStrings:Postgres.");
        }
        if (await bin.TryRunAsync("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"], asServerUser: true, cancellationToken))
        {
            return;
        }
        // The dead owner's watchdog may be stopping the same server at this moment, and pg_ctl's stop then finds its PID
        // file gone and fails (an outside tester saw a restart right after a kill -9 refuse to start). What matters is that
        // the server is down: wait for that, as a fast shutdown takes a few seconds.
        for (var waited = 0; waited < 120; waited++)
        {
            if (!await bin.TryRunAsync("pg_ctl", ["-D", dataDirectory, "status"], asServerUser: true, cancellationToken))
            {
                return;
            }
            await Task.Delay(500, cancellationToken);
        }
        throw new PostgresSetupException($"The PostgreSQL left running in {dataDirectory} by a SkillsHub process that has ended did not stop within 60 s.");
    }

    /// <summary>Whether a process of that id is running (the tests ask it about an embedded server's postmaster too).</summary>
    internal static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    static string[] InitdbArguments(string dataDirectory) => ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"];

    /// <summary>
    /// A detached shell that stops the server once this process is gone, however it went
    /// (Ctrl-C, kill -9, a crashed test host), so no orphaned postgres processes pile up.
    /// </summary>
    void StartWatchdog()
    {
        var stop = _bin.ShellCommand("pg_ctl", ["-D", _options.DataDirectory, "-m", "fast", "-w", "stop"]);
        var cleanup = _options.DeleteOnStop ? $"; rm -rf {Quote(_options.DataDirectory)}" : "";
        // Once the owner is gone: stop the server if it is running (or still coming up, for up to 60 s), and give up as
        // soon as the owner file no longer names the owner: gone (the owner stopped it cleanly before exiting), or naming
        // a node started since on the same data directory, whose own server this is not ours to stop (found by an outside
        // tester: a node started right after the last one exited had its PostgreSQL stopped under it by the old watchdog).
        var data = Quote(_options.DataDirectory);
        var owner = Environment.ProcessId;
        // `tail --pid` waits for the owner inside one process (a `kill -0; sleep 1` loop forks a sleep a second for as
        // long as the owner lives, and a test process owns many servers).
        var script = $"tail --pid={owner} -f /dev/null; i=0; " +
            $"while [ $i -lt 60 ]; do if [ \"$(cat {data}/{OwnerFile} 2>/dev/null)\" != {owner} ]; then break; elif [ -f {data}/postmaster.pid ]; then {stop} && break; fi; i=$((i+1)); sleep 1; done" +
            $"{cleanup}; rm -rf {Quote(_socketDirectory)}";
        StartDetached(script);
    }

    /// <summary>Runs a shell script in a session of its own, detached from this process, which it outlives.</summary>
    static void StartDetached(string script)
    {
        var start = new ProcessStartInfo("setsid", ["-f", "/bin/sh", "-c", "exec </dev/null >/dev/null 2>&1; " + script]) { UseShellExecute = false };
        using var _ = Process.Start(start);
    }

    internal static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _restarting.WaitAsync(); // a start again under way ends first (PrivatePostgres.Supervision.cs); never released
        NpgsqlConnection.ClearAllPools();
        await _bin.TryRunAsync("pg_ctl", ["-D", _options.DataDirectory, "-m", "fast", "-w", "stop"], asServerUser: true, CancellationToken.None);
        TryDelete(_socketDirectory);
        if (_options.DeleteOnStop)
        {
            TryDelete(_options.DataDirectory);
        }
        else
        {
            TryDeleteFile(Path.Combine(_options.DataDirectory, OwnerFile));
        }
    }

    /// <summary>The server's settings, the same at its first start and at a restart.</summary>
    static string ServerOptions(PrivatePostgresOptions options, int port, string socketDirectory)
    {
        var serverOptions = $"-p {port} -k {socketDirectory} -c listen_addresses=127.0.0.1 -c max_connections=400";
        if (options.Ephemeral)
        {
            serverOptions += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off";
        }
        return serverOptions;
    }

    static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    static void TryDeleteFile(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>A PostgreSQL binary is missing or a setup step failed; the message says what to do.</summary>
public sealed class PostgresSetupException(string message) : Exception(message);
