namespace SkillsHub.Storage;

/// <summary>Where throwaway servers keep their data, and the initdb'd directory they start from.</summary>
public sealed partial class PrivatePostgres
{
    /// <summary>
    /// The folder throwaway servers keep their data in: the one <c>SKILLSHUB_SCRATCH_DIR</c> names; else /dev/shm when it
    /// is a file system in memory with at least 4 GB free; else the temporary folder. A test run clones about a hundred
    /// databases from a template, each about 1,000 files: on this kind of machine's ext4 disk a clone cost 0.2 to 0.6
    /// core-seconds, nearly all of it the kernel searching for a free inode among those of files deleted a moment before;
    /// in memory, 0.02. Their data is deleted when they stop, or by the watchdog when their owner dies
    /// (docs/testing.md, "Throwaway servers in memory").
    /// </summary>
    public static string ScratchRoot { get; } = FindScratchRoot();

    static string FindScratchRoot()
    {
        if (Environment.GetEnvironmentVariable("SKILLSHUB_SCRATCH_DIR") is { Length: > 0 } named)
        {
            return Path.GetFullPath(named);
        }
        if (!OperatingSystem.IsLinux())
        {
            return Path.GetTempPath();
        }
        const long Room = 4L << 30;
        try
        {
            var memory = new DriveInfo("/dev/shm");
            if (memory.IsReady && memory.DriveFormat == "tmpfs" && memory.AvailableFreeSpace >= Room)
            {
                return memory.RootDirectory.FullName;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
        return Path.GetTempPath();
    }

    static readonly SemaphoreSlim PristineGate = new(1, 1);
    static string? s_pristine;

    /// <summary>
    /// A data directory fresh from initdb, made once per process and copied for each throwaway server: a test run
    /// starts dozens of them, and initdb costs about a CPU-second where the copy costs a fraction. Deleted when the
    /// process exits (a detached shell removes it, however the process ends).
    /// </summary>
    static async Task<string> PristineAsync(PostgresBinaries bin, CancellationToken cancellationToken)
    {
        await PristineGate.WaitAsync(cancellationToken);
        try
        {
            if (s_pristine is null)
            {
                var directory = Path.Combine(ScratchRoot, "skillshub-pg-pristine-" + Guid.NewGuid().ToString("N")[..12]);
                Directory.CreateDirectory(directory);
                StartDetached($"tail --pid={Environment.ProcessId} -f /dev/null; rm -rf {Quote(directory)}");
                await bin.GiveToServerUserAsync(directory, cancellationToken);
                await bin.RunAsync("initdb", [.. InitdbArguments(directory), "--no-sync"], asServerUser: true, cancellationToken);
                s_pristine = directory;
            }
            return s_pristine;
        }
        finally
        {
            PristineGate.Release();
        }
    }

    /// <summary>Copies a data directory, with each file's and folder's permissions (PostgreSQL insists on 0700/0750).</summary>
    static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, File.GetUnixFileMode(source));
        }
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }
}
