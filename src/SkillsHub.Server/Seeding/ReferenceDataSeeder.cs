using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Npgsql;

namespace SkillsHub.Server.Seeding;

/// <summary>
/// Loads seed-data/reference (WorldSkills members, competitions, skills) on every start. Inserts use
/// ON CONFLICT DO NOTHING, so a second start, or two nodes starting together, add nothing.
/// </summary>
public static class ReferenceDataSeeder
{
    public static async Task SeedAsync(NpgsqlDataSource dataSource, string seedDirectory, ILogger logger, CancellationToken cancellationToken = default)
    {
        var reference = Path.Combine(seedDirectory, "reference");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = 0;

        foreach (var row in Tsv.Read(Path.Combine(reference, "members.tsv")))
        {
            inserted += await ExecuteAsync(connection, transaction,
                "insert into skillshub.members (code, name) values (@code, @name) on conflict do nothing",
                ("code", row["code"]), ("name", row["name"]));
        }

        foreach (var competition in Tsv.Read(Path.Combine(reference, "competitions.tsv")))
        {
            inserted += await ExecuteAsync(connection, transaction, """
                insert into skillshub.competitions (code, name, name_zh, city, country, starts_on, ends_on)
                values (@code, @name, @name_zh, @city, @country, @starts_on, @ends_on) on conflict do nothing
                """,
                ("code", competition["code"]), ("name", competition["name"]), ("name_zh", NullIfEmpty(competition["name_zh"])),
                ("city", competition["city"]), ("country", competition["country"]),
                ("starts_on", DateOnly.Parse(competition["starts_on"], CultureInfo.InvariantCulture)),
                ("ends_on", DateOnly.Parse(competition["ends_on"], CultureInfo.InvariantCulture)));

            foreach (var skill in Tsv.Read(Path.Combine(reference, competition["skills_file"])))
            {
                inserted += await ExecuteAsync(connection, transaction, """
                    insert into skillshub.skills (competition_code, number, name, name_zh, sector, team_size, competitor_max_age)
                    values (@competition, @number, @name, @name_zh, @sector, @team_size, @max_age) on conflict do nothing
                    """,
                    ("competition", competition["code"]), ("number", short.Parse(skill["number"], CultureInfo.InvariantCulture)),
                    ("name", skill["name_en"]), ("name_zh", NullIfEmpty(skill["name_zh"])), ("sector", NullIfEmpty(skill["sector"])),
                    ("team_size", ShortOrNull(skill["team_size"])), ("max_age", ShortOrNull(skill["competitor_max_age"])));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (inserted > 0)
        {
            logger.LogInformation("Seeded {Rows} reference rows from {Directory}", inserted, reference);
        }
    }

    static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string name, object? value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return await command.ExecuteNonQueryAsync();
    }

    static string? NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    static object? ShortOrNull(string value) => string.IsNullOrWhiteSpace(value) ? null : short.Parse(value, CultureInfo.InvariantCulture);
}

/// <summary>Reads the tab-separated reference files under seed-data/reference (header row, no quoting).</summary>
static class Tsv
{
    public static List<IReadOnlyDictionary<string, string>> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = "\t", Mode = CsvMode.NoEscape });
        return csv.GetRecords<dynamic>()
            .Select(row => (IReadOnlyDictionary<string, string>)((IDictionary<string, object>)row).ToDictionary(x => x.Key, x => x.Value?.ToString() ?? ""))
            .ToList();
    }
}
