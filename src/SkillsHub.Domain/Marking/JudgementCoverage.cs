using SkillsHub.Domain.Scoring;

namespace SkillsHub.Domain.Marking;

/// <summary>
/// Whether the marking groups can complete every judgement aspect (docs/scoring.md, "Marking groups and judges"). An
/// aspect takes a score from each of the skill's judges (3 or 5), all different experts of the groups that mark it, and,
/// while experts do not mark compatriots, none of the competitor's member. Short of that, the aspect never completes and
/// counts 0 for good. Groups, experts, competitors and the scheme arrive in any order, so an import says so in a note
/// rather than refusing (found by an outside tester: a 5-judge skill took a group of 3, silently).
/// </summary>
public static class JudgementCoverage
{
    /// <summary>An aspect the groups cannot complete: for anyone (<paramref name="Member"/> null), or for competitors of one member.</summary>
    public sealed record Shortfall(string AspectId, int Experts, int Judges, string? Member);

    /// <param name="expertMembers">Each expert's member, by expert id.</param>
    /// <param name="competitorMembers">The members of the competitors on the roster.</param>
    public static IReadOnlyList<Shortfall> Find(MarkingScheme scheme, IEnumerable<Assignment> groups, int judges, bool allowCompatriots,
        IReadOnlyDictionary<string, string> expertMembers, IEnumerable<string> competitorMembers)
    {
        var assignments = groups.ToList();
        var members = competitorMembers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var found = new List<Shortfall>();
        foreach (var criterion in scheme.Criteria)
        {
            foreach (var sub in criterion.SubCriteria)
            {
                foreach (var aspect in sub.Aspects.Where(a => a.Type == AspectType.Judgement))
                {
                    var experts = assignments.Where(g => g.Marks(criterion, sub, aspect))
                        .SelectMany(g => g.ExpertIds).Distinct(StringComparer.Ordinal).ToList();
                    // No group marks it yet: the groups are still to come.
                    if (experts.Count == 0)
                    {
                        continue;
                    }
                    if (experts.Count < judges)
                    {
                        found.Add(new(aspect.Id, experts.Count, judges, null));
                        continue;
                    }
                    if (allowCompatriots)
                    {
                        continue;
                    }
                    foreach (var member in members)
                    {
                        var others = experts.Count(e => !string.Equals(expertMembers.GetValueOrDefault(e), member, StringComparison.Ordinal));
                        if (others < judges)
                        {
                            found.Add(new(aspect.Id, others, judges, member));
                        }
                    }
                }
            }
        }
        return found;
    }
}
