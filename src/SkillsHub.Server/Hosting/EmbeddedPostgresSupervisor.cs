namespace SkillsHub.Server.Hosting;

/// <summary>
/// Starts the embedded PostgreSQL again when it stops under the node (its postmaster killed, say by the kernel's
/// out-of-memory killer): until then every request that needs the database answers 503, and nothing else would bring it
/// back (found by an outside tester). Checked every 2 seconds, by reading its PID file; with a configured
/// connection string the database is someone else's to run, and this service is not registered (docs/deployment.md,
/// "The embedded PostgreSQL").
/// </summary>
public sealed class EmbeddedPostgresSupervisor(SkillsHubDatabase database, NpgsqlDataSource dataSource, ILogger<EmbeddedPostgresSupervisor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        var failures = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await database.StartEmbeddedAgainIfGoneAsync(stoppingToken))
                    {
                        // The pools' connections are to the server that is gone: each would fail once before being dropped.
                        dataSource.Clear();
                        NpgsqlConnection.ClearAllPools();
                        logger.LogWarning("The embedded PostgreSQL had stopped under this node; it was started again (data in {DataDirectory})", database.DataDirectory);
                        failures = 0;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Usually the old server's last processes still hold its shared memory for a moment, and the next check
                    // starts it: a warning the first few times, an error with the cause once it persists (10 s), and then
                    // every minute, not every two seconds.
                    failures++;
                    if (failures < 5)
                    {
                        logger.LogWarning("The embedded PostgreSQL has stopped and did not start again yet ({Reason}); trying again", e.Message.ReplaceLineEndings(" "));
                    }
                    else if (failures % 30 == 5)
                    {
                        logger.LogError(e, "The embedded PostgreSQL has stopped and could not be started again ({Failures} attempts); trying again every 2 s (its log: server.log in {DataDirectory})",
                            failures, database.DataDirectory);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The node is stopping; the database is stopped after it (SkillsHubDatabase.DisposeAsync).
        }
    }
}
