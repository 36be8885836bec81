using System.Diagnostics;

// The scripts and deployment files are for Linux (bash, apt, nginx, systemd).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace SkillsHub.Deploy.Tests;

/// <summary>Runs the repository's scripts with bash, with extra folders (command stand-ins) in front of PATH.</summary>
static class Shell
{
    public static string RepoRoot { get; } = FindRepoRoot();

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SkillsHub.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("SkillsHub.sln not found above " + AppContext.BaseDirectory);
    }

    public sealed record Result(int ExitCode, string Output, int Pid);

    public static Task<Result> RunAsync(string script, IEnumerable<string> args, string? pathPrefix = null, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        ExecAsync("bash", [script, .. args], pathPrefix, environment, workingDirectory);

    public static async Task<Result> ExecAsync(string program, IEnumerable<string> args, string? pathPrefix = null, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = workingDirectory ?? RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (pathPrefix is not null)
        {
            start.Environment["PATH"] = pathPrefix + ":" + Environment.GetEnvironmentVariable("PATH");
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();   // a prompt (sudo, apt) would read end-of-file, not hang the test
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout + await stderr, process.Id);
    }

    /// <summary>A folder of stand-in commands; each records its name and arguments (one line per call) in calls.log.</summary>
    public sealed class Shims : IDisposable
    {
        public Shims()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("skillshub-shims-").FullName;
        }

        public string Directory { get; }

        public string CallLog => Path.Combine(Directory, "calls.log");

        public string[] Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

        /// <summary>A command that records its call, then runs <paramref name="body"/> (bash).</summary>
        public Shims Add(string name, string body = "exit 0")
        {
            var path = Path.Combine(Directory, name);
            File.WriteAllText(path, $"#!/usr/bin/env bash\necho \"{name} $*\" >>'{CallLog}'\n{body}\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            return this;
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
