using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SkillsHub.Server.Api;
using SkillsHub.Server.Competitions;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Start-up, seeding and the basic pages. The read-only tests share one node; the start-up tests use databases
/// of their own (one starts a node twice, one runs the migrations four times at once).
/// </summary>
[Collection(ServerCollection.Cluster)]
public sealed class FoundationTests(PostgresFixture postgres, NodeFixture shared) : IClassFixture<NodeFixture>
{
    /// <summary>
    /// Found by an outside tester: the Orleans gateway answered anyone (an Orleans client with no credentials read a skill's
    /// experts and locked a criterion under a made-up actor). A node hosts its own client and opens no gateway
    /// (docs/security.md, "Orleans ports"); the silo listens on the loopback address it advertises unless told otherwise.
    /// </summary>
    /// <summary>
    /// A database a newer release has migrated (a migration this one does not have) is refused at start, naming the
    /// migration, before anything is written (found by an outside tester rolling back: the older node ran half-broken).
    /// </summary>
    [Fact]
    public async Task ADatabaseUpgradedByANewerRelease_IsRefusedAtStart_NamingItsMigration()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var future = new NpgsqlCommand("insert into skillshub.schema_migrations (version, name) values (9999, 'from_a_newer_release')", connection))
        {
            await future.ExecuteNonQueryAsync();
        }
        var refused = await TestNode.RefusedAtStartAsync(database);
        Assert.StartsWith("The database was upgraded by a newer release of SkillsHub: it holds migration 9999_from_a_newer_release, which this release does not have.", refused.Message);
        await using var count = new NpgsqlCommand("select count(*) from skillshub.schema_migrations", connection);
        Assert.Equal((long)DatabaseMigrator.All.Count + 1, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public void ANode_OpensNoOrleansGateway()
    {
        var endpoints = shared.Node.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.EndpointOptions>>().Value;
        Assert.Equal(0, endpoints.GatewayPort);
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Equal(0, OrleansPorts(new Dictionary<string, string?>()).Gateway);
    }

    /// <summary>
    /// Found by an outside tester: a gateway on the silo's own port was taken (two listeners on one port, the other nodes'
    /// connections split between them), and one on the node's own Urls port or on a taken port was found only after the
    /// migrations, in a line naming Orleans:SiloPort or Urls. Each is refused before the database, naming Orleans:GatewayPort.
    /// </summary>
    [Fact]
    public async Task AGatewayPortTheNodeCannotUse_IsRefusedBeforeTheDatabase_NamingIt()
    {
        const string NoDatabase = "Host=127.0.0.1;Port=1;Database=never_opened;Username=nobody";
        var silo = TestNode.FreePort();
        Assert.Equal($"Orleans:GatewayPort {silo} is also Orleans:SiloPort: give the gateway a port of its own, or 0 (no gateway, the default).",
            (await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:SiloPort={silo}", $"--Orleans:GatewayPort={silo}")).Message);
        var web = TestNode.FreePort();
        Assert.StartsWith($"Orleans:GatewayPort {web} is also a port of Urls (",
            (await TestNode.RefusedAtStartAsync(NoDatabase, $"--urls=http://127.0.0.1:{web}", $"--Orleans:GatewayPort={web}")).Message);
        var running = Hosting.OrleansRegistration.Ports(shared.Node.App.Configuration).Silo;
        Assert.Equal($"Orleans:GatewayPort {running} is taken by another process or another node on this machine. Give each node its own ports, or leave Orleans:GatewayPort out (no gateway).",
            (await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:GatewayPort={running}")).Message);
    }

    /// <summary>
    /// Found by an outside tester: Urls naming one address twice, or empty (Kestrel's default port 5000, held by another
    /// process), passed the check, the database was migrated, and Kestrel's bind failed in a line not naming Urls. An empty
    /// Urls is read as Kestrel reads it (HTTP_PORTS, or else http://localhost:5000) and tried as the other ports are.
    /// </summary>
    [Fact]
    public async Task AUrlsPortListedTwice_OrKestrelsDefaultTaken_IsRefusedBeforeTheDatabase()
    {
        const string NoDatabase = "Host=127.0.0.1;Port=1;Database=never_opened;Username=nobody";
        var twice = TestNode.FreePort();
        Assert.Equal($"Urls: port {twice} is listed twice (http://127.0.0.1:{twice} and http://localhost:{twice}): the node cannot listen on one port twice. List each address once.",
            (await TestNode.RefusedAtStartAsync(NoDatabase, $"--urls=http://127.0.0.1:{twice};http://localhost:{twice}")).Message);
        Assert.StartsWith($"Urls: port {twice} is listed twice (", (await TestNode.RefusedAtStartAsync(NoDatabase, $"--urls=http://127.0.0.1:{twice};http://127.0.0.1:{twice}")).Message);
        // Kestrel's default port: held here unless another process holds it already; refused either way.
        using var held = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            held.Bind(new IPEndPoint(IPAddress.Loopback, 5000));
            held.Listen();
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
        Assert.StartsWith("Urls: port 5000 (http://localhost:5000) is taken by another process", (await TestNode.RefusedAtStartAsync(NoDatabase, "--urls=")).Message);
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var busy = ((IPEndPoint)taken.LocalEndpoint).Port;
            Assert.StartsWith($"Urls: port {busy} (http://*:{busy}) is taken by another process", (await TestNode.RefusedAtStartAsync(NoDatabase, "--urls=", $"--http_ports={busy}")).Message);
        }
        finally
        {
            taken.Stop();
        }
    }

    /// <summary>
    /// Found by an outside tester: a second node given a running node's silo port shared it (Orleans binds its port so that
    /// another bind of the same kind shares it), declared the first node dead and ended it. It is refused before its
    /// database is touched, in one line naming the setting, and the running node goes on. Settings that are not a port or
    /// an address are refused the same way (they were a stack trace after the migrations).
    /// </summary>
    [Fact]
    public async Task ARunningNodesSiloPort_AndSiloSettingsThatAreNotOnes_AreRefusedBeforeTheDatabase()
    {
        var running = Hosting.OrleansRegistration.Ports(shared.Node.App.Configuration).Silo;
        const string NoDatabase = "Host=127.0.0.1;Port=1;Database=never_opened;Username=nobody";
        var refused = await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:SiloPort={running}");
        Assert.Equal($"Orleans:SiloPort {running} is taken by another process or another node on this machine. Give each node its own Orleans:SiloPort and Urls.", refused.Message);
        Assert.Equal("Orleans:SiloPort must be a port from 1 to 65535 (not '70000').", (await TestNode.RefusedAtStartAsync(NoDatabase, "--Orleans:SiloPort=70000")).Message);
        Assert.Equal("Orleans:GatewayPort must be 0 (no gateway, the default) or a port up to 65535 (not '70000').", (await TestNode.RefusedAtStartAsync(NoDatabase, "--Orleans:GatewayPort=70000")).Message);
        Assert.Equal("Orleans:ClusterId must not be blank: leave it out for the default, or name the cluster.", (await TestNode.RefusedAtStartAsync(NoDatabase, "--Orleans:ClusterId= ")).Message);
        // A web port another process listens on, likewise (it was found only once the database had been migrated).
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var busy = ((IPEndPoint)taken.LocalEndpoint).Port;
            Assert.StartsWith($"Urls: port {busy} (", (await TestNode.RefusedAtStartAsync(NoDatabase, $"--urls=http://127.0.0.1:{busy}")).Message);
        }
        finally
        {
            taken.Stop();
        }
        Assert.Equal("Embedded:Port must be 0 (any free port, the default) or a port up to 65535 (not '70000').", (await TestNode.RefusedAtStartAsync(NoDatabase, "--Embedded:Port=70000")).Message);
        var both = TestNode.FreePort();
        Assert.StartsWith($"Embedded:Port {both} is also one of the node's own ports", (await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:SiloPort={both}", $"--Embedded:Port={both}")).Message);
        Assert.StartsWith($"Orleans:SiloPort {both} is also a port of Urls (", (await TestNode.RefusedAtStartAsync(NoDatabase, $"--urls=http://127.0.0.1:{both}", $"--Orleans:SiloPort={both}")).Message);
        Assert.Equal("Orleans:AdvertisedIP must be an IP address (not 'notanip').", (await TestNode.RefusedAtStartAsync(NoDatabase, "--Orleans:AdvertisedIP=notanip")).Message);
        // The cluster's certificate (docs/security.md, "Orleans ports") is read before the database too: missing, without its
        // key, or with the wrong password, each is one line naming the setting.
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.pfx");
        Assert.Equal($"Orleans:Tls:Certificate: there is no file at '{missing}'.", (await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:Tls:Certificate={missing}")).Message);
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=skillshub-cluster", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pem = Path.ChangeExtension(missing, ".pem");
        var pfx = Path.ChangeExtension(missing, ".p12");
        try
        {
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
            await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "right"));
            Assert.Equal($"Orleans:Tls:Certificate '{pem}' has no private key: the nodes authenticate each other with it.",
                (await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:Tls:Certificate={pem}")).Message);
            Assert.StartsWith($"Orleans:Tls:Certificate '{pfx}' cannot be read (",
                (await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:Tls:Certificate={pfx}", "--Orleans:Tls:Password=wrong")).Message);
            // A key that is not the certificate's (Orleans:Tls:Key) is named too.
            using var otherKey = System.Security.Cryptography.ECDsa.Create();
            var keyFile = Path.ChangeExtension(missing, ".key");
            await File.WriteAllTextAsync(keyFile, otherKey.ExportPkcs8PrivateKeyPem());
            Assert.StartsWith($"Orleans:Tls:Certificate '{pem}' cannot be read (",
                (await TestNode.RefusedAtStartAsync(NoDatabase, $"--Orleans:Tls:Certificate={pem}", $"--Orleans:Tls:Key={keyFile}")).Message);
            File.Delete(keyFile);
        }
        finally
        {
            File.Delete(pem);
            File.Delete(pfx);
        }
        // An https address without a server certificate (Kestrel refused it only after the migrations and the seed), and an
        // embedded data directory that cannot be one (the runtime's lines named no setting): found by an outside tester.
        // (A machine whose user has an ASP.NET Core development certificate serves https with it: checked where there is none.)
        var store = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "corefx", "cryptography", "x509stores", "my");
        if (!Directory.Exists(store) || !Directory.EnumerateFiles(store).Any())
        {
            var https = TestNode.FreePort();
            Assert.StartsWith($"Urls: https://127.0.0.1:{https} is HTTPS and Kestrel has no server certificate for it.",
                (await TestNode.RefusedAtStartAsync(NoDatabase, $"--urls=https://127.0.0.1:{https}")).Message);
        }
        Assert.Equal("Embedded:DataDirectory is empty: leave it out for .data/postgres under the working directory, or name a folder.",
            (await TestNode.RefusedAtStartAsync("", "--Embedded:DataDirectory=")).Message);
        Assert.StartsWith("Embedded:DataDirectory '/proc/skillshub' is under /proc,", (await TestNode.RefusedAtStartAsync("", "--Embedded:DataDirectory=/proc/skillshub")).Message);
        // A taken Embedded:Port was found only by PostgreSQL, after initdb, in a line not naming it (an outside tester).
        var embeddedTaken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        embeddedTaken.Start();
        var notMade = Path.Combine(Path.GetTempPath(), $"skillshub-embedded-port-{Guid.NewGuid():N}");
        try
        {
            var busy = ((IPEndPoint)embeddedTaken.LocalEndpoint).Port;
            Assert.Equal($"Embedded:Port {busy} is taken by another process on this machine: give the private PostgreSQL a port of its own, or 0 (any free port).",
                (await TestNode.RefusedAtStartAsync("", $"--Embedded:DataDirectory={notMade}", $"--Embedded:Port={busy}")).Message);
            Assert.False(Directory.Exists(notMade), "the embedded PostgreSQL's data directory was made");
        }
        finally
        {
            embeddedTaken.Stop();
        }
        var file = Path.GetTempFileName();
        try
        {
            Assert.Equal($"Embedded:DataDirectory '{file}' is a file: name a folder (it is made if missing).",
                (await TestNode.RefusedAtStartAsync("", $"--Embedded:DataDirectory={file}")).Message);
            Assert.StartsWith($"Embedded:DataDirectory '{file}/postgres' is inside '{file}', which is a file",
                (await TestNode.RefusedAtStartAsync("", $"--Embedded:DataDirectory={file}/postgres")).Message);
        }
        finally
        {
            File.Delete(file);
        }
        using var client = new HttpClient { BaseAddress = shared.Node.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>
    /// Found by an outside tester: a node started with another cluster certificate, or none, was declared dead by the running
    /// nodes and ended with Orleans' FailFast (exit code 134, a stack dump). The node's handler of Orleans' fatal errors ends
    /// such a node in one line naming the likely cause and exit code 1; other fatal errors end as Orleans' own handler ends
    /// them, with the exception. Called here with the process's end taken by the test, not waited for in a cluster.
    /// </summary>
    [Fact]
    public void ANodeTheClusterDeclaresDead_EndsInOneLine_WithExitCode1()
    {
        Assert.IsType<Hosting.ClusterFatalErrors>(shared.Node.Services.GetRequiredService<Orleans.Runtime.IFatalErrorHandler>());
        // The words Orleans says it with are still in the Orleans this node runs (they are matched: docs/security.md).
        var orleans = File.ReadAllBytes(typeof(Orleans.Runtime.IFatalErrorHandler).Assembly.Location);
        Assert.True(orleans.AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(Hosting.ClusterFatalErrors.OrleansDeclaredDead)) >= 0,
            "Orleans no longer says it declared a node dead in these words");
        var lines = new List<string>();
        var codes = new List<int>();
        var failed = new List<string>();
        Hosting.ClusterFatalErrors Handler() => new(Microsoft.Extensions.Logging.Abstractions.NullLogger<Hosting.ClusterFatalErrors>.Instance, shared.Node.App.Configuration)
        {
            WriteLine = lines.Add, Exit = codes.Add, FailFast = (message, _) => failed.Add(message), Pause = TimeSpan.Zero,
        };
        Handler().OnFatalException(this, "I have been told I am dead, so this silo will stop! Reason: The membership view classifies this silo as Dead", null);
        Assert.Equal([Hosting.ClusterFatalErrors.DeclaredDead], lines);
        Assert.Contains("Orleans:Tls:Certificate", lines[0]);
        Assert.Equal([1], codes);
        Assert.Empty(failed);
        Handler().OnFatalException(this, "UpdateIAmAlive", new InvalidOperationException("the membership table is gone"));
        Assert.Single(lines);
        Assert.Single(codes);
        Assert.Contains("Context: UpdateIAmAlive. Exception: System.InvalidOperationException: the membership table is gone", Assert.Single(failed));
    }

    static (int Silo, int Gateway) OrleansPorts(Dictionary<string, string?> settings) =>
        Hosting.OrleansRegistration.Ports(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    /// <summary>The start log counts occupations and major groups apart (an outside tester read "Seeded 50 sample occupations" and found 42).</summary>
    [Fact]
    public async Task SampleCatalogueSeeding_CountsOccupationsAndMajorGroupsApart()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "code\tname_zh\tname_en\trelated_worldskills_skill\n8\t其他\tOther\t\n8-99-99-91\t测试一\tTest one\t\n8-99-99-92\t测试二\tTest two\t\n");
            var store = shared.Node.Services.GetRequiredService<SkillsHub.Server.Certification.AgencyStore>();
            Assert.Equal((2, 0), await store.SeedSampleOccupationsAsync(file, default));
            Assert.Equal((0, 0), await store.SeedSampleOccupationsAsync(file, default));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Every start seeds the reference data again: it fills in a Chinese name a row lacks (one stored before the names
    /// existed), never overwrites one that is there, and a second run changes nothing.
    /// </summary>
    [Fact]
    public async Task ReferenceSeeding_FillsMissingChineseNames_KeepsOthers_AndChangesNothingTheSecondTime()
    {
        await using var db = NpgsqlDataSource.Create(shared.Database);
        await using var connection = await db.OpenConnectionAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, """
            update skillshub.members set name_zh = null where code = 'CN';
            update skillshub.members set name_zh = '法兰西' where code = 'FR';
            update skillshub.skills set name_zh = null where competition_code = 'WSC2024' and number = 2;
            update skillshub.competitions set city_zh = null, country_zh = null where code = 'WSC2026';
            """);
        var log = new Microsoft.Extensions.Logging.Testing.FakeLogger();
        var seedData = Path.Combine(AppContext.BaseDirectory, "seed-data");
        try
        {
            await SkillsHub.Server.Seeding.ReferenceDataSeeder.SeedAsync(db, seedData, log);
            Assert.Equal("Seeded 3 reference rows from " + Path.Combine(seedData, "reference"), log.LatestRecord.Message);
            Assert.Equal(("中国", "法兰西", "信息网络布线", "上海", "中国"), await Dapper.SqlMapper.QuerySingleAsync<(string, string, string, string, string)>(connection, """
                select (select name_zh from skillshub.members where code = 'CN'), (select name_zh from skillshub.members where code = 'FR'),
                    (select name_zh from skillshub.skills where competition_code = 'WSC2024' and number = 2),
                    (select city_zh from skillshub.competitions where code = 'WSC2026'), (select country_zh from skillshub.competitions where code = 'WSC2026')
                """));
            await SkillsHub.Server.Seeding.ReferenceDataSeeder.SeedAsync(db, seedData, log);
            Assert.Equal(1, log.Collector.Count);
        }
        finally
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "update skillshub.members set name_zh = '法国' where code = 'FR'");
        }
    }

    [Fact]
    public async Task Ready_AndSeededCountsAreExact()
    {
        using var http = shared.Node.Client();

        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        var competitions = await http.GetFromJsonAsync<List<CompetitionSummary>>("/api/competitions");
        Assert.NotNull(competitions);
        Assert.Equal(59, competitions.Single(c => c.Code == "WSC2024").SkillCount);
        Assert.Equal(64, competitions.Single(c => c.Code == "WSC2026").SkillCount);
        Assert.Equal(88, (await http.GetFromJsonAsync<List<MemberInfo>>("/api/members"))!.Count);

        var lyon = await http.GetFromJsonAsync<CompetitionDetails>("/api/competitions/WSC2024");
        Assert.Equal("WorldSkills Lyon 2024", lyon!.Name);
        var mechatronics = lyon.Skills.Single(s => s.Number == 4);
        Assert.Equal(("Mechatronics", "Manufacturing and Engineering Technology", 2, 25),
            (mechatronics.Name, mechatronics.Sector, mechatronics.TeamSize, mechatronics.CompetitorMaxAge));

        var shanghai = await http.GetFromJsonAsync<CompetitionDetails>("/api/competitions/wsc2026");
        Assert.Equal("机电一体化", shanghai!.Skills.Single(s => s.Number == 4).NameZh);
    }

    [Fact]
    public async Task UnknownCompetition_Is404ProblemDetails()
    {
        using var http = shared.Node.Client();

        var response = await http.GetAsync("/api/competitions/WSC1999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unknown competition", problem.GetProperty("title").GetString());
        Assert.Contains("WSC1999", problem.GetProperty("detail").GetString());
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task StartingTwiceOnOneDatabase_CreatesNoDuplicates_AndKeepsData()
    {
        var db = await postgres.NewEmptyDatabaseAsync();
        await using (var first = await TestNode.StartAsync(db))
        {
            await first.StopAsync();
        }
        await using var second = await TestNode.StartAsync(db);

        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        Assert.Equal(88L, await Scalar(connection, "select count(*) from skillshub.members"));
        Assert.Equal(123L, await Scalar(connection, "select count(*) from skillshub.skills"));
        Assert.Equal(2L, await Scalar(connection, "select count(*) from skillshub.competitions"));
        Assert.Equal((long)Storage.DatabaseMigrator.All.Count, await Scalar(connection, "select count(*) from skillshub.schema_migrations"));
        var competitions = await second.Client().GetFromJsonAsync<List<CompetitionSummary>>("/api/competitions");
        Assert.Equal(2, competitions!.Count);
    }

    [Fact]
    public async Task ConcurrentStarts_ApplyEachMigrationOnce()
    {
        var db = await postgres.NewEmptyDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(db);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Storage.DatabaseMigrator.MigrateAsync(dataSource))));

        Assert.Equal(Storage.DatabaseMigrator.All.Select(m => m.Version), results.SelectMany(r => r).Order());
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal((long)Storage.DatabaseMigrator.All.Count, await Scalar(connection, "select count(*) from skillshub.schema_migrations"));
        Assert.True(await Scalar(connection, "select count(*) from orleansquery") >= 20);
    }

    [Fact]
    public async Task StaticPagesAndApiDocs_AreServed()
    {
        using var http = shared.Node.Client();

        var landing = await http.GetStringAsync("/");
        Assert.Contains("<title>SkillsHub</title>", landing);
        var openApi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/competitions/{code}", out _));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api-docs")).StatusCode);
        // The jobs dashboard is for signed-in admins only.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/jobs")).StatusCode);
    }

    internal static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
