using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SkillsHub.Storage;

namespace SkillsHub.Bench;

/// <summary>pgbench (from Debian's postgresql package) running a custom script against a private PostgreSQL: the database's own ceiling, a benchmark's baseline.</summary>
public static partial class Pgbench
{
    public static async Task<double> TpsAsync(PrivatePostgres postgres, string script, int clients, int seconds)
    {
        var pgbench = new[] { "/usr/bin/pgbench" }.Concat(Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")) : []).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pgbench not found (Debian: apt-get install postgresql).");
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, script);
        try
        {
            var start = new ProcessStartInfo(pgbench, ["-h", "127.0.0.1", "-p", postgres.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-n",
                "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", file, "bench"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // Over loopback TCP, as the node connects: with the server's password (docs/deployment.md, "The embedded PostgreSQL").
            start.Environment["PGPASSWORD"] = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString).Password;
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var match = Tps().Match(output);
            return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("pgbench output: " + output + await process.StandardError.ReadToEndAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}
