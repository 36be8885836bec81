namespace SkillsHub.Storage;

/// <summary>
/// The server stopping under its owner (its postmaster killed or crashed), and started again (docs/deployment.md, "The
/// embedded PostgreSQL"): the node's supervisor asks <see cref="StartAgainIfGoneAsync"/> every few seconds.
/// </summary>
public sealed partial class PrivatePostgres
{
    /// <summary>Held while the server is started again, and taken for good by <see cref="StopAsync"/>.</summary>
    readonly SemaphoreSlim _restarting = new(1, 1);

    /// <summary>
    /// Whether the server's postmaster runs: the process its PID file names is alive (not a zombie left for a parent that
    /// does not reap it). Reads two small files, so it can be asked often; a stale PID file (the postmaster killed) says no.
    /// </summary>
    public bool IsRunning()
    {
        string[] pidFile;
        try
        {
            pidFile = File.ReadAllLines(Path.Combine(_options.DataDirectory, "postmaster.pid"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (pidFile.Length == 0 || !int.TryParse(pidFile[0].Trim(), out var pid))
        {
            return false;
        }
        if (!Directory.Exists("/proc"))
        {
            return IsAlive(pid);
        }
        try
        {
            // /proc/<pid>/stat: "pid (name) state ...": Z is a zombie, X dead.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
            return state is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the server again, on its port and with its settings, when it is not running and its owner has not stopped it:
    /// true when it did. PostgreSQL recovers from its write-ahead log on the way up, so every committed change is kept.
    /// </summary>
    public async Task<bool> StartAgainIfGoneAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _stopped) == 1 || IsRunning() || !await _restarting.WaitAsync(0, cancellationToken))
        {
            return false;
        }
        try
        {
            if (Volatile.Read(ref _stopped) == 1 || IsRunning())
            {
                return false;
            }
            await StartAgainAsync(cancellationToken);
            return true;
        }
        finally
        {
            _restarting.Release();
        }
    }

    Task StartAgainAsync(CancellationToken cancellationToken) =>
        _bin.RunAsync("pg_ctl", ["-D", _options.DataDirectory, "-l", Path.Combine(_options.DataDirectory, "server.log"), "-o", ServerOptions(_options, Port, _socketDirectory), "-w", "-t", "60", "start"],
            asServerUser: true, cancellationToken);

    /// <summary>Stops the server without deleting anything (restart tests).</summary>
    public Task KillForTestAsync() =>
        _bin.TryRunAsync("pg_ctl", ["-D", _options.DataDirectory, "-m", "immediate", "-w", "stop"], asServerUser: true, CancellationToken.None);

    /// <summary>Starts the server again on the same port after <see cref="KillForTestAsync"/>.</summary>
    public Task RestartForTestAsync() => StartAgainAsync(CancellationToken.None);

    /// <summary>True when what PostgreSQL logged from <paramref name="offset"/> on says its TCP port was in use.</summary>
    static bool PortWasTaken(string log, long offset) =>
        Logged(log, offset) is { } text && (text.Contains("could not bind", StringComparison.Ordinal) || text.Contains("Address already in use", StringComparison.Ordinal));

    /// <summary>The first of PostgreSQL's FATAL or ERROR lines logged from <paramref name="offset"/> on, or null.</summary>
    static string? LoggedSince(string log, long offset) =>
        Logged(log, offset)?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("FATAL:", StringComparison.Ordinal) || l.Contains("ERROR:", StringComparison.Ordinal) || l.Contains("could not bind", StringComparison.Ordinal));

    static string? Logged(string log, long offset)
    {
        if (!File.Exists(log))
        {
            return null;
        }
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        return new StreamReader(stream).ReadToEnd();
    }
}
