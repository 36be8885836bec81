using CsvHelper;
using CsvHelper.Configuration;
using SkillsHub.Server.Competitions;

namespace SkillsHub.Server.Seeding;

/// <summary>
/// Loads seed-data/reference (WorldSkills members, competitions, skills) on every start through
/// <see cref="ReferenceDataStore"/>, which adds only what is missing: a second start, or two nodes starting together, add nothing.
/// </summary>
public static class ReferenceDataSeeder
{
    public static async Task SeedAsync(NpgsqlDataSource dataSource, string seedDirectory, ILogger logger, CancellationToken cancellationToken = default)
    {
        var reference = Path.Combine(seedDirectory, "reference");
        await using var store = await ReferenceDataStore.BeginAsync(dataSource, cancellationToken);
        var inserted = 0;

        foreach (var row in Tsv.Read(Path.Combine(reference, "members.tsv")))
        {
            inserted += await store.MemberAsync(row["code"], row["name"], NullIfEmpty(row.GetValueOrDefault("name_zh")));
        }

        foreach (var competition in Tsv.Read(Path.Combine(reference, "competitions.tsv")))
        {
            inserted += await store.CompetitionAsync(new ReferenceDataStore.Competition(competition["code"], competition["name"], NullIfEmpty(competition["name_zh"]),
                competition["city"], competition["country"], NullIfEmpty(competition.GetValueOrDefault("city_zh")), NullIfEmpty(competition.GetValueOrDefault("country_zh")),
                DateOnly.Parse(competition["starts_on"], CultureInfo.InvariantCulture), DateOnly.Parse(competition["ends_on"], CultureInfo.InvariantCulture)));

            foreach (var skill in Tsv.Read(Path.Combine(reference, competition["skills_file"])))
            {
                inserted += await store.SkillAsync(new ReferenceDataStore.Skill(competition["code"], short.Parse(skill["number"], CultureInfo.InvariantCulture),
                    skill["name_en"], NullIfEmpty(skill["name_zh"]), NullIfEmpty(skill["sector"]), ShortOrNull(skill["team_size"]), ShortOrNull(skill["competitor_max_age"])));
            }
        }

        await store.CommitAsync(cancellationToken);
        if (inserted > 0)
        {
            logger.LogInformation("Seeded {Rows} reference rows from {Directory}", inserted, reference);
        }
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    static short? ShortOrNull(string value) => string.IsNullOrWhiteSpace(value) ? null : short.Parse(value, CultureInfo.InvariantCulture);
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
