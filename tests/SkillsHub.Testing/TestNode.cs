using System.Net;
using System.Net.Sockets;
using SkillsHub.Server.Hosting;
using SkillsHub.Storage;
using Xunit;

namespace SkillsHub.Testing;

/// <summary>Starts a real SkillsHub node (Kestrel on a free port, Orleans silo, Hangfire) on a given database.</summary>
public static class TestNode
{
    public static async Task<SkillsHubNode> StartAsync(string connectionString, params string[] extraArgs)
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
            $"--Orleans:GatewayPort={FreePort()}",
            "--Orleans:MinimumReminderPeriodSeconds=1",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Hangfire=Error",
            "--Jobs:WorkerCount=2",
            // Every test signs in and pairs tablets from 127.0.0.1; the per-address limit is for real clients.
            "--Security:SignInPerMinute=100000",
        };
        args.AddRange(extraArgs);
        var node = await SkillsHubNode.CreateAsync([.. args]);
        await node.StartAsync();
        return node;
    }

    /// <summary>The key-encryption key every test node shares, as every node of a real cluster does.</summary>
    public const string CredentialsKey = "c2tpbGxzaHViIHRlc3Qga2V5LWVuY3J5cHRpb24ga2U=";

    /// <summary>The key that protects the shared Data Protection key ring (sign-in cookies) on every test node.</summary>
    public const string DataProtectionKey = "c2tpbGxzaHViIHRlc3QgZGF0YSBwcm90ZWN0aW9uIGs=";

    public static HttpClient Client(this SkillsHubNode node) => new() { BaseAddress = node.BaseAddress };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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

/// <summary>One private PostgreSQL server per test class that asks for it; each test creates its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    PrivatePostgres? _server;

    public PrivatePostgres Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _server = await PrivatePostgres.StartTemporaryAsync("postgres");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh, empty database on the shared server.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new Npgsql.NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var create = new Npgsql.NpgsqlCommand($"create database {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = name }.ConnectionString;
    }
}
