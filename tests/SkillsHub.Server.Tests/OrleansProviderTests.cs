using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;
using System.Security.Cryptography.X509Certificates;

namespace SkillsHub.Server.Tests;

/// <summary>SkillsHub's own Orleans SQL (migrations 0002-0004), proved through the real providers in real silos.</summary>
[Collection(ServerCollection.Membership)]
public sealed class OrleansProviderTests(PostgresFixture postgres)
{
    /// <summary>
    /// Two nodes on one database form one cluster, here over mutual TLS with the cluster's certificate (docs/security.md,
    /// "Orleans ports"; plain silo traffic is what the other multi-node tests use). Found by outside testers: whoever reached
    /// a silo port could talk Orleans to it. With a certificate set, a connection to the port without the cluster's own
    /// certificate (none, or another self-signed one) ends in the handshake, while one with it stays open.
    /// </summary>
    [Fact]
    public async Task TwoNodesOnOneDatabase_FormOneCluster_OverTlsWithTheClusterCertificate_AndTheSiloPortRefusesOthers()
    {
        var db = await postgres.NewDatabaseAsync();
        using var cluster = SelfSigned("skillshub-cluster");
        var file = Path.Combine(Path.GetTempPath(), $"cluster-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(file, cluster.Export(X509ContentType.Pkcs12, "s3cret"));
        try
        {
            string[] tls = [$"--Orleans:Tls:Certificate={file}", "--Orleans:Tls:Password=s3cret"];
            await using var a = await TestNode.StartAsync(db, tls);
            await using var b = await TestNode.StartAsync(db, tls);

            foreach (var node in new[] { a, b })
            {
                var management = node.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
                Assert.True(await TestNode.EventuallyAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, TimeSpan.FromSeconds(30)),
                    "each node should see 2 active silos");
            }
            Assert.Equal("Healthy", await b.Client().GetStringAsync("/health/ready"));

            var port = Hosting.OrleansRegistration.Ports(a.App.Configuration).Silo;
            using var stranger = SelfSigned("skillshub-cluster");
            Assert.False(await StaysOpenAsync(port, stranger), "a stranger's certificate must be refused");
            Assert.False(await StaysOpenAsync(port, null), "no certificate must be refused");
            Assert.True(await StaysOpenAsync(port, cluster), "the cluster's certificate is accepted");
        }
        finally
        {
            File.Delete(file);
        }
    }

    static X509Certificate2 SelfSigned(string name)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A TLS connection to the silo port with <paramref name="certificate"/>: still open after a second, or ended by the node.</summary>
    static async Task<bool> StaysOpenAsync(int port, X509Certificate2? certificate)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        await using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "skillshub-cluster",
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
            });
            // TLS 1.3 finishes the client's side before the server has checked the client's certificate: its refusal
            // arrives as an alert (an exception) or the end of the stream on the first read.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            return await ssl.ReadAsync(new byte[1], wait.Token) > 0;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
        catch (Exception e) when (e is System.IO.IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    [Fact]
    public async Task ANodeStarting_BesideTheRowOfANodeThatDied_JoinsOnceTheRowIsStale()
    {
        // A node killed 20 s ago (kill -9): its membership row still says Active, and nobody answers on its port.
        // A starting node waits for every Active member to answer, and probes (then declares dead) only members whose
        // heartbeat is stale: with Orleans' default heartbeat (30 s, stale after 90 s) this start would wait about 85 s
        // more; with SkillsHub's (5 s, stale after 15 s) the row is stale already (docs/deployment.md, "A node that dies
        // without a word").
        var db = await postgres.NewDatabaseAsync();
        var deadPort = TestNode.FreePort();
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                insert into orleansmembershipversiontable (deploymentid, version) values ('skillshub', 1) on conflict do nothing;
                insert into orleansmembershiptable
                    (deploymentid, address, port, generation, siloname, hostname, status, proxyport, suspecttimes, starttime, iamalivetime)
                values ('skillshub', '127.0.0.1', @port, 1000, 'killed', 'killed', 3, @port, '', now() - interval '5 minutes', now() - interval '20 seconds');
                update orleansmembershipversiontable set version = version + 1 where deploymentid = 'skillshub';
                """, connection);
            insert.Parameters.AddWithValue("port", deadPort);
            await insert.ExecuteNonQueryAsync();
        }

        // The join is timed from the new silo's own start (its row's starttime), not from the test's: on a loaded machine the
        // node took a minute to be built before its silo started at all (CI, 2026-12-05), and the row was stale either way.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await using var node = await TestNode.StartAsync(db, deadline.Token);
        var joined = DateTime.UtcNow;

        Assert.Equal("Healthy", await node.Client().GetStringAsync("/health/ready"));
        await using var check = new NpgsqlConnection(db);
        await check.OpenAsync();
        await using (var own = new NpgsqlCommand("select starttime from orleansmembershiptable where port <> @port and status = 3", check))
        {
            own.Parameters.AddWithValue("port", deadPort);
            var siloStarted = DateTime.SpecifyKind((DateTime)(await own.ExecuteScalarAsync())!, DateTimeKind.Utc);
            Assert.True(joined - siloStarted < TimeSpan.FromSeconds(60), $"the silo took {joined - siloStarted} from its start to join");
        }
        await using var status = new NpgsqlCommand("select status from orleansmembershiptable where port = @port", check);
        status.Parameters.AddWithValue("port", deadPort);
        Assert.Equal(6, (int)(await status.ExecuteScalarAsync())!); // declared dead
    }

    [Fact]
    public async Task GrainState_IsPlainJson_AndAStaleEtagWriteIsRefused()
    {
        var db = await postgres.NewDatabaseAsync();
        await using var node = await TestNode.StartAsync(db);
        var grain = node.Services.GetRequiredService<IGrainFactory>().GetGrain<IStorageProbeGrain>("cnc-07");

        Assert.Equal(1, await grain.Increment());
        Assert.Equal(2, await grain.Increment());

        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using (var read = new NpgsqlCommand("select payloadjson->>'Count', payloadjson->>'Note' from orleansstorage where graintypestring = 'storage-probe'", connection))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), await Dump(db));
            Assert.Equal("2", reader.GetString(0));
            Assert.Equal("数控铣 CNC", reader.GetString(1));
        }

        // Another writer got there first: the activation's etag is now stale.
        await using (var bump = new NpgsqlCommand("update orleansstorage set version = version + 1 where graintypestring = 'storage-probe'", connection))
        {
            Assert.Equal(1, await bump.ExecuteNonQueryAsync());
        }
        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Increment());

        // The stored state was not overwritten; a fresh activation continues from it.
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            try
            {
                return await grain.Increment() == 3;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10)));

        await grain.Clear();
        Assert.Equal(0, await grain.Get());
    }

    [Fact]
    public async Task Reminder_FiresAgainAfterARestart()
    {
        var db = await postgres.NewDatabaseAsync();
        long ticksBefore;
        await using (var first = await TestNode.StartAsync(db))
        {
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IReminderProbeGrain>("r1").Start(TimeSpan.FromSeconds(1));
            Assert.True(await TestNode.EventuallyAsync(async () => await Ticks(db) >= 1, TimeSpan.FromSeconds(30)), "the reminder never fired");
            await first.StopAsync();
            ticksBefore = await Ticks(db);
        }

        // Nobody calls the grain now: only the reminder service, reading the reminder table, can wake it.
        await using var second = await TestNode.StartAsync(db);
        Assert.True(await TestNode.EventuallyAsync(async () => await Ticks(db) > ticksBefore, TimeSpan.FromSeconds(60)),
            "the reminder did not fire after the restart");
    }

    static async Task<string> Dump(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select string_agg(graintypestring || ' ' || coalesce(grainidextensionstring,'') || ' ' || coalesce(payloadjson::text,''), ' | ') from orleansstorage", connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "(no rows)";
    }

    static async Task<long> Ticks(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select coalesce((select (payloadjson->>'Count')::bigint from orleansstorage where graintypestring = 'reminder-probe'), 0)", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
