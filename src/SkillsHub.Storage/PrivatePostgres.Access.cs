using Npgsql;

namespace SkillsHub.Storage;

/// <summary>Who may connect to the private PostgreSQL, and with which password (docs/deployment.md, "The embedded PostgreSQL").</summary>
public sealed partial class PrivatePostgres
{
    /// <summary>The file in the data directory that holds the password of the server's <c>postgres</c> role.</summary>
    public const string PasswordFile = "skillshub-postgres.password";

    /// <summary>
    /// Who may connect (docs/deployment.md, "The embedded PostgreSQL"): over the Unix socket, which is in a directory
    /// only the server's user (and root) can enter, without a password; over TCP, on loopback only, with the
    /// <c>postgres</c> role's password. Written at every start, so a data directory made before passwords were
    /// asked for (which trusted every loopback connection) is locked down at its next start.
    /// </summary>
    const string HostBasedAccess = """
        # Written by SkillsHub at every start of its private PostgreSQL (docs/deployment.md, "The embedded PostgreSQL").
        # The Unix socket lives in a directory only this server's user (and root) can enter.
        local all all trust
        # Over TCP, loopback only, with the postgres role's password (skillshub-postgres.password in this directory).
        host all all 127.0.0.1/32 scram-sha-256
        host all all ::1/128 scram-sha-256

        """;

    /// <summary>
    /// The data directory's password (made, 24 random bytes as hex, in a file only its owner may read, when missing)
    /// and its <c>pg_hba.conf</c> (<see cref="HostBasedAccess"/>). The role's password is set once the server is up
    /// (<see cref="SetPasswordAndCreateDatabaseAsync"/>).
    /// </summary>
    static string LockDown(string dataDirectory)
    {
        var password = SecretFile.ReadOrCreate(Path.Combine(dataDirectory, PasswordFile),
            () => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        var hba = Path.Combine(dataDirectory, "pg_hba.conf");
        if (!File.Exists(hba) || File.ReadAllText(hba) != HostBasedAccess)
        {
            File.WriteAllText(hba, HostBasedAccess);
        }
        return password;
    }

    /// <summary>
    /// Over the Unix socket (the one way in without a password): sets the <c>postgres</c> role's password to the data
    /// directory's, and creates the database when missing.
    /// </summary>
    async Task SetPasswordAndCreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = _socketDirectory,
            Port = Port,
            Database = "postgres",
            Username = "postgres",
            Pooling = false,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken);
        // A literal (ALTER ROLE takes no parameters); the password is hex, so it needs no escaping.
        await using (var alter = new NpgsqlCommand($"alter role postgres password '{_password}'", connection))
        {
            await alter.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", _options.Database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{_options.Database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
