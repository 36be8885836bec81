using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Seeding;
using SkillsHub.Storage;
using Xunit;

namespace SkillsHub.Testing;

/// <summary>Starts a real SkillsHub node (Kestrel on a free port, Orleans silo, Hangfire) on a given database.</summary>
public static class TestNode
{
    public static Task<SkillsHubNode> StartAsync(string connectionString, params string[] extraArgs) =>
        StartAsync(connectionString, CancellationToken.None, extraArgs);

    /// <summary>A start that is given up (and the node disposed) when <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<SkillsHubNode> StartAsync(string connectionString, CancellationToken cancellationToken, params string[] extraArgs)
    {
        var port = FreePort();
        var args = new List<string>
        {
            $"--ConnectionStrings:Postgres={connectionString}",
            $"--urls=http://127.0.0.1:{port}",
            // Production settings (a connection string is set): the public address and the shared keys.
            $"--PublicBaseUrl=http://127.0.0.1:{port}",
            $"--Credentials:KeyEncryptionKey={CredentialsKey}",
            $"--DataProtection:KeyEncryptionKey={DataProtectionKey}",
            $"--Orleans:SiloPort={FreePort()}",
            "--Orleans:MinimumReminderPeriodSeconds=1",
            "--Logging:LogLevel:Default=Warning",
            // Hangfire says at Warning when a job attempt failed and will be retried, or a worker's fetch failed: the cause
            // of an import seen "queued" for a minute (a few runs did), which Error hid. A passing run writes none.
            "--Logging:LogLevel:Hangfire=Warning",
            "--Jobs:WorkerCount=2",
            // A job whose fetch was lost is taken up again in 20 s, within the tests' waits (docs/operations.md, "Jobs
            // after a crash").
            "--Jobs:InvisibilityTimeoutSeconds=20",
            // Every test signs in and pairs tablets from 127.0.0.1; the per-address limit is for real clients.
            "--Security:SignInPerMinute=100000",
            "--Security:PairingPerMinute=100000",
            // Thousands of sign-ins per run; the count changes the cost of a hash, not what is accepted (docs/security.md).
            "--Security:PasswordHashIterations=1000",
            // The hourly promotions run and the nightly consistency check are started by the tests that need them
            // (CertificationJobs.Promote, CheckConsistency): on their schedule they fired whenever a run crossed the hour,
            // and withdrew the promotions a test had just recorded (Hangfire's Cron.Never: 31 February).
            "--Certification:PromotionsCron=0 0 31 2 *",
            "--Certification:ConsistencyCron=0 0 31 2 *",
        };
        args.AddRange(extraArgs);
        // Each node has its own Hangfire storage and job activator (JobsRegistration), but the rest of Hangfire's
        // configuration (serializer settings, log provider) is process-wide, written when the node's IGlobalConfiguration
        // is first resolved: the nodes of one test process are made one at a time, that service resolved before the gate
        // is let go. The start after it holds the gate too, so starts do not compete for the cores, but for at most
        // StartGateHold: a start that waits on something outside the process (a dead member's row going stale, a
        // PostgreSQL coming back) once kept every other test from starting a node while the machine stood idle
        // (docs/testing.md, "Nodes in one process").
        await StartGate.WaitAsync();
        // Let go once, either when the start has held the gate long enough or when it ends (one flow calls both, in turn).
        var held = true;
        void LetGo()
        {
            if (held)
            {
                held = false;
                StartGate.Release();
            }
        }
        try
        {
            var node = await SkillsHubNode.CreateAsync([.. args]);
            try
            {
                node.Services.GetRequiredService<IGlobalConfiguration>();
                var start = node.StartAsync(cancellationToken);
                if (await Task.WhenAny(start, Task.Delay(StartGateHold)) != start)
                {
                    LetGo();
                }
                await start;
                Databases[node.BaseAddress] = connectionString;
            }
            catch
            {
                // A start that failed half-way (a setting refused by a hosted service) leaves nothing running in the process.
                await node.DisposeAsync();
                throw;
            }
            return node;
        }
        finally
        {
            LetGo();
        }
    }

    static readonly SemaphoreSlim StartGate = new(1, 1);

    /// <summary>
    /// How long one start keeps the others waiting. In a whole run a start takes 0.4 to 2.5 s (median 1.5) while it
    /// computes; one that waits on a stale membership row took 20 s, with the machine idle for 15 of them.
    /// </summary>
    static readonly TimeSpan StartGateHold = TimeSpan.FromSeconds(5);

    /// <summary>The database of each node started in this process, by its address (<see cref="JobsReportAsync"/>).</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, string> Databases = new();

    /// <summary>
    /// What Hangfire holds on the database of the node at <paramref name="baseAddress"/>: every job not yet succeeded with
    /// its states, the queue's rows, the servers with their heartbeats, and what each session on the database is doing.
    /// For a wait that timed out: an import once stayed "queued" for two minutes with nothing in the log to say why.
    /// </summary>
    public static async Task<string> JobsReportAsync(Uri? baseAddress)
    {
        if (baseAddress is null || !Databases.TryGetValue(baseAddress, out var database))
        {
            return "(no node at that address)";
        }
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            var report = new System.Text.StringBuilder();
            foreach (var (title, sql) in new[]
            {
                ("jobs", "select j.id, j.statename, j.createdat, j.invocationdata::text, (select string_agg(s.name || ' ' || to_char(s.createdat, 'HH24:MI:SS.MS') || coalesce(' ' || s.reason, ''), ' > ' order by s.id) from hangfire.state s where s.jobid = j.id) from hangfire.job j where j.statename is distinct from 'Succeeded' order by j.id"),
                ("queue", "select id, jobid, queue, fetchedat from hangfire.jobqueue order by id"),
                ("servers", "select id, lastheartbeat, data::text from hangfire.server"),
                ("locks", "select resource, acquired from hangfire.lock"),
                ("sessions", "select pid, application_name, state, wait_event_type, wait_event, now() - query_start, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"),
            })
            {
                report.Append('\n').Append(title).Append(':');
                await using var command = new NpgsqlCommand(sql, connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    report.Append("\n  ").AppendJoin(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "-" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
            return report.ToString();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return $"(could not read the jobs: {e.Message})";
        }
    }

    /// <summary>The key-encryption key every test node shares, as every node of a real cluster does.</summary>
    public const string CredentialsKey = "c2tpbGxzaHViIHRlc3Qga2V5LWVuY3J5cHRpb24ga2U=";

    /// <summary>The key that protects the shared Data Protection key ring (sign-in cookies) on every test node.</summary>
    public const string DataProtectionKey = "c2tpbGxzaHViIHRlc3QgZGF0YSBwcm90ZWN0aW9uIGs=";

    public static HttpClient Client(this SkillsHubNode node) => new() { BaseAddress = node.BaseAddress };

    /// <summary>A free loopback port (<see cref="LoopbackPorts"/>: outside the range outgoing connections use).</summary>
    public static int FreePort() => LoopbackPorts.Free();

    /// <summary>
    /// A database no node reaches (nothing listens on port 1): a refusal given on it came before the database was opened.
    /// </summary>
    public const string NoDatabase = "Host=127.0.0.1;Port=1;Database=never_opened;Username=nobody";

    /// <summary>
    /// The one-line refusal a node with production settings on <paramref name="database"/> gives for <paramref name="settings"/>
    /// ("--Name=value") while it is made, before anything starts.
    /// </summary>
    public static Task<SkillsHub.Server.Platform.StartupException> RefusedAtStartAsync(string database, params string[] settings) =>
        Assert.ThrowsAsync<SkillsHub.Server.Platform.StartupException>(() => SkillsHubNode.CreateAsync([
            $"--ConnectionStrings:Postgres={database}", "--urls=http://127.0.0.1:0", $"--Orleans:SiloPort={FreePort()}", "--PublicBaseUrl=https://results.example.org",
            $"--Credentials:KeyEncryptionKey={CredentialsKey}", $"--DataProtection:KeyEncryptionKey={DataProtectionKey}", .. settings]));

    /// <summary>Polls until the condition holds or the timeout passes; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(200);
        }
        return await condition();
    }
}

/// <summary>
/// One private PostgreSQL server (per test run: the server tests' collection fixture, the browser fixture).
/// Each node gets a database of its own, cloned from a template database that holds what every node's first
/// start would otherwise build, again and again: the migrations, the reference data and Hangfire's schema
/// (docs/testing.md, "Real parts, shared where it is safe").
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    readonly SemaphoreSlim _templateGate = new(1, 1);
    PrivatePostgres? _server;
    string? _template;

    public PrivatePostgres Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _server = await PrivatePostgres.StartTemporaryAsync("postgres");

    public async Task DisposeAsync()
    {
        if (_shared is { IsCompletedSuccessfully: true })
        {
            await (await _shared).Node.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    readonly Lock _sharedGate = new();
    Task<(SkillsHubNode Node, string Database)>? _shared;

    /// <summary>
    /// One node with the default settings, on a database of its own, shared by every class of the collection that
    /// takes a plain <see cref="NodeFixture"/>: started by the first such class, stopped with the collection.
    /// </summary>
    public Task<(SkillsHubNode Node, string Database)> SharedNodeAsync()
    {
        lock (_sharedGate)
        {
            return _shared ??= StartSharedAsync();
        }
    }

    async Task<(SkillsHubNode, string)> StartSharedAsync()
    {
        var database = await NewDatabaseAsync();
        return (await TestNode.StartAsync(database), database);
    }

    /// <summary>
    /// A database of its own in the state a node's first start leaves the schema in (migrated, reference data
    /// seeded, Hangfire's schema installed) but without anything a running node writes (no cluster members,
    /// keys, sessions, jobs): a node starting on it takes the path of any later start, which finds the
    /// migrations applied and the reference data there.
    /// </summary>
    public async Task<string> NewDatabaseAsync() => await CreateDatabaseAsync(await TemplateAsync());

    /// <summary>A fresh, empty database, for tests of what a node's very first start does (migrations, seeding).</summary>
    public Task<string> NewEmptyDatabaseAsync() => CreateDatabaseAsync(template: null);

    async Task<string> CreateDatabaseAsync(string? template)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand(template is null ? $"create database {name}" : $"create database {name} template {template} strategy file_copy", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Hangfire's schema, installed as Hangfire's storage installs it: with blocking calls, on a connection it opened with
    /// a blocking call. Here that happens on a thread of its own and on a connection of its own (not pooled). A blocking read
    /// on a socket that was opened asynchronously (a pooled connection) waits for a thread-pool thread to see the reply,
    /// and with every collection building its template at once the pool had none: the machine sat idle for seconds at the
    /// start of every run (docs/testing.md, "Waiting").
    /// </summary>
    static Task InstallJobsSchemaAsync(string database) => Task.Factory.StartNew(() =>
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        connection.Open();
        PostgreSqlObjectsInstaller.Install(connection, "hangfire");
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    async Task<string> TemplateAsync()
    {
        await _templateGate.WaitAsync();
        try
        {
            if (_template is null)
            {
                var database = await CreateDatabaseAsync(template: null);
                // Exactly what SkillsHubDatabase.OpenAsync and Hangfire's storage do on a node's first start.
                await using (var dataSource = NpgsqlDataSource.Create(database))
                {
                    await DatabaseMigrator.MigrateAsync(dataSource);
                    await ReferenceDataSeeder.SeedAsync(dataSource, Path.Combine(AppContext.BaseDirectory, "seed-data"), NullLogger.Instance);
                }
                await InstallJobsSchemaAsync(database);
                // A template must have no open connections when it is cloned; the data source closed its own.
                _template = new NpgsqlConnectionStringBuilder(database).Database!;
            }
            return _template;
        }
        finally
        {
            _templateGate.Release();
        }
    }
}
