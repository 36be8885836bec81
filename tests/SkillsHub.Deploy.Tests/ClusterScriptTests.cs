using System.Net;
using System.Net.Sockets;

namespace SkillsHub.Deploy.Tests;

/// <summary>deploy/lib.sh, which deploy/cluster.sh, failover-test.sh and pg.sh share (docs/deployment.md).</summary>
public sealed class ClusterScriptTests
{
    [Fact]
    public async Task AsRoot_InACheckoutThePostgresUserCannotEnter_TheClustersPostgresKeepsItsDataElsewhere()
    {
        // Only root runs PostgreSQL as the postgres user; any other user runs it as itself, in the checkout (CI runs as root).
        if (Environment.UserName != "root")
        {
            return;
        }
        var closed = Directory.CreateTempSubdirectory("skillshub-closed-cluster-").FullName;   // 0700, as root's home
        var open = Directory.CreateTempSubdirectory("skillshub-open-").FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0b111_101_101);
        var fallback = Path.Combine(open, "lib");
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        try
        {
            var run = await Shell.ExecAsync("bash", ["-c", $"source '{Path.Combine(Shell.RepoRoot, "deploy", "lib.sh")}' && mkdir -p \"$RUN_DIR\" && pg_start && echo \"data=$PG_DATA answer=$(psql_q skillshub 'select 40 + 2')\"; pg_stop fast"],
                environment: new Dictionary<string, string>
                {
                    ["SKILLSHUB_CLUSTER_DIR"] = Path.Combine(closed, "checkout", "deploy", ".cluster"),
                    ["SKILLSHUB_PG_FALLBACK_ROOT"] = fallback,
                    ["SKILLSHUB_PG_PORT"] = port.ToString(),
                });

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Matches($@"data={fallback}/cluster-[0-9a-f]{{12}}/pg answer=42", run.Output);
            Assert.Contains("the postgres user cannot enter", run.Output);
            Assert.False(Directory.Exists(Path.Combine(closed, "checkout", "deploy", ".cluster", "pg")));
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
            Directory.Delete(open, recursive: true);
        }
    }
}
