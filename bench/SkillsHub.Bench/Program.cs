// SkillsHub load and throughput tools (not run by CI). One subcommand per tool:
//   dotnet run -c Release --project bench/SkillsHub.Bench -- scoring [--iterations N] [--warmup N]
//   dotnet run -c Release --project bench/SkillsHub.Bench -- leaderboard [--connections 5000] [--rate 50] [--skills 16] [--seconds 30] [--protocol json|messagepack|both]
//   deploy/failover-test.sh (runs: SkillsHub.Bench failover --url http://127.0.0.1:8080 --nodes ... --kill-pid PID --kill-node URL; the connection string in $SKILLSHUB_BENCH_PG)
//   deploy/failover-test.sh (then runs: SkillsHub.Bench deploy-checks --url ... --public-url ... --node-a URL --node-c URL)
//   dotnet run -c Release --project bench/SkillsHub.Bench -- judging [--iterations 50] [--warmup 10] [--http]
//   dotnet run -c Release --project bench/SkillsHub.Bench -- lookups [--count 20000] [--seconds 20] [--connections 50]   (needs wrk: apt-get install -y wrk)
//   dotnet run -c Release --project bench/SkillsHub.Bench -- feed [--url http://127.0.0.1:5000] [--streams 500] [--seconds 10]   (against ./run.sh)
//   dotnet run -c Release --project bench/SkillsHub.Bench -- marks [--warmup 60] [--seconds 60] [--experts 60] [--skills 6] [--rate 100] [--rate-seconds 30]
//   dotnet run -c Release --project bench/SkillsHub.Bench -- jobs [--jobs 3000] [--stuck-after 5]
namespace SkillsHub.Bench;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Usage();
        }

        try
        {
            return Run(args[0], args[1..]);
        }
        catch (OptionException e)
        {
            // An option left out or given a value it does not take (BenchArgs): said in one line, with the usage.
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            return Usage();
        }
    }

    static int Run(string command, string[] args)
    {
        switch (command)
        {
            case "scoring":
                return ScoringBench.Run(args);
            case "leaderboard":
                return LeaderboardBench.Run(args);
            case "marks":
                return MarksBench.Run(args);
            case "failover":
                return FailoverBench.Run(args);
            case "certificates":
                return CertificationBench.Run(args);
            case "lookups":
                return LookupBench.Run(args);
            case "deploy-checks":
                return DeployChecks.Run(args);
            case "judging":
                return JudgingReportBench.Run(args);
            case "feed":
                return FeedBench.Run(args);
            case "jobs":
                return JobStartBench.Run(args);
            default:
                return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: SkillsHub.Bench <command> [options]");
        Console.Error.WriteLine("commands:");
        Console.Error.WriteLine("  scoring [--iterations N] [--warmup N]   recompute all results of a Lyon-2024-sized competition");
        Console.Error.WriteLine("  leaderboard [--connections 5000] [--rate 50] [--skills 16] [--seconds 30] [--protocol both]   SignalR fan-out latency, JSON vs MessagePack");
        Console.Error.WriteLine("  marks [--warmup 60] [--seconds 60] [--experts 60] [--skills 6] [--rate 100]   marks through HTTP vs pgbench inserts");
        Console.Error.WriteLine("  judging [--iterations 50] [--warmup 10] [--http]   competition-wide judging report of a Lyon-2024-sized competition (--http: end to end through a node)");
        Console.Error.WriteLine("  lookups [--count 20000] [--seconds 20] [--connections 50]   public certificate lookups with wrk");
        Console.Error.WriteLine("  feed [--url http://127.0.0.1:5000] [--streams 500] [--seconds 10]   CPU of idle results-feed streams on a running node");
        Console.Error.WriteLine("  jobs [--jobs 3000] [--stuck-after 5]   how long a job takes to start on an idle node, with and without the keepalive");
        return 2;
    }
}
