using System.Text.RegularExpressions;
using Npgsql;

namespace SkillsHub.Storage;

/// <summary>
/// Applies SkillsHub's versioned SQL migrations (embedded <c>Migrations/NNNN_name.sql</c>) in order,
/// each in its own transaction, recording them in <c>skillshub.schema_migrations</c>. A session-level
/// advisory lock serialises nodes that start at the same time, so the second one finds the work done.
/// </summary>
public static partial class DatabaseMigrator
{
    // Arbitrary but fixed: every SkillsHub node takes the same lock.
    const long MigrationLockKey = 0x536B696C6C734875;

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } = Load();

    static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(resource);
            if (!match.Success)
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
        }
        return migrations.OrderBy(m => m.Version).ToList();
    }

    /// <summary>Applies every pending migration; returns the versions this call applied.</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"select pg_advisory_lock({MigrationLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                create schema if not exists skillshub;
                create table if not exists skillshub.schema_migrations (
                    version    integer primary key,
                    name       text not null,
                    applied_at timestamptz not null default now()
                );
                """, cancellationToken);

            var applied = new HashSet<int>();
            var unknown = new List<string>();
            await using (var read = new NpgsqlCommand("select version, name from skillshub.schema_migrations order by version", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var version = reader.GetInt32(0);
                    applied.Add(version);
                    if (!All.Any(m => m.Version == version))
                    {
                        unknown.Add($"{version:D4}_{reader.GetString(1)}");
                    }
                }
            }
            // A database a newer release has migrated is not this release's to use: its code does not know what those
            // migrations changed (found by an outside tester rolling back: an older node ran on, its certificate registry
            // answering 500 while the node said it was ready). Refused before anything is written.
            if (unknown.Count > 0)
            {
                throw new NewerDatabaseException(unknown);
            }

            var done = new List<int>();
            foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }
                await using (var record = new NpgsqlCommand("insert into skillshub.schema_migrations (version, name) values (@v, @n)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                done.Add(migration.Version);
            }
            return done;
        }
        finally
        {
            await ExecuteAsync(connection, $"select pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"^Migrations\.(\d{4})_(.+)\.sql$")]
    private static partial Regex MigrationName();
}

/// <summary>The database holds migrations this release does not have: a newer release has upgraded it.</summary>
public sealed class NewerDatabaseException(IReadOnlyList<string> migrations) : Exception(
    $"The database was upgraded by a newer release of SkillsHub: it holds migration{(migrations.Count == 1 ? "" : "s")} " +
    $"{string.Join(", ", migrations)}, which this release does not have. Run that release (or a later one), or restore " +
    "the backup taken before the upgrade (docs/operations.md, \"Upgrading\").");
