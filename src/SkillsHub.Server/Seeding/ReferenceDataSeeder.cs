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
                // A database seeded before the Chinese names existed gets them filled in (never overwritten).
                """
                insert into skillshub.members (code, name, name_zh) values (@code, @name, @name_zh)
                on conflict (code) do update set name_zh = excluded.name_zh
                where skillshub.members.name_zh is null and excluded.name_zh is not null
                """,
                ("code", row["code"]), ("name", row["name"]), ("name_zh", NullIfEmpty(row.GetValueOrDefault("name_zh") ?? "")));
        }

        foreach (var competition in Tsv.Read(Path.Combine(reference, "competitions.tsv")))
        {
            inserted += await ExecuteAsync(connection, transaction, """
                insert into skillshub.competitions (code, name, name_zh, city, country, city_zh, country_zh, starts_on, ends_on)
                values (@code, @name, @name_zh, @city, @country, @city_zh, @country_zh, @starts_on, @ends_on)
                on conflict (code) do update set city_zh = excluded.city_zh, country_zh = excluded.country_zh
                where skillshub.competitions.city_zh is null and excluded.city_zh is not null
                """,
                ("code", competition["code"]), ("name", competition["name"]), ("name_zh", NullIfEmpty(competition["name_zh"])),
                ("city", competition["city"]), ("country", competition["country"]),
                ("city_zh", NullIfEmpty(competition.GetValueOrDefault("city_zh") ?? "")), ("country_zh", NullIfEmpty(competition.GetValueOrDefault("country_zh") ?? "")),
                ("starts_on", DateOnly.Parse(competition["starts_on"], CultureInfo.InvariantCulture)),
                ("ends_on", DateOnly.Parse(competition["ends_on"], CultureInfo.InvariantCulture)));

            foreach (var skill in Tsv.Read(Path.Combine(reference, competition["skills_file"])))
            {
                inserted += await ExecuteAsync(connection, transaction, """
                    insert into skillshub.skills (competition_code, number, name, name_zh, sector, team_size, competitor_max_age)
                    values (@competition, @number, @name, @name_zh, @sector, @team_size, @max_age)
                    on conflict (competition_code, number) do update set name_zh = excluded.name_zh
                    where skillshub.skills.name_zh is null and excluded.name_zh is not null
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
