using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Credentials;
using SkillsHub.Server.Security;
using SkillsHub.Storage;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// One SkillsHub node: the web application plus, in the embedded default, the private PostgreSQL it
/// started. The database outlives the application so the silo can leave the cluster cleanly.
/// </summary>
public sealed class SkillsHubNode : IAsyncDisposable
{
    SkillsHubNode(WebApplication app, SkillsHubDatabase database, TimeSpan stopLimit)
    {
        App = app;
        Database = database;
        StopLimit = stopLimit;
    }

    /// <summary>How long a stop may take before the run command ends the process anyway (<see cref="ReadStopLimit"/>).</summary>
    public TimeSpan StopLimit { get; }

    public WebApplication App { get; }

    public SkillsHubDatabase Database { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The first address Kestrel listens on (after <see cref="StartAsync"/>).</summary>
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "localhost"));

    /// <summary>
    /// Makes the node: its settings checked, its database opened (in the embedded default, its private PostgreSQL started)
    /// and migrated. <paramref name="stopping"/> (Ctrl-C or SIGTERM, <see cref="RunAsync"/>) ends it between its steps, each
    /// let finish (an initdb cut off would leave a data directory that cannot start), with what it started stopped.
    /// </summary>
    public static async Task<SkillsHubNode> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken stopping = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        // Read before anything is started or written (found by an outside tester: a bad value was refused after the embedded
        // PostgreSQL had been made and migrated).
        var stopLimit = ReadStopLimit(builder.Configuration);
        CheckLogFormat(builder.Configuration);
        StartChecks.Check(builder.Configuration);
        CheckProductionSettings(builder.Configuration);
        stopping.ThrowIfCancellationRequested();
        var database = await builder.AddSkillsHubDatabaseAsync();
        try
        {
            stopping.ThrowIfCancellationRequested();
            builder.AddPublicAddress(production: !database.IsEmbedded);
            builder.AddProxySupport(embedded: database.IsEmbedded);
            builder.AddSharedDataProtection(database);
            builder.AddSkillsHubObservability();
            builder.AddSkillsHubOrleans(database.ConnectionString);
            builder.AddSkillsHubJobs(database.ConnectionString);
            builder.AddSkillsHubSecurity();
            builder.AddRateLimits();
            builder.AddCertification();
            builder.AddCredentials();
            builder.AddSkillsHubWeb();
            builder.AddConnectionLimits();
            builder.AddDatabaseOutageHandling();
            var app = builder.Build();
            try
            {
                stopping.ThrowIfCancellationRequested();
                // Every setting has been read and checked by now: only a node that will start migrates its database.
                await database.PrepareAsync(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SkillsHub.Database"));
                // Keys are checked now, so a missing production setting stops the start with one line, not a 503 later.
                app.Services.GetRequiredService<Security.KeyEncryption>();
                await app.Services.GetRequiredService<Credentials.AgencyKeys>().ResealAsync();
                await app.Services.GetRequiredService<Certification.RegistryTokens>().LoadAsync();
                await DataProtectionRegistration.InitialiseKeyRingAsync(app.Services);
                stopping.ThrowIfCancellationRequested();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
            app.MapSkillsHub();
            return new SkillsHubNode(app, database, stopLimit);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    bool _started;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _started = true;
        await App.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _started = false;
        await App.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            // Stopped before it is disposed, as a host that runs stops: the silo leaves the cluster, so the other
            // nodes need not wait to find it dead, and the background services end without being cancelled.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await StopAsync(timeout.Token);
        }
        await App.DisposeAsync();
        // Orleans' and Hangfire's providers open connections by connection string, in Npgsql's global
        // pools, which outlive the node: close their idle connections with it.
        using (var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString))
        {
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
        await Database.DisposeAsync();
    }

    /// <summary>
    /// The run command: start, serve until Ctrl-C or SIGTERM, stop. Startup problems are one clear line and exit code 1.
    /// A stop that outlasts <see cref="StopLimit"/> ends the process with exit code 3 (docs/deployment.md, "Stopping").
    /// The lines are in the console log's format (<see cref="RunLines"/>).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var started = false;
        int? siloPort = null;
        var lines = new RunLines();
        // The host heeds Ctrl-C, SIGTERM and SIGQUIT only from its own start on. Before it (the private PostgreSQL starting,
        // the migrations) the runtime ended the process at once, exit code 130 or 143 and not a word, and left the private
        // PostgreSQL to its watchdog (found by an outside tester): the start now ends at its next step, stops what it started
        // and says so, as a stop during the host's start does (docs/deployment.md, "Stopping").
        using var signalled = new CancellationTokenSource();
        PosixSignalRegistration[] signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(signal =>
            PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                _ = signalled.CancelAsync(); // what waits on it goes on elsewhere, not on the signal's thread
            }))];
        try
        {
            await using var node = await CreateAsync(args, builder => lines.Format = RunLines.FormatOf(builder.Configuration), signalled.Token);
            siloPort = OrleansRegistration.Ports(node.App.Configuration).Silo;
            var limit = node.StopLimit;
            await node.App.StartAsync(signalled.Token);
            started = true;
            foreach (var signal in signals)
            {
                signal.Dispose();
            }
            var stopping = new TaskCompletionSource();
            using (node.App.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult()))
            {
                await stopping.Task;
            }
            var stop = node.App.StopAsync();
            if (await Task.WhenAny(stop, Task.Delay(limit)) != stop)
            {
                // Orleans' silo retries its membership row for as long as the database is unreachable, whatever the host's
                // shutdown timeout says; an orchestrator would kill the process later, a person at a terminal never.
                lines.Write(LogLevel.Critical, $"SkillsHub did not stop within {limit.TotalSeconds:0} s (is its database reachable?); ending the process.");
                Environment.Exit(3);
            }
            try
            {
                await stop;
            }
            catch (Exception e)
            {
                // The host's time for its services passed before one had stopped, and it threw what that service threw (Hangfire's
                // server ends its wait for its workers with a TaskCanceledException): the stop was cut short, as the stop limit
                // cuts it, and ends as that does, not with an unhandled exception and a stack dump (found by an outside tester
                // with 100,000 workers; docs/deployment.md, "Stopping").
                var host = node.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout;
                lines.Write(LogLevel.Critical, $"SkillsHub did not stop in order within the host's {host.TotalSeconds:0} s for its services ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); ending the process.");
                Environment.Exit(3);
            }
            return 0;
        }
        catch (Exception e) when (!started && (signalled.IsCancellationRequested || e is OperationCanceledException))
        {
            // Ctrl-C or SIGTERM while starting (found by outside testers: an abort with a core dump, later an exit without a
            // word), whatever the step it cut short said. What the start had made is stopped by now (the node is disposed).
            lines.Write(LogLevel.Information, StoppedWhileStarting);
            return 0;
        }
        catch (StartupException e)
        {
            lines.Write(LogLevel.Critical, $"SkillsHub could not start: {e.Message}");
            return e.ExitCode;
        }
        catch (PostgresSetupException e)
        {
            lines.Write(LogLevel.Critical, $"SkillsHub could not start its private PostgreSQL: {e.Message}");
            return 1;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // A setting that is not a number where one goes (Jobs:WorkerCount=abc): one line, as the other settings' checks
            // say theirs (found by an outside tester: a stack trace).
            lines.Write(LogLevel.Critical, $"SkillsHub could not start: {e.Message.Split('\n')[0]} {e.InnerException?.Message.Split('\n')[0]}".TrimEnd());
            return 1;
        }
        catch (Exception e) when (!started)
        {
            // Any other setting or resource the start could not use (a port out of range, an address that is not one, a
            // schedule that is not a cron expression): one line naming it, exit code 1, not an abort with a stack trace
            // (found by an outside tester, setting by setting).
            lines.Write(LogLevel.Critical, StartFailure(e, siloPort));
            return 1;
        }
        finally
        {
            foreach (var signal in signals)
            {
                signal.Dispose();
            }
        }
    }

    /// <summary>What a node stopped by Ctrl-C or SIGTERM before it was ready says, with exit code 0 (docs/deployment.md, "Stopping").</summary>
    public const string StoppedWhileStarting = "SkillsHub was stopped while starting.";

    /// <summary>
    /// The one line a start that failed prints. A port taken by another process is named: Orleans says only "Address already
    /// in use" of its silo port (found by an outside tester: a second checkout on the default ports said no more), while
    /// Kestrel's own refusal names its address already.
    /// </summary>
    public static string StartFailure(Exception e, int? siloPort)
    {
        var line = $"SkillsHub could not start: {SkillsHubDatabase.Describe(e).ReplaceLineEndings(" ")}";
        var inUse = false;
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            inUse |= inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse };
        }
        return inUse && siloPort is { } port && !line.Contains("bind to address", StringComparison.OrdinalIgnoreCase)
            ? $"{line}. Is Orleans:SiloPort {port} taken by another process or another node on this machine? Give each node its own Orleans:SiloPort and Urls."
            : line;
    }

    /// <summary>
    /// A production node's settings it cannot run without (its public address and the two shared keys), checked before its
    /// database is touched: an outside tester's node without PublicBaseUrl migrated an empty database, then refused to
    /// start, as a new version started half-configured in a rolling upgrade would migrate the shared one. The same readers
    /// check them again when the node is made.
    /// </summary>
    static void CheckProductionSettings(IConfiguration configuration)
    {
        if (configuration.GetConnectionString("Postgres") is not { } connectionString || string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }
        // A connection string that is not one is the first thing to say; whether the database answers is seen when it is opened.
        SkillsHubDatabase.Validate(connectionString);
        var production = new SkillsHub.Storage.DatabaseLocation(IsEmbedded: false, DataDirectory: null);
        PublicAddress.Configured(configuration, production: true);
        _ = new Security.KeyEncryption(configuration, production, Microsoft.Extensions.Logging.Abstractions.NullLogger<Security.KeyEncryption>.Instance);
        DataProtectionKeks.Load(configuration, production);
    }

    /// <summary>
    /// The console log's format: one the runtime has. An unknown name is otherwise dropped without a word for the plain
    /// format, so a typo (<c>jsn</c>) fed plain lines to a collector that expects JSON (an outside tester).
    /// </summary>
    static void CheckLogFormat(IConfiguration configuration)
    {
        var name = configuration["Logging:Console:FormatterName"];
        if (!string.IsNullOrEmpty(name) && !(name.ToLowerInvariant() is "json" or "simple" or "systemd"))
        {
            throw new StartupException($"Logging:Console:FormatterName must be json, simple or systemd (not '{name}').");
        }
    }

    /// <summary>
    /// How long a stop may take before the process ends anyway: <c>Hosting:StopLimitSeconds</c>, default 40, under the
    /// 45 s the shipped units and manifests give a node (deploy/). The host gives its services 30 s of it.
    /// </summary>
    static TimeSpan ReadStopLimit(IConfiguration configuration) =>
        TimeSpan.FromSeconds(WholeNumberSetting.Read(configuration, "Hosting:StopLimitSeconds", 40, 1, 3600, "seconds"));
}
