using SkillsHub.Abstractions;
using SkillsHub.Domain;

namespace SkillsHub.Server.Competitions;

/// <summary>The skills import's check against the competitors already registered (docs/scoring.md, "Setup imports").</summary>
public static class TeamSizes
{
    /// <summary>
    /// A team size given for a skill that already has competitors must fit every one of them: the roster would otherwise
    /// break its own rule, and every later competitors file of the skill be refused (found by an outside tester).
    /// </summary>
    public static async Task<IReadOnlyList<RowError>> MisfitsAsync(string code, Parsed<RosterImport.SkillImport> parsed, CompetitionStore store, IGrainFactory grains, CancellationToken ct)
    {
        var (items, misfits) = (parsed.Items, new List<RowError>());
        for (var i = 0; i < items.Count; i++)
        {
            var (skill, given) = (items[i].Skill, items[i].Given);
            if (!given.Contains("team_size") || await store.FindSkillAsync(code, skill.Number!.Value, ct) is null)
            {
                continue;
            }
            var size = skill.TeamSize ?? 1;
            if ((await grains.GetGrain<IEventGrain>(SkillKey.Format(code, skill.Number.Value)).GetCompetitors()).FirstOrDefault(c => c.People.Count != size) is { } misfit)
            {
                misfits.Add(new RowError(parsed.RowOf(i + 1), parsed.FieldOf(parsed.RowOf(i + 1), "team_size"), $"Competitor '{misfit.Id}' has {misfit.People.Count} people; this skill's team size would be {size}.",
                    RowCodes.TeamSize, RowCodes.Args(("id", misfit.Id), ("people", misfit.People.Count), ("teamSize", size))));
            }
        }
        return misfits;
    }
}
