using System.Net.Sockets;
using SkillsHub.Server.Seeding;
using SkillsHub.Storage;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// The node's PostgreSQL: <c>ConnectionStrings:Postgres</c> when set (production, several nodes),
/// otherwise the embedded default, a private server under <c>./.data/postgres</c> kept between runs.
/// There is no non-durable mode.
/// </summary>
public sealed class SkillsHubDatabase : IAsyncDisposable
{
    readonly PrivatePostgres? _embedded;

    /// <summary>The connection string as configured, without the node's tuning (the migrations run on it).</summary>
    readonly string _configured;

    SkillsHubDatabase(string connectionString, PrivatePostgres? embedded)
    {
        _configured = connectionString;
        ConnectionString = Tuned(connectionString);
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    /// <summary>The embedded server's data directory (null when a connection string is configured).</summary>
    public string? DataDirectory => _embedded?.DataDirectory;

    public bool IsEmbedded => _embedded is not null;

    /// <summary>The embedded server started again if it stopped under the node (<see cref="EmbeddedPostgresSupervisor"/>).</summary>
    internal Task<bool> StartEmbeddedAgainIfGoneAsync(CancellationToken ct) => _embedded?.StartAgainIfGoneAsync(ct) ?? Task.FromResult(false);

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
    }

    /// <summary>
    /// Connection settings for a node's hot paths, unless the connection string sets them itself:
    /// statements it runs over and over (a mark's state write, a certificate lookup, the tablet check) are
    /// prepared once per connection instead of parsed and planned every time, and a connection going
    /// back to the pool is not reset, which would cost PostgreSQL several statements per request. Nothing
    /// in SkillsHub leaves session state behind: settings are SET LOCAL, temporary tables ON COMMIT DROP,
    /// and the migrator's advisory lock is taken on a connection of its own. (Hangfire's job listener returns its
    /// connection still listening for new jobs; the notifications that connection then receives are read and dropped
    /// when it is next used.)
    /// An idle connection is checked every <see cref="KeepAliveSeconds"/> seconds: that bounds a wait on a notification whose
    /// cancellation Npgsql lost, which held a Hangfire worker, and the job it had just taken, until the next job's
    /// notification (docs/operations.md, "A job that did not start").
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }
        // Only a Keepalive of its own counts (Tcp Keepalive is another setting); Keepalive=0 turns it off.
        if (!new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey("Keepalive"))
        {
            builder.KeepAlive = KeepAliveSeconds;
        }
        return builder.ConnectionString;
    }

    /// <summary>Seconds between keepalives on an idle connection, unless the connection string sets its own.</summary>
    public const int KeepAliveSeconds = 2;

    /// <summary>
    /// The ports this node binds once its database is up: its silo's and its HTTP addresses' (Urls). The embedded
    /// PostgreSQL never takes one of them (Orleans' gateway port 30000 lies in the range free ports come from).
    /// </summary>
    public static HashSet<int> NodePorts(IConfiguration configuration)
    {
        var (silo, gateway) = OrleansRegistration.Ports(configuration);
        var ports = new HashSet<int> { silo };
        if (gateway > 0)
        {
            ports.Add(gateway);
        }
        // Read as the start's check reads them (an address that is not one has stopped the start by now).
        foreach (var address in StartChecks.ListenAddresses(configuration))
        {
            ports.Add(address.Port);
        }
        return ports;
    }

    /// <summary>The embedded PostgreSQL's folder as configured (<c>Embedded:DataDirectory</c>, else .data/postgres), in full.</summary>
    internal static string PreferredDataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Embedded:DataDirectory"] ?? Path.Combine(".data", "postgres"));

    /// <summary>
    /// The folder the embedded PostgreSQL keeps its data in (<see cref="PrivatePostgres.ReachableDataDirectoryAsync"/>); a
    /// refusal names the setting, a read-only file system or a folder this process cannot make too (found by an outside
    /// tester: the runtime's "Read-only file system" alone).
    /// </summary>
    static async Task<string> ReachableAsync(string preferred, bool configured)
    {
        var setting = configured ? "Embedded:DataDirectory" : "Embedded:DataDirectory (left out: .data/postgres)";
        try
        {
            return await PrivatePostgres.ReachableDataDirectoryAsync(preferred);
        }
        catch (Exception e) when (e is PostgresSetupException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{setting} {preferred} cannot be used: {e.Message.TrimEnd('.')}.", e);
        }
    }

    internal static async Task<SkillsHubDatabase> OpenAsync(IConfiguration configuration, ILogger logger)
    {
        var configured = configuration.GetConnectionString("Postgres");
        PrivatePostgres? embedded = null;
        string connectionString;
        if (string.IsNullOrWhiteSpace(configured))
        {
            var preferred = PreferredDataDirectory(configuration);
            var dataDirectory = await ReachableAsync(preferred, configuration["Embedded:DataDirectory"] is not null);
            if (dataDirectory != preferred)
            {
                logger.LogWarning("The postgres user cannot enter {Preferred} (a parent folder is closed to other users): the embedded PostgreSQL keeps its data in {DataDirectory} instead", preferred, dataDirectory);
            }
            logger.LogInformation("No ConnectionStrings:Postgres set: starting the embedded PostgreSQL in {DataDirectory}", dataDirectory);
            embedded = await PrivatePostgres.StartAsync(new PrivatePostgresOptions
            {
                DataDirectory = dataDirectory,
                Port = configuration.GetValue("Embedded:Port", 0),
                ReservedPorts = NodePorts(configuration),
            });
            connectionString = embedded.ConnectionString;
            logger.LogInformation("Embedded PostgreSQL is listening on 127.0.0.1:{Port} (user postgres, its password in {PasswordFile})",
                embedded.Port, Path.Combine(embedded.DataDirectory, PrivatePostgres.PasswordFile));
        }
        else
        {
            connectionString = Validate(configured);
        }

        return new SkillsHubDatabase(connectionString, embedded);
    }

    /// <summary>
    /// Brings the database to this version's schema and reference data. Called once every setting the node reads has been
    /// checked (<see cref="SkillsHubNode.CreateAsync"/>): a node that will not start migrates nothing (an outside tester: a
    /// refused setting left an empty database migrated, as a half-configured new version would migrate the shared one).
    /// </summary>
    public async Task PrepareAsync(ILogger logger)
    {
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(_configured);
            var applied = await DatabaseMigrator.MigrateAsync(dataSource);
            if (applied.Count > 0)
            {
                logger.LogInformation("Applied database migrations {Versions}", string.Join(", ", applied));
            }
            await ReferenceDataSeeder.SeedAsync(dataSource, Path.Combine(AppContext.BaseDirectory, "seed-data"), logger);
        }
        catch (NewerDatabaseException e)
        {
            throw new StartupException(e.Message, e);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(_configured);
            var what = $"cannot use the PostgreSQL database '{target.Database}' at {target.Host}:{target.Port} (ConnectionStrings:Postgres): {Describe(e)}";
            // A database that does not answer yet (the venue's power back and the database machine still booting, or a
            // failover under way) ends the start with a code a supervisor restarts; a refusal by a running server (a wrong
            // password, a missing database) is a setting, exit code 1 (found by an outside tester: both were 1, which the
            // shipped systemd unit never restarts).
            throw NotAnswering(e)
                ? new StartupException($"{what}. It may not be up yet: exit code {StartupException.NotYetExitCode}, for the node's supervisor to start it again.", e) { ExitCode = StartupException.NotYetExitCode }
                : new StartupException(what, e);
        }
    }

    /// <summary>
    /// True when the database did not answer or said it cannot take connections now (starting, shutting down, full), rather
    /// than refusing this node's settings.
    /// </summary>
    static bool NotAnswering(Exception e) => e switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown,
        _ => true,
    };

    internal static string Validate(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new StartupException("ConnectionStrings:Postgres has no Host.");
            }
            return builder.ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new StartupException($"ConnectionStrings:Postgres is not a valid PostgreSQL connection string: {e.Message}", e);
        }
    }

    /// <summary>An exception's message, with its innermost cause's in brackets when there is one.</summary>
    internal static string Describe(Exception e)
    {
        var root = e;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }
        return root == e ? e.Message : $"{e.Message} ({root.Message})";
    }
}

public static class DatabaseRegistration
{
    /// <summary>Opens (or starts) the database, applies migrations, seeds reference data, registers the data source.</summary>
    public static async Task<SkillsHubDatabase> AddSkillsHubDatabaseAsync(this WebApplicationBuilder builder)
    {
        // In the format the node logs in (json where the deployment asks for it; found by an outside tester: these first
        // lines were plain text among JSON ones).
        var json = string.Equals(builder.Configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase);
        using var loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
            if (json)
            {
                logging.AddJsonConsole(o => { o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
            }
            else
            {
                logging.AddSimpleConsole(o => o.SingleLine = true);
            }
        });
        var database = await SkillsHubDatabase.OpenAsync(builder.Configuration, loggerFactory.CreateLogger("SkillsHub.Database"));
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(new DatabaseLocation(database.IsEmbedded, database.DataDirectory));
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(database.ConnectionString));
        if (database.IsEmbedded)
        {
            builder.Services.AddHostedService<EmbeddedPostgresSupervisor>();
        }
        return database;
    }
}
