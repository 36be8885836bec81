namespace SkillsHub.Domain.Scoring;

/// <summary>A competitor as seen across the whole competition.</summary>
public sealed record CompetitorScore(string CompetitorId, string MemberCode, string SkillKey, int Scaled);

/// <summary>Best of Nation [C] for one member: its highest scaled score and who holds it.</summary>
public sealed record BestOfNation(string MemberCode, int Scaled, IReadOnlyList<CompetitorScore> Winners);

/// <summary>Albert Vidal Award [C]: the highest scaled score in the competition; all tied win.</summary>
public sealed record AlbertVidalAward(int Scaled, IReadOnlyList<CompetitorScore> Winners);

public sealed record CompetitionResult(
    IReadOnlyList<SkillResult> Skills,
    IReadOnlyList<BestOfNation> BestOfNation,
    AlbertVidalAward? AlbertVidal);

public static class CompetitionResults
{
    /// <summary>
    /// Cross-skill awards. Scaled scores are comparable across skills (that is what the scale is
    /// for); raw totals are not, so neither award looks at them. [P] A Best of Nation tie goes to
    /// every tied competitor, as the Albert Vidal Award does [C]; SkillsHub's choice, not a
    /// published WorldSkills rule.
    /// A skill not yet decided (<see cref="SkillResult.Decided"/>: no raw total above 0) takes no part: its
    /// competitors, all tied at 700 for nothing, would otherwise win both awards (found by an outside tester).
    /// </summary>
    public static CompetitionResult Compute(IEnumerable<SkillResult> skills)
    {
        var skillList = skills.OrderBy(s => s.SkillKey, StringComparer.Ordinal).ToArray();
        var all = new List<CompetitorScore>();
        foreach (var skill in skillList.Where(s => s.Decided))
        {
            foreach (var r in skill.Standings)
            {
                all.Add(new CompetitorScore(r.Competitor.Id, r.Competitor.MemberCode, skill.SkillKey, r.Scaled));
            }
        }

        var bestOfNation = all
            .GroupBy(c => c.MemberCode, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var top = g.Max(c => c.Scaled);
                return new BestOfNation(g.Key, top, Sorted(g.Where(c => c.Scaled == top)));
            })
            .ToArray();

        AlbertVidalAward? albertVidal = null;
        if (all.Count > 0)
        {
            var top = all.Max(c => c.Scaled);
            albertVidal = new AlbertVidalAward(top, Sorted(all.Where(c => c.Scaled == top)));
        }

        return new CompetitionResult(skillList, bestOfNation, albertVidal);
    }

    private static CompetitorScore[] Sorted(IEnumerable<CompetitorScore> scores) =>
        scores.OrderBy(c => c.SkillKey, StringComparer.Ordinal).ThenBy(c => c.CompetitorId, StringComparer.Ordinal).ToArray();
}
