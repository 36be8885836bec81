namespace SkillsHub.Domain.Scoring;

/// <summary>
/// One member's line, the same in all five reports. Averages are unrounded. <see cref="NameZh"/> is the member's Chinese
/// name from the reference data, for pages in Chinese (docs/pages.md, "Languages"); the rules never read it.
/// </summary>
public sealed record MemberStanding(
    string MemberCode,
    string Name,
    int SkillsEntered,
    int Gold,
    int Silver,
    int Bronze,
    int Medallions,
    int MedalPoints,
    decimal AverageMedalPoints,
    long TotalScaled,
    decimal AverageScaled,
    string? NameZh = null);

/// <summary>A member in a report; <see cref="Rank"/> is null in the alphabetical report.</summary>
public sealed record RankedMember(int? Rank, MemberStanding Standing);

public enum MemberReportKind
{
    /// <summary>(1) Alphabetical, with medal points, average scaled score, skills entered and medal counts.</summary>
    Alphabetical,

    /// <summary>(2) Total medal points.</summary>
    TotalMedalPoints,

    /// <summary>(3) Average medal points = total / skills entered.</summary>
    AverageMedalPoints,

    /// <summary>(4) Total scaled score.</summary>
    TotalScaledScore,

    /// <summary>(5) Average scaled score.</summary>
    AverageScaledScore,
}

public sealed record MemberReport(MemberReportKind Kind, string Title, IReadOnlyList<RankedMember> Rows);

/// <summary>
/// The names a report goes by in an address (docs/scoring.md, "Results"): its path name (<c>total-medal-points</c>)
/// and the name a report answers with as its <c>kind</c> (<c>TotalMedalPoints</c>), so a client can ask again for what it
/// was given; also that name in kebab case (<c>total-scaled-score</c>). Any case; never the enum's position (<c>2</c>).
/// </summary>
public static class MemberReportKinds
{
    static readonly (string Path, MemberReportKind Kind)[] Paths =
    [
        ("alphabetical", MemberReportKind.Alphabetical),
        ("total-medal-points", MemberReportKind.TotalMedalPoints),
        ("average-medal-points", MemberReportKind.AverageMedalPoints),
        ("total-scaled", MemberReportKind.TotalScaledScore),
        ("average-scaled", MemberReportKind.AverageScaledScore),
    ];

    /// <summary>The path names, in report order.</summary>
    public static IReadOnlyList<string> PathNames { get; } = [.. Paths.Select(p => p.Path)];

    /// <summary>
    /// Every name a path may give as written here, path names first, then the kinds' own names and those in kebab case
    /// (the contract's enum; found by an outside tester: total-scaled-score was answered but not listed).
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. PathNames.Concat(Enum.GetNames<MemberReportKind>()).Concat(Enum.GetNames<MemberReportKind>().Select(Kebab)).Distinct(StringComparer.Ordinal)];

    public static bool TryParse(string? name, out MemberReportKind kind)
    {
        var text = name?.Trim() ?? "";
        foreach (var (path, value) in Paths)
        {
            var own = value.ToString();
            if (string.Equals(text, path, StringComparison.OrdinalIgnoreCase) || string.Equals(text, own, StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, Kebab(own), StringComparison.OrdinalIgnoreCase))
            {
                kind = value;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>"TotalScaledScore" -> "total-scaled-score".</summary>
    static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

/// <summary>The five member reports of docs/scoring.md [C]. A team is one competitor, counted once.</summary>
public static class MemberReports
{
    /// <summary>Medal points [C]: gold 4, silver 3, bronze 2, Medallion for Excellence 1.</summary>
    public static int PointsFor(Award award) => award switch
    {
        Award.Gold => 4,
        Award.Silver => 3,
        Award.Bronze => 2,
        Award.MedallionForExcellence => 1,
        _ => 0,
    };

    public static int MedalPoints(int gold, int silver, int bronze, int medallions) =>
        (4 * gold) + (3 * silver) + (2 * bronze) + medallions;

    /// <summary>
    /// Builds all five reports. <paramref name="members"/> (code -> display name) adds members that
    /// entered nothing and names them; without it, members are those with a competitor and are named by
    /// code. Ranked reports use standard competition ranking on the unrounded value, then member code. A skill not
    /// yet decided (<see cref="SkillResult.Decided"/>) adds no skill entered, score or medal.
    /// </summary>
    public static IReadOnlyList<MemberReport> Build(
        IEnumerable<SkillResult> skills,
        IReadOnlyDictionary<string, string>? members = null)
    {
        var standings = Standings(skills, members);
        return
        [
            new MemberReport(MemberReportKind.Alphabetical, "Members A-Z",
                standings
                    .OrderBy(s => s.Name, StringComparer.InvariantCultureIgnoreCase)
                    .ThenBy(s => s.MemberCode, StringComparer.Ordinal)
                    .Select(s => new RankedMember(null, s)).ToArray()),
            Ranked(MemberReportKind.TotalMedalPoints, "Total medal points", standings, s => s.MedalPoints),
            Ranked(MemberReportKind.AverageMedalPoints, "Average medal points", standings, s => s.AverageMedalPoints),
            Ranked(MemberReportKind.TotalScaledScore, "Total scaled score", standings, s => s.TotalScaled),
            Ranked(MemberReportKind.AverageScaledScore, "Average scaled score", standings, s => s.AverageScaled),
        ];
    }

    public static IReadOnlyList<MemberStanding> Standings(
        IEnumerable<SkillResult> skills,
        IReadOnlyDictionary<string, string>? members = null)
    {
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        if (members is not null)
        {
            foreach (var code in members.Keys)
            {
                tallies[code] = new Tally();
            }
        }

        foreach (var skill in skills)
        {
            // A skill not yet decided (everyone at 700, no medal) counts for nothing yet: its 700s are not results
            // (docs/scoring.md, "Results"). Its members are still listed.
            var decided = skill.Decided;
            foreach (var r in skill.Standings)
            {
                if (!tallies.TryGetValue(r.Competitor.MemberCode, out var t))
                {
                    tallies[r.Competitor.MemberCode] = t = new Tally();
                }
                if (!decided)
                {
                    continue;
                }

                // Skills entered counts skills; a competitor (a team counts once) counts toward the averages of scaled scores.
                t.Skills.Add(skill.SkillKey);
                t.Entries++;
                t.TotalScaled += r.Scaled;
                switch (r.Award)
                {
                    case Award.Gold: t.Gold++; break;
                    case Award.Silver: t.Silver++; break;
                    case Award.Bronze: t.Bronze++; break;
                    case Award.MedallionForExcellence: t.Medallions++; break;
                }
            }
        }

        var result = new MemberStanding[tallies.Count];
        var i = 0;
        foreach (var (code, t) in tallies)
        {
            var points = MedalPoints(t.Gold, t.Silver, t.Bronze, t.Medallions);
            var name = members is not null && members.TryGetValue(code, out var n) && !string.IsNullOrWhiteSpace(n) ? n : code;
            result[i++] = new MemberStanding(
                code, name, t.Skills.Count, t.Gold, t.Silver, t.Bronze, t.Medallions, points,
                t.Skills.Count == 0 ? 0m : (decimal)points / t.Skills.Count,
                t.TotalScaled,
                t.Entries == 0 ? 0m : (decimal)t.TotalScaled / t.Entries);
        }

        return result;
    }

    private static MemberReport Ranked<TKey>(
        MemberReportKind kind, string title, IReadOnlyList<MemberStanding> standings, Func<MemberStanding, TKey> key)
        where TKey : IComparable<TKey>
    {
        var ordered = standings
            .OrderByDescending(key)
            .ThenBy(s => s.MemberCode, StringComparer.Ordinal)
            .ToArray();
        var rows = new RankedMember[ordered.Length];
        var rank = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            if (i == 0 || key(ordered[i]).CompareTo(key(ordered[i - 1])) != 0)
            {
                rank = i + 1;
            }

            rows[i] = new RankedMember(rank, ordered[i]);
        }

        return new MemberReport(kind, title, rows);
    }

    private sealed class Tally
    {
        public readonly HashSet<string> Skills = new(StringComparer.Ordinal);
        public int Entries;
        public int Gold;
        public int Silver;
        public int Bronze;
        public int Medallions;
        public long TotalScaled;
    }
}
