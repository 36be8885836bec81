using SkillsHub.Abstractions;

namespace SkillsHub.Grains;

/// <summary>
/// An expert's view of their skill: the marking groups they belong to, the aspects those cover, and the
/// competitors they may mark (compatriots left out unless the skill allows them). Derived from the
/// event grain, which owns the roster, so it holds no state of its own.
/// </summary>
[GrainType("judge")]
public sealed class JudgeGrain : Grain, IJudgeGrain
{
    async Task<JudgeAssignment?> IJudgeGrain.GetAssignment()
    {
        var key = this.GetPrimaryKeyString();
        var last = key.LastIndexOf('/');
        var (competition, skill) = SkillKey.Parse(key[..last]);
        var expertId = key[(last + 1)..];
        var rules = await GrainFactory.GetGrain<IEventGrain>(SkillKey.Format(competition, skill)).GetRules(-1);
        if (rules is null || !rules.Experts.TryGetValue(expertId, out var expert))
        {
            return null;
        }
        var groups = rules.Groups.Where(g => g.ExpertIds.Contains(expertId)).ToList();
        var targets = groups.SelectMany(g => g.Targets).ToHashSet(StringComparer.Ordinal);
        var aspects = new List<string>();
        if (rules.Scheme is { } scheme)
        {
            foreach (var c in scheme.Criteria)
            {
                foreach (var s in c.SubCriteria)
                {
                    aspects.AddRange(s.Aspects.Where(a => targets.Contains(a.Id) || targets.Contains(s.Id) || targets.Contains(c.Id)).Select(a => a.Id));
                }
            }
        }
        var competitors = rules.Competitors.Values
            .Where(c => rules.AllowCompatriots || c.MemberCode != expert.MemberCode)
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        return new JudgeAssignment(expert, competition, skill, groups, aspects, competitors, rules.Locks.ToList(),
            rules.Scheme is null ? null : Domain.Scoring.Import.SchemeJson.Write(rules.Scheme), rules.Judges);
    }
}
