using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>SkillsHub's own Orleans SQL (migrations 0002-0004), proved through the real providers in real silos.</summary>
[Collection(ServerCollection.Nodes)]
public sealed class OrleansProviderTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TwoNodesOnOneDatabase_FormOneCluster()
    {
        var db = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(db);
        await using var b = await TestNode.StartAsync(db);

        foreach (var node in new[] { a, b })
        {
            var management = node.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
            Assert.True(await TestNode.EventuallyAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, TimeSpan.FromSeconds(30)),
                "each node should see 2 active silos");
        }
        Assert.Equal("Healthy", await b.Client().GetStringAsync("/health/ready"));
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

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var node = await TestNode.StartAsync(db, deadline.Token);

        Assert.Equal("Healthy", await node.Client().GetStringAsync("/health/ready"));
        await using var check = new NpgsqlConnection(db);
        await check.OpenAsync();
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
