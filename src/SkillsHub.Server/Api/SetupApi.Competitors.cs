using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

public static partial class SetupApi
{
    /// <summary>
    /// A competitor who does not compete (a no-show, a withdrawal) is taken off the skill's roster: they leave the
    /// standings, the median and spread, the places and the medals; their marks are kept, and a competitors import that
    /// names them again brings them back with those marks (docs/scoring.md, "A competitor who does not compete"). Found
    /// by an outside tester: an import only adds or updates, so a competitor who had left kept a place, and a medal.
    /// </summary>
    static void MapCompetitorRemoval(RouteGroupBuilder skill) =>
        skill.MapDelete("/competitors/{competitorId}", RemoveCompetitor).RequireAuthorization(Policies.Organiser)
            .WithSummary("Takes a competitor who does not compete off the roster (audited): 204; their marks are kept, and importing them again brings them back.");

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveCompetitor(string code, int number, string competitorId, CompetitionStore store,
        IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Domain.Marking.Identifiers.IsValid(competitorId))
        {
            // Outside the id rule, refused before any grain, as every route value is (found by an outside tester).
            return Problems.Validation(("competitorId", Domain.Marking.Identifiers.Rule("competitor")));
        }
        if (await store.FindSkillAsync(code, number, ct) is null)
        {
            return Problems.UnknownSkill(code, number);
        }
        return await Event(grains, code, number).RemoveCompetitor(competitorId, user.Actor())
            ? TypedResults.NoContent()
            : Problems.NotFound("Unknown competitor", $"Competitor '{competitorId}' is not on the roster of {code} skill {number:00}.", "competitorId");
    }
}
