namespace SkillsHub.Domain.Certification;

/// <summary>A place band of a competition's promotion rule: places From..To (inclusive) earn Level.</summary>
public sealed record PlaceBand(int From, int To, SkillLevel Level);

/// <summary>
/// How a competition's results promote competitors, configured per competition. The default is the
/// national-competition rule (docs/certification.md): excellence award or better -> Level 2; already Level 2
/// (or higher) -> Level 1. Other competitions use place bands (e.g. top 5 -> L2, places 6-20 -> L3).
/// </summary>
public sealed record PromotionRule
{
    public static readonly PromotionRule National = new();

    /// <summary>Award-based rule: the least award that promotes (null: use <see cref="Bands"/>).</summary>
    public string? MinimumAward { get; init; } = "MedallionForExcellence";

    public SkillLevel AwardLevel { get; init; } = SkillLevel.Level2;

    /// <summary>A competitor already at <see cref="AwardLevel"/> or above moves one up, to at most this.</summary>
    public SkillLevel AlreadyHeldLevel { get; init; } = SkillLevel.Level1;

    public IReadOnlyList<PlaceBand> Bands { get; init; } = [];
}

/// <summary>One published result row (the only kind promotions read).</summary>
public sealed record PublishedRow(int Place, string CompetitorId, string Name, string MemberCode, string Award);

/// <summary>A skill's final standings as handed to the rule; Published is false for frozen or provisional boards.</summary>
public sealed record SkillResults(string Competition, int Skill, string SkillName, bool Published, IReadOnlyList<PublishedRow> Rows);

public sealed record Promotion(string Competition, int Skill, string CompetitorId, string Name, string MemberCode, string Occupation, SkillLevel Level, string Reason);

public static class Promotions
{
    // Award order as the scoring domain ranks them.
    static readonly string[] AwardOrder = ["None", "MedallionForExcellence", "Bronze", "Silver", "Gold"];

    static int AwardRank(string? award)
    {
        var i = Array.FindIndex(AwardOrder, a => string.Equals(a, award?.Trim(), StringComparison.OrdinalIgnoreCase));
        return Math.Max(i, 0);
    }

    /// <summary>
    /// Promotions earned in one skill. Only published final results count: an unpublished (frozen,
    /// provisional, live) board yields nothing, so no certificate can come from stale standings.
    /// </summary>
    public static IReadOnlyList<Promotion> Decide(SkillResults results, PromotionRule rule, string? occupation, Func<string, SkillLevel?>? heldLevel = null)
    {
        if (!results.Published || occupation is null)
        {
            return [];
        }
        var promotions = new List<Promotion>();
        foreach (var row in results.Rows)
        {
            SkillLevel? level = null;
            string reason;
            if (rule.MinimumAward is { } minimum)
            {
                if (row.Award is null || AwardRank(row.Award) < AwardRank(minimum) || AwardRank(row.Award) == 0)
                {
                    continue;
                }
                level = heldLevel?.Invoke(row.CompetitorId) is { } held && held >= rule.AwardLevel && held < SkillLevel.SpecialGrade
                    ? (SkillLevel)Math.Min((int)held + 1, (int)rule.AlreadyHeldLevel)
                    : rule.AwardLevel;
                reason = $"{row.Award} in {results.Competition} skill {results.Skill}";
            }
            else
            {
                var band = rule.Bands.FirstOrDefault(b => row.Place >= b.From && row.Place <= b.To);
                if (band is null)
                {
                    continue;
                }
                level = band.Level;
                reason = $"place {row.Place} in {results.Competition} skill {results.Skill}";
            }
            if (heldLevel?.Invoke(row.CompetitorId) is { } current && current >= level)
            {
                continue;
            }
            promotions.Add(new Promotion(results.Competition, results.Skill, row.CompetitorId, row.Name, row.MemberCode, occupation, level.Value, reason));
        }
        return promotions;
    }

    /// <summary>
    /// The level a recorded promotion certifies once the holder is known. The promotions job reads
    /// standings, which carry no identity and so no levels held; the officer's ID supplies them. Under
    /// an award rule (the national rule) a holder already at the promoted level or above moves one up,
    /// to at most <see cref="PromotionRule.AlreadyHeldLevel"/> (docs/certification.md: already L2 -> L1). Null when
    /// the promotion adds nothing to what the holder holds, so no certificate is due.
    /// </summary>
    public static SkillLevel? LevelOnIssue(PromotionRule rule, SkillLevel recorded, SkillLevel? highestHeld)
    {
        if (highestHeld is not { } held || held < recorded)
        {
            return recorded;
        }
        if (rule.MinimumAward is null || held >= SkillLevel.SpecialGrade)
        {
            return null;
        }
        var next = (SkillLevel)Math.Min((int)held + 1, (int)rule.AlreadyHeldLevel);
        return next > held ? next : null;
    }

    /// <summary>
    /// WorldSkills skill name -> occupation code, from the catalogue's "related_worldskills_skill"
    /// column; where several occupations relate to one skill the lowest code wins.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SkillMapping(IEnumerable<(string Occupation, string? Skill)> catalogue) =>
        catalogue.Where(c => !string.IsNullOrWhiteSpace(c.Skill))
            .GroupBy(c => c.Skill!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Occupation).Order(StringComparer.Ordinal).First(), StringComparer.OrdinalIgnoreCase);
}
