using Microsoft.Extensions.Configuration;
using Npgsql;
using SkillsHub.Server.Hosting;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

[Collection(ServerCollection.Embedded)]
public sealed class PrivatePostgresTests
{
    [Fact]
    public void MissingBinaries_SayHowToInstallThem()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var error = Assert.Throws<PostgresSetupException>(() => PostgresBinaries.Find(null, empty, Path.Combine(empty, "nowhere")));

            Assert.Contains("PostgreSQL server binaries (initdb, pg_ctl) were not found", error.Message);
            Assert.Contains("apt-get install -y postgresql", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    /// <summary>
    /// A PostgreSQL command's output (written to a file, which the command's shell reads back and deletes) reaches the
    /// caller: a refusal says what the tool said.
    /// </summary>
    [Fact]
    public async Task ACommandsOutput_ReachesTheCaller()
    {
        var binaries = await PostgresBinaries.FindAsync(CancellationToken.None);
        var missing = Path.Combine(Path.GetTempPath(), $"skillshub-no-such-directory-{Guid.NewGuid():N}");

        var error = await Assert.ThrowsAsync<PostgresSetupException>(() => binaries.RunAsync("pg_ctl", ["status", "-D", missing], asServerUser: true, CancellationToken.None));

        Assert.StartsWith("pg_ctl failed (exit code ", error.Message);
        Assert.Contains(missing, error.Message);
        Assert.False(await binaries.TryRunAsync("pg_ctl", ["status", "-D", missing], asServerUser: true, CancellationToken.None));
    }

    /// <summary>./test.sh gives each suite a part of the port range, so suites side by side never race for one port.</summary>
    [Theory]
    [InlineData("23000-25999", 23000, 3000)]
    [InlineData(null, 20000, 12000)]
    [InlineData("garbage", 20000, 12000)]
    [InlineData("80-8080", 20000, 12000)]
    [InlineData("30000-40000", 20000, 12000)]
    public void ThePortRange_IsTheGivenPart_OrTheWholeRange(string? text, int first, int count) =>
        Assert.Equal((first, count), LoopbackPorts.RangeFrom(text));

    /// <summary>
    /// Found on a fresh clone: the embedded PostgreSQL took port 30000, Orleans' gateway port, and the node then failed
    /// to start. Free ports never include the ones the caller reserves.
    /// </summary>
    [Fact]
    public void FreePorts_AreNeverReservedOnes()
    {
        var free = LoopbackPorts.Free();
        var reserved = Enumerable.Range(20_000, 12_000).Where(p => p != free).ToHashSet();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(free, LoopbackPorts.Free(reserved));
        }
    }

    /// <summary>Found by an outside tester: a silo port another process held said only "Address already in use".</summary>
    [Fact]
    public void ATakenSiloPort_IsNamedInTheStartsLine()
    {
        var taken = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse);
        Assert.Equal($"SkillsHub could not start: Silo start failed ({taken.Message}). Is Orleans:SiloPort 11311 taken by another process or another node on this machine? Give each node its own Orleans:SiloPort and Urls.",
            SkillsHubNode.StartFailure(new InvalidOperationException("Silo start failed", taken), 11311));
        // Kestrel names the address it could not bind: nothing is added.
        var kestrel = new IOException("Failed to bind to address http://127.0.0.1:5000: address already in use.", taken);
        Assert.Equal($"SkillsHub could not start: {kestrel.Message} ({taken.Message})", SkillsHubNode.StartFailure(kestrel, 11311));
    }

    /// <summary>
    /// Found in CI: an import stayed "queued" for a minute, its Hangfire job taken by a worker that then waited for the next
    /// job's notification (Npgsql lost the cancellation of its wait on the notification channel; docs/operations.md, "A job
    /// that did not start"). A keepalive on idle connections ends such a wait. The connection string's own Keepalive, 0
    /// included, is kept; Tcp Keepalive is another setting and leaves it on.
    /// </summary>
    [Theory]
    [InlineData("Host=db;Database=skillshub", 2)]
    [InlineData("Host=db;Database=skillshub;Tcp Keepalive=true", 2)]
    [InlineData("Host=db;Database=skillshub;Keepalive=0", 0)]
    [InlineData("Host=db;Database=skillshub;keepalive=30", 30)]
    public void ANodesConnections_KeepAliveWhenIdle_UnlessTheConnectionStringSaysOtherwise(string configured, int seconds)
    {
        var tuned = new NpgsqlConnectionStringBuilder(SkillsHubDatabase.Tuned(configured));
        Assert.Equal(seconds, tuned.KeepAlive);
        Assert.Equal("skillshub", tuned.Database);
        Assert.True(tuned.NoResetOnClose);
    }

    [Fact]
    public void TheEmbeddedServer_KeepsOffTheNodesOwnPorts()
    {
        var defaults = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://localhost:5000" }).Build();
        // No Orleans gateway unless one is configured (docs/security.md, "Orleans ports").
        Assert.Equal([5000, 11111], SkillsHubDatabase.NodePorts(defaults).Order());

        var configured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://+:25001; https://*:25002;http://[::1]:25003",
            ["Orleans:SiloPort"] = "25004",
            ["Orleans:GatewayPort"] = "25005",
        }).Build();
        Assert.Equal([25001, 25002, 25003, 25004, 25005], SkillsHubDatabase.NodePorts(configured).Order());

        // Read by the one rule the start's check reads them by (it used to skip what it could not read on its own).
        var malformed = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:25001;not an address" }).Build();
        Assert.Equal("Urls must be addresses to listen on, such as http://0.0.0.0:5000, separated by ';' (not 'not an address').",
            Assert.Throws<SkillsHub.Server.Platform.StartupException>(() => SkillsHubDatabase.NodePorts(malformed)).Message);
    }

    [Fact]
    public async Task TemporaryServer_KeepsItsDataInTheScratchFolder_AcceptsConnections_AndIsGoneAfterStop()
    {
        // In the folder SKILLSHUB_SCRATCH_DIR names, else in memory where the machine has room there, else the temporary
        // folder (docs/testing.md, "Throwaway servers in memory").
        var memory = new DriveInfo("/dev/shm");
        var expected = Environment.GetEnvironmentVariable("SKILLSHUB_SCRATCH_DIR") is { Length: > 0 } named ? Path.GetFullPath(named)
            : memory.IsReady && memory.DriveFormat == "tmpfs" && memory.AvailableFreeSpace >= 4L << 30 ? "/dev/shm" : Path.GetTempPath();
        Assert.Equal(expected.TrimEnd('/'), PrivatePostgres.ScratchRoot.TrimEnd('/'));
        var server = await PrivatePostgres.StartTemporaryAsync("probe_db");
        Assert.Equal(PrivatePostgres.ScratchRoot.TrimEnd('/'), Path.GetDirectoryName(server.DataDirectory));
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select current_database()", connection);
            Assert.Equal("probe_db", await command.ExecuteScalarAsync());
        }
        Assert.StartsWith("Host=127.0.0.1", server.ConnectionString);

        await server.StopAsync();

        Assert.False(Directory.Exists(server.DataDirectory));
        await using var refused = new NpgsqlConnection(server.ConnectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Loopback_AsksForThePassword_WhichOnlyTheOwnerCanRead()
    {
        await using var server = await PrivatePostgres.StartTemporaryAsync();

        var passwordFile = Path.Combine(server.DataDirectory, PrivatePostgres.PasswordFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        var password = File.ReadAllText(passwordFile).Trim();
        Assert.Matches("^[0-9a-f]{48}$", password);
        Assert.Equal(password, new NpgsqlConnectionStringBuilder(server.ConnectionString).Password);
        await AssertConnectsAsync(server.ConnectionString);
        await AssertRefusedAsync(server.ConnectionString, password: "not-the-password");
        await AssertRefusedAsync(server.ConnectionString, password: null);
    }

    [Fact]
    public async Task ADataDirectoryThatTrustedLoopback_IsLockedDownAtItsNextStart_AndKeepsItsData()
    {
        var dataDirectory = Path.Combine(PrivatePostgres.ScratchRoot, "skillshub-pg-legacy-" + Guid.NewGuid().ToString("N")[..12]);
        var options = new PrivatePostgresOptions { DataDirectory = dataDirectory, Ephemeral = true };
        try
        {
            await using (var before = await PrivatePostgres.StartAsync(options))
            {
                await Execute(before.ConnectionString, "create table kept (note text); insert into kept values ('before')");
            }
            // As a data directory made before passwords were asked for: every loopback connection trusted, no password file.
            File.WriteAllText(Path.Combine(dataDirectory, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
            File.Delete(Path.Combine(dataDirectory, PrivatePostgres.PasswordFile));

            await using var after = await PrivatePostgres.StartAsync(options);

            await AssertRefusedAsync(after.ConnectionString, password: null);
            await AssertRefusedAsync(after.ConnectionString, password: "not-the-password");
            await using var connection = new NpgsqlConnection(after.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select note from kept", connection);
            Assert.Equal("before", await command.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    static Task AssertConnectsAsync(string connectionString) => Execute(connectionString, "select 1");

    /// <summary>A connection over loopback with another password, or none, is refused by the server.</summary>
    static async Task AssertRefusedAsync(string connectionString, string? password)
    {
        var other = new NpgsqlConnectionStringBuilder(connectionString) { Password = password, Pooling = false }.ConnectionString;
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => AssertConnectsAsync(other));
        if (password is not null)
        {
            Assert.Equal(PostgresErrorCodes.InvalidPassword, Assert.IsType<PostgresException>(refused).SqlState);
        }
        else
        {
            Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task DataDirectory_InACheckoutThePostgresUserCannotEnter_MovesWhereItCan_AndKeepsItsData()
    {
        var closed = Directory.CreateTempSubdirectory("skillshub-closed-").FullName;   // like mktemp -d: mode 0700
        var fallbackRoot = Path.Combine(Directory.CreateTempSubdirectory("skillshub-fallback-").FullName, "lib");
        File.SetUnixFileMode(Path.GetDirectoryName(fallbackRoot)!, (UnixFileMode)0b111_101_101);
        var preferred = Path.Combine(closed, "checkout", ".data", "postgres");
        try
        {
            var chosen = await PrivatePostgres.ReachableDataDirectoryAsync(preferred, fallbackRoot);

            if (Environment.UserName != "root")
            {
                // Not root: PostgreSQL runs as this user, who can use its own folders; nothing moves.
                Assert.Equal(preferred, chosen);
                return;
            }
            Assert.StartsWith(fallbackRoot + "/checkout-", chosen);
            Assert.EndsWith("/postgres", chosen);
            Assert.Equal(chosen, await PrivatePostgres.ReachableDataDirectoryAsync(preferred, fallbackRoot));   // the same place on the next run

            await using (var server = await PrivatePostgres.StartAsync(new PrivatePostgresOptions { DataDirectory = chosen, Ephemeral = true }))
            {
                await using var connection = new NpgsqlConnection(server.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("select current_database()", connection);
                Assert.Equal("skillshub", await command.ExecuteScalarAsync());
            }
            Assert.True(File.Exists(Path.Combine(chosen, "PG_VERSION")));
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
            Directory.Delete(Path.GetDirectoryName(fallbackRoot)!, recursive: true);
        }
    }

    /// <summary>
    /// A data directory on a read-only file system is refused, not traded for an empty one elsewhere with the blame on a parent
    /// folder's permissions (found by an outside tester): the mount holding a path, read from /proc/self/mountinfo's lines.
    /// </summary>
    [Fact]
    public void TheMountHoldingAPath_IsReadOnly_WhenItsOptionsOrItsFileSystemsSaySo()
    {
        string[] mountinfo =
        [
            "26 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw",
            "40 26 0:50 / /srv/ro ro,relatime - tmpfs tmpfs ro,size=1024k",
            "41 26 0:51 / /srv/ro\\040space rw,relatime - tmpfs tmpfs rw",
            "42 40 0:52 / /srv/ro/inner rw,relatime - tmpfs tmpfs rw",
            "43 26 8:2 / /mnt/disk rw,relatime - ext4 /dev/sdb1 ro,errors=remount-ro",
            "44 26 0:53 / /mnt/again ro - tmpfs tmpfs rw",
            "45 26 0:54 / /mnt/again rw - tmpfs tmpfs rw",
        ];
        Assert.Equal("/srv/ro", PrivatePostgres.ReadOnlyMountOf("/srv/ro", mountinfo));
        Assert.Equal("/srv/ro", PrivatePostgres.ReadOnlyMountOf("/srv/ro/data/postgres", mountinfo));
        Assert.Null(PrivatePostgres.ReadOnlyMountOf("/srv/ro/inner/postgres", mountinfo));
        Assert.Null(PrivatePostgres.ReadOnlyMountOf("/srv/ro space/postgres", mountinfo));
        Assert.Null(PrivatePostgres.ReadOnlyMountOf("/srv/rotten/postgres", mountinfo));
        Assert.Equal("/mnt/disk", PrivatePostgres.ReadOnlyMountOf("/mnt/disk/x", mountinfo));
        // Mounted again over the same point: the last mount is the one seen.
        Assert.Null(PrivatePostgres.ReadOnlyMountOf("/mnt/again/x", mountinfo));
        Assert.Null(PrivatePostgres.ReadOnlyMountOf("/home/judge/.data/postgres", mountinfo));
        Assert.Null(PrivatePostgres.ReadOnlyMountOf("/x", ["garbage", ""]));
    }

    /// <summary>
    /// A data directory that already holds a database is never traded for an empty one elsewhere (found by an outside tester:
    /// a read-only data directory was replaced by a freshly seeded demo, which looked like every record gone): the start is
    /// refused, naming the directory. Root only: otherwise PostgreSQL runs as this user, and nothing moves.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ADataDirectoryWithADatabase_ThePostgresUserCannotUse_IsRefused_NotReplaced()
    {
        if (Environment.UserName != "root")
        {
            return;
        }
        var closed = Directory.CreateTempSubdirectory("skillshub-closed-db-").FullName;
        File.SetUnixFileMode(closed, (UnixFileMode)0b111_000_000);
        var fallbackRoot = Path.Combine(Directory.CreateTempSubdirectory("skillshub-fallback-").FullName, "lib");
        var preferred = Path.Combine(closed, "checkout", ".data", "postgres");
        try
        {
            Directory.CreateDirectory(preferred);
            File.WriteAllText(Path.Combine(preferred, "PG_VERSION"), "17\n");
            var refused = await Assert.ThrowsAsync<PostgresSetupException>(() => PrivatePostgres.ReachableDataDirectoryAsync(preferred, fallbackRoot));
            Assert.Contains(preferred, refused.Message);
            Assert.False(Directory.Exists(fallbackRoot), "a new data directory was made elsewhere");
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
            Directory.Delete(Path.GetDirectoryName(fallbackRoot)!, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task DataDirectory_ThePostgresUserCanEnter_StaysWhereItWasAsked()
    {
        var open = Directory.CreateTempSubdirectory("skillshub-open-").FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0b111_101_101);
        var preferred = Path.Combine(open, "checkout", ".data", "postgres");
        try
        {
            Assert.Equal(preferred, await PrivatePostgres.ReachableDataDirectoryAsync(preferred, Path.Combine(open, "unused")));
            Assert.False(Directory.Exists(Path.Combine(open, "unused")));
        }
        finally
        {
            Directory.Delete(open, recursive: true);
        }
    }
}
