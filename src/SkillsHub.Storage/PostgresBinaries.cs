using System.Diagnostics;

namespace SkillsHub.Storage;

/// <summary>
/// Locates initdb/pg_ctl and runs them. PostgreSQL refuses to run as root, so under root every
/// server-side command runs as the unprivileged <c>postgres</c> user through runuser, and the
/// directories it needs are handed to that user first.
/// </summary>
sealed class PostgresBinaries
{
    const string ServerUser = "postgres";

    readonly string _directory;
    readonly bool _asRoot;

    PostgresBinaries(string directory, bool asRoot)
    {
        _directory = directory;
        _asRoot = asRoot;
    }

    /// <summary>The binaries, and under root the server user (created when missing).</summary>
    public static async Task<PostgresBinaries> FindAsync(CancellationToken cancellationToken)
    {
        var bin = Find(Environment.GetEnvironmentVariable("SKILLSHUB_PG_BIN"), Environment.GetEnvironmentVariable("PATH"), "/usr/lib/postgresql");
        if (bin._asRoot)
        {
            await bin.EnsureServerUserAsync(cancellationToken);
        }
        return bin;
    }

    internal static PostgresBinaries Find(string? configured, string? searchPath, string debianRoot)
    {
        var directory = Locate(configured, searchPath, debianRoot) ?? throw new PostgresSetupException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, in SKILLSHUB_PG_BIN, or under /usr/lib/postgresql/<version>/bin. " +
            "Install them with: sudo apt-get install -y postgresql   (Debian/Ubuntu; the scripts run.sh and test.sh do this for you), " +
            "or set ConnectionStrings:Postgres to an existing PostgreSQL database.");
        return new PostgresBinaries(directory, asRoot: !OperatingSystem.IsWindows() && Environment.UserName == "root");
    }

    static string? Locate(string? configured, string? searchPath, string debianRoot)
    {
        var candidates = new List<string>();
        if (configured is { Length: > 0 })
        {
            candidates.Add(configured);
        }
        candidates.AddRange((searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        if (Directory.Exists(debianRoot))
        {
            candidates.AddRange(Directory.GetDirectories(debianRoot)
                .Select(d => (dir: d, version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(x => x.version)
                .Select(x => Path.Combine(x.dir, "bin")));
        }
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>Set once the server user is known to exist: checked once per process, not at every server start.</summary>
    static volatile bool s_serverUserExists;

    async Task EnsureServerUserAsync(CancellationToken cancellationToken)
    {
        if (s_serverUserExists || await RunQuietAsync("id", ["-u", ServerUser], cancellationToken) == 0)
        {
            s_serverUserExists = true;
            return;
        }
        if (await RunQuietAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ServerUser], cancellationToken) != 0)
        {
            throw new PostgresSetupException("Running as root, and the unprivileged 'postgres' user that PostgreSQL needs is missing and could not be created.");
        }
        s_serverUserExists = true;
    }

    /// <summary>Whether the server user can enter and write <paramref name="directory"/> (created, and under root handed to that user).</summary>
    public async Task<bool> ServerUserCanUseAsync(string directory, CancellationToken cancellationToken)
    {
        if (!_asRoot)
        {
            return true;
        }
        Directory.CreateDirectory(directory);
        await RunQuietAsync("chown", ["-R", ServerUser, directory], cancellationToken);
        return await RunQuietAsync("runuser", ["-u", ServerUser, "--", "test", "-w", directory, "-a", "-x", directory], cancellationToken) == 0;
    }

    /// <summary>Under root, hands a directory to the server user (and checks the user can reach it).</summary>
    public async Task GiveToServerUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (!_asRoot)
        {
            return;
        }
        await RunQuietAsync("chown", ["-R", ServerUser, directory], cancellationToken);
        if (await RunQuietAsync("runuser", ["-u", ServerUser, "--", "test", "-w", directory], cancellationToken) != 0)
        {
            throw new PostgresSetupException(
                $"Running as root: the 'postgres' user cannot write {directory} (a parent directory is not searchable by other users). " +
                "Clone SkillsHub somewhere other users can reach (for example /srv or /work), or set ConnectionStrings:Postgres.");
        }
    }

    (string file, List<string> args) Command(string tool, IEnumerable<string> args, bool asServerUser)
    {
        var path = Path.Combine(_directory, tool);
        if (asServerUser && _asRoot)
        {
            return ("runuser", ["-u", ServerUser, "--", path, .. args]);
        }
        return (path, args.ToList());
    }

    public string ShellCommand(string tool, IEnumerable<string> args)
    {
        var (file, all) = Command(tool, args, asServerUser: true);
        return string.Join(' ', new[] { file }.Concat(all).Select(PrivatePostgres.Quote));
    }

    public async Task RunAsync(string tool, IEnumerable<string> args, bool asServerUser, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExecuteAsync(tool, args, asServerUser, cancellationToken);
        if (exitCode != 0)
        {
            throw new PostgresSetupException($"{tool} failed (exit code {exitCode}): {output.Trim()}");
        }
    }

    public async Task<bool> TryRunAsync(string tool, IEnumerable<string> args, bool asServerUser, CancellationToken cancellationToken) =>
        (await ExecuteAsync(tool, args, asServerUser, cancellationToken)).exitCode == 0;

    async Task<(int exitCode, string output)> ExecuteAsync(string tool, IEnumerable<string> args, bool asServerUser, CancellationToken cancellationToken)
    {
        var (file, all) = Command(tool, args, asServerUser);
        // The command writes to a file, not to a pipe: the postmaster that pg_ctl forks would otherwise inherit the pipe
        // and keep it open, and reading it to the end would never finish. Once the command has ended, the shell reads the
        // file, deletes it and only then writes what it read to its own output, which this process reads. So the file is
        // deleted even when this process is killed meanwhile (found in the temporary folder after the tests that kill a
        // server during its database's start).
        var outputFile = Path.Combine(Path.GetTempPath(), $"skillshub-pgcmd-{Guid.NewGuid():N}.log");
        var output = PrivatePostgres.Quote(outputFile);
        // setsid: the postmaster gets its own session, so a Ctrl-C in the terminal reaches only SkillsHub,
        // which then leaves the Orleans cluster and stops PostgreSQL itself, in that order.
        var shell = "setsid -w " + string.Join(' ', new[] { file }.Concat(all).Select(PrivatePostgres.Quote)) + $" </dev/null >{output} 2>&1; " +
            $"code=$?; text=$(cat {output} 2>/dev/null); rm -f {output}; printf '%s' \"$text\"; exit $code";
        var start = new ProcessStartInfo("/bin/sh", ["-c", shell]) { UseShellExecute = false, RedirectStandardOutput = true };
        start.Environment["GLIBC_TUNABLES"] = MallocTunables;
        try
        {
            using var process = Process.Start(start) ?? throw new PostgresSetupException($"Could not start {tool}.");
            var text = process.StandardOutput.ReadToEndAsync(cancellationToken);
            await Task.WhenAll(text, process.WaitForExitAsync(cancellationToken));
            return (process.ExitCode, await text);
        }
        finally
        {
            // When the wait is given up (a start cancelled), the shell may not have come to it.
            File.Delete(outputFile);
        }
    }

    /// <summary>
    /// The server's C allocator keeps up to 64 MB of freed memory instead of handing it back to the kernel
    /// after every statement: on a VM each hand-back flushes the TLB of every CPU, which was about half of
    /// PostgreSQL's CPU under marking load (docs/operations.md, "PostgreSQL's memory allocator").
    /// </summary>
    public const string MallocTunables = "glibc.malloc.trim_threshold=67108864";

    /// <summary>
    /// Runs a short command (id, chown, runuser) and gives its exit code, its output read and dropped. Awaited, never
    /// waited on: servers start side by side (a test run starts dozens), and a thread blocked on each command starved
    /// the thread pool that completes the reads, so each command took about a second (docs/testing.md, "Waiting").
    /// </summary>
    static async Task<int> RunQuietAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        // Both streams are read at once: read one after the other, a command writing much to the second (chown on a
        // read-only directory, a line per file) filled its pipe and both waited for ever (found by an outside tester).
        await Task.WhenAll(
            process.StandardOutput.ReadToEndAsync(cancellationToken),
            process.StandardError.ReadToEndAsync(cancellationToken),
            process.WaitForExitAsync(cancellationToken));
        return process.ExitCode;
    }
}
