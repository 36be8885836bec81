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
        var competitions = TsvFile.Read(Path.Combine(reference, "competitions.tsv"));
        var inserted = await store.MembersAsync(TsvFile.Read(Path.Combine(reference, "members.tsv")).Select(row =>
            new ReferenceDataStore.Member(row["code"], row["name"], NullIfEmpty(row.GetValueOrDefault("name_zh")))), cancellationToken);
        inserted += await store.CompetitionsAsync(competitions.Select(competition => new ReferenceDataStore.Competition(competition["code"], competition["name"],
            NullIfEmpty(competition["name_zh"]), competition["city"], competition["country"], NullIfEmpty(competition.GetValueOrDefault("city_zh")),
            NullIfEmpty(competition.GetValueOrDefault("country_zh")), DateOnly.Parse(competition["starts_on"], CultureInfo.InvariantCulture),
            DateOnly.Parse(competition["ends_on"], CultureInfo.InvariantCulture))), cancellationToken);
        inserted += await store.SkillsAsync(competitions.SelectMany(competition => TsvFile.Read(Path.Combine(reference, competition["skills_file"])).Select(skill =>
            new ReferenceDataStore.Skill(competition["code"], short.Parse(skill["number"], CultureInfo.InvariantCulture), skill["name_en"], NullIfEmpty(skill["name_zh"]),
                NullIfEmpty(skill["sector"]), ShortOrNull(skill["team_size"]), ShortOrNull(skill["competitor_max_age"])))), cancellationToken);

        await store.CommitAsync(cancellationToken);
        if (inserted > 0)
        {
            logger.LogInformation("Seeded {Rows} reference rows from {Directory}", inserted, reference);
        }
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    static short? ShortOrNull(string value) => string.IsNullOrWhiteSpace(value) ? null : short.Parse(value, CultureInfo.InvariantCulture);
}
