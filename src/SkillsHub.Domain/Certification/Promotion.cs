using System.Text.Json.Serialization;

namespace SkillsHub.Domain.Certification;

/// <summary>
/// A place band of a competition's promotion rule: places From..To (inclusive) earn Level. Each part must be given: a
/// band read without one would stand for place 0 or the apprentice level (docs/certification.md, "Rules").
/// </summary>
public sealed record PlaceBand([property: JsonRequired] int From, [property: JsonRequired] int To, [property: JsonRequired] SkillLevel Level);

/// <summary>
/// How a competition's results promote competitors, configured per competition (docs/certification.md, "Rules").
/// A rule is either award-based or by place, never both: with <see cref="Bands"/> it promotes by place only; without,
/// it promotes by award, each unset award field taking the national rule's value (excellence award or better ->
/// Level 2; already Level 2 (or higher) -> Level 1). <see cref="Faults"/> says what makes a rule meaningless.
/// </summary>
public sealed record PromotionRule
{
    public const string NationalMinimumAward = "MedallionForExcellence";

    /// <summary>Awards that can promote, least first (the scoring domain's order; "None" never promotes).</summary>
    public static IReadOnlyList<string> PromotingAwards { get; } = ["MedallionForExcellence", "Bronze", "Silver", "Gold"];

    public static readonly PromotionRule National = new();

    /// <summary>Award rule: the least award that promotes (unset: the national rule's excellence award).</summary>
    public string? MinimumAward { get; init; }

    /// <summary>Award rule: the level an award earns (unset: Level 2).</summary>
    public SkillLevel? AwardLevel { get; init; }

    /// <summary>Award rule: a competitor already at the award level or above moves one up, to at most this (unset: Level 1).</summary>
    public SkillLevel? AlreadyHeldLevel { get; init; }

    /// <summary>
    /// Place rule: places From..To earn Level; when given, the award fields must not be. A null list (JSON's
    /// <c>"bands": null</c>) is no bands, as a field left out is (an outside tester: it was a 500).
    /// </summary>
    public IReadOnlyList<PlaceBand> Bands { get; init => field = value ?? []; } = [];

    /// <summary>True when the rule promotes by place (bands), false when by award.</summary>
    public bool ByPlace() => Bands.Count > 0;

    public string EffectiveMinimumAward() => MinimumAward ?? NationalMinimumAward;

    public SkillLevel EffectiveAwardLevel() => AwardLevel ?? SkillLevel.Level2;

    public SkillLevel EffectiveAlreadyHeldLevel() => AlreadyHeldLevel ?? SkillLevel.Level1;

    /// <summary>The most bands a rule may have.</summary>
    public const int MaxBands = 50;

    /// <summary>
    /// What is wrong with the rule, by field (JSON names: "minimumAward", "bands[1]"); empty when it is usable.
    /// Chief and special-grade technicians are appointed, never promoted (docs/certification.md, "Rules").
    /// </summary>
    public IReadOnlyList<(string Field, string Message)> Faults()
    {
        var faults = new List<(string, string)>();
        if (ByPlace())
        {
            const string either = "A rule promotes either by award (minimumAward, awardLevel, alreadyHeldLevel) or by place (bands), not both.";
            if (MinimumAward is not null)
            {
                faults.Add(("minimumAward", either));
            }
            if (AwardLevel is not null)
            {
                faults.Add(("awardLevel", either));
            }
            if (AlreadyHeldLevel is not null)
            {
                faults.Add(("alreadyHeldLevel", either));
            }
        }
        if (MinimumAward is not null && !PromotingAwards.Contains(MinimumAward.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            faults.Add(("minimumAward", $"The minimum award is one of {string.Join(", ", PromotingAwards)}."));
        }
        if (AwardLevel is { } award && !award.IsEvaluated())
        {
            faults.Add(("awardLevel", LevelFault(award)));
        }
        if (AlreadyHeldLevel is { } already && !already.IsEvaluated())
        {
            faults.Add(("alreadyHeldLevel", LevelFault(already)));
        }
        else if (AlreadyHeldLevel is { } up && EffectiveAwardLevel().IsEvaluated() && up < EffectiveAwardLevel())
        {
            faults.Add(("alreadyHeldLevel", "The level for holders already at the award level is that level or higher."));
        }
        if (Bands.Count > MaxBands)
        {
            faults.Add(("bands", $"At most {MaxBands} place bands."));
        }
        PlaceBand? previous = null;
        foreach (var (band, i) in Bands.Select((b, i) => (b, i)).OrderBy(x => x.b?.From ?? 0))
        {
            var field = $"bands[{i}]";
            if (band is null)
            {
                faults.Add((field, "A band is {from, to, level}."));
                continue;
            }
            if (band.From < 1 || band.To < band.From)
            {
                faults.Add((field, $"Places {band.From} to {band.To}: a band needs 1 <= from <= to."));
            }
            else if (previous is not null && band.From <= previous.To)
            {
                faults.Add((field, $"Places {band.From} to {band.To} overlap places {previous.From} to {previous.To}; each place earns one level."));
            }
            if (!band.Level.IsEvaluated())
            {
                faults.Add((field, LevelFault(band.Level)));
            }
            if (band.From >= 1 && band.To >= band.From)
            {
                previous = band;
            }
        }
        return faults;
    }

    static string LevelFault(SkillLevel level) => level.IsByAppointment()
        ? $"{level.EnglishName()} is appointed by an employer agency, never obtained by promotion; use Level5..Level1."
        : "A promotion earns one of Level5..Level1.";
}

/// <summary>One published result row (the only kind promotions read).</summary>
public sealed record PublishedRow(int Place, string CompetitorId, string Name, string MemberCode, string Award)
{
    /// <summary>
    /// The rows a promotion is decided for: a competitor, or each member of a team. A team counts as one competitor in
    /// the results, but a promotion is a person's entitlement to one certificate (docs/certification.md, "Teams"), so each
    /// member gets a row of their own, keyed <c>{team id}#{n}</c> (n from 1, in the team's order) and named by their name.
    /// A competitor of one person keeps the competitor's id and is named by the person's name: the competitor's display
    /// name may be a label ("China (demo)", "Team China"), and a certificate is a personal document (found by an outside
    /// tester: a promotion certificate was issued to "China (demo)"). With no person listed, the competitor's name.
    /// </summary>
    public static IReadOnlyList<PublishedRow> ForEachPerson(int place, string competitorId, string name, string memberCode, string award, IReadOnlyList<string> people) =>
        people.Count switch
        {
            0 => [new PublishedRow(place, competitorId, name, memberCode, award)],
            1 => [new PublishedRow(place, competitorId, people[0], memberCode, award)],
            _ => people.Select((person, i) => new PublishedRow(place, $"{competitorId}#{i + 1}", person, memberCode, award)).ToList(),
        };
}

/// <summary>A skill's final standings as handed to the rule; Published is false for frozen or provisional boards.</summary>
public sealed record SkillResults(string Competition, int Skill, string SkillName, bool Published, IReadOnlyList<PublishedRow> Rows);

public sealed record Promotion(string Competition, int Skill, string CompetitorId, string Name, string MemberCode, string Occupation, SkillLevel Level, string Reason);

public static class Promotions
{
    /// <summary>
    /// What a competition's promotion setting (its rule and its skill-to-occupation map, as PUT
    /// /api/certification/promotion-rules/{competition} takes them) must hold, by field (JSON names: "rule",
    /// "rule.minimumAward", "skillOccupations"); empty when it may be stored. Both parts are required: a setting without
    /// its rule or its map, or with a map naming no skill, would map every skill to no occupation, and the next
    /// promotions run would withdraw every promotion of the competition (found by an outside tester). An empty rule
    /// (<c>{}</c>) is the national rule; whether each key names a skill of the competition and each value an occupation
    /// in the catalogue is the store's to say (docs/certification.md, "Rules").
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> SettingFaults(PromotionRule? rule, IReadOnlyDictionary<string, string>? skillOccupations)
    {
        var faults = new List<(string, string)>();
        if (rule is null)
        {
            faults.Add(("rule", "The rule is required: {} for the national rule, the award fields (minimumAward, awardLevel, alreadyHeldLevel), or place bands."));
        }
        else
        {
            faults.AddRange(rule.Faults().Select(f => ($"rule.{f.Field}", f.Message)));
        }
        if (skillOccupations is null)
        {
            faults.Add(("skillOccupations", "The skill-to-occupation map is required: each skill that promotes (number or name) with its occupation code, e.g. {\"7\": \"6-18-01-01\"}."));
        }
        else if (skillOccupations.Count == 0)
        {
            faults.Add(("skillOccupations", "The map names no skill, so no skill would map to an occupation and every promotion would be withdrawn: map at least one skill."));
        }
        return faults;
    }

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
        // Results that award nothing decide nothing yet (no mark above 0: docs/scoring.md, "Results"), so a place rule
        // does not promote a field tied at 700 either.
        if (!results.Published || occupation is null || results.Rows.All(r => AwardRank(r.Award) == 0))
        {
            return [];
        }
        var promotions = new List<Promotion>();
        foreach (var row in results.Rows)
        {
            SkillLevel? level = null;
            string reason;
            if (!rule.ByPlace())
            {
                var minimum = rule.EffectiveMinimumAward();
                if (row.Award is null || AwardRank(row.Award) < AwardRank(minimum) || AwardRank(row.Award) == 0)
                {
                    continue;
                }
                level = heldLevel?.Invoke(row.CompetitorId) is { } held && held >= rule.EffectiveAwardLevel() && held < SkillLevel.SpecialGrade
                    ? (SkillLevel)Math.Min((int)held + 1, (int)rule.EffectiveAlreadyHeldLevel())
                    : rule.EffectiveAwardLevel();
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
    /// to at most <see cref="PromotionRule.EffectiveAlreadyHeldLevel"/> (docs/certification.md: already L2 -> L1). Null when
    /// the promotion adds nothing to what the holder holds, so no certificate is due.
    /// </summary>
    public static SkillLevel? LevelOnIssue(PromotionRule rule, SkillLevel recorded, SkillLevel? highestHeld)
    {
        if (highestHeld is not { } held || held < recorded)
        {
            return recorded;
        }
        if (rule.ByPlace() || held >= SkillLevel.SpecialGrade)
        {
            return null;
        }
        var next = (SkillLevel)Math.Min((int)held + 1, (int)rule.EffectiveAlreadyHeldLevel());
        return next > held ? next : null;
    }

    /// <summary>
    /// Whether a key of a skill-to-occupation map names this skill: a skill number as skill numbers are written (7 or 07,
    /// <see cref="Marking.Identifiers.ReadSkillNumber"/>), else the skill's name in any case. One rule checks a map when it
    /// is set and reads it when promotions run (docs/certification.md, "Rules"): found by an outside tester, a map keyed
    /// "07" was accepted as skill 7 and then matched no skill, so the run withdrew every promotion of the competition.
    /// </summary>
    public static bool KeyNamesSkill(string key, int number, string name) =>
        Marking.Identifiers.ReadSkillNumber(key) is { } keyNumber
            ? keyNumber == number
            : string.Equals(key.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The occupation <paramref name="map"/> gives the skill (<see cref="KeyNamesSkill"/>); null when it names none.</summary>
    public static string? OccupationOf(int number, string name, IReadOnlyDictionary<string, string> map) =>
        map.Where(e => KeyNamesSkill(e.Key, number, name)).Select(e => e.Value).FirstOrDefault();

    /// <summary>
    /// WorldSkills skill name -> occupation code, from the catalogue's "related_worldskills_skill"
    /// column; where several occupations relate to one skill the lowest code wins.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SkillMapping(IEnumerable<(string Occupation, string? Skill)> catalogue) =>
        catalogue.Where(c => !string.IsNullOrWhiteSpace(c.Skill))
            .GroupBy(c => c.Skill!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Occupation).Order(StringComparer.Ordinal).First(), StringComparer.OrdinalIgnoreCase);
}
