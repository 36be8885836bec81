using Npgsql;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

public sealed class PrivatePostgresTests
{
    [Fact]
    public void MissingBinaries_SayHowToInstallThem()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;

        var error = Assert.Throws<PostgresSetupException>(() => PostgresBinaries.Find(null, empty, Path.Combine(empty, "nowhere")));

        Assert.Contains("PostgreSQL server binaries (initdb, pg_ctl) were not found", error.Message);
        Assert.Contains("apt-get install -y postgresql", error.Message);
    }

    [Fact]
    public async Task TemporaryServer_AcceptsConnections_AndIsGoneAfterStop()
    {
        var server = await PrivatePostgres.StartTemporaryAsync("probe_db");
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
}
