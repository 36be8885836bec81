using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

/// <summary>Taking someone off a skill: a competitor who does not compete, an expert who leaves (docs/scoring.md).</summary>
public static partial class SetupApi
{
    static void MapRosterRemovals(RouteGroupBuilder skill)
    {
        // A competitor who does not compete (a no-show, a withdrawal) leaves the standings, the median and spread, the places
        // and the medals; their marks are kept, and a competitors import that names them again brings them back with those
        // marks (docs/scoring.md, "A competitor who does not compete"). Found by an outside tester: an import only adds or
        // updates, so a competitor who had left kept a place, and a medal.
        skill.MapDelete("/competitors/{competitorId}", RemoveCompetitor).RequireAuthorization(Policies.Organiser)
            .WithSummary("Takes a competitor who does not compete off the roster (audited): 204; their marks are kept, and importing them again brings them back.");
        // An expert who leaves: their tablets are revoked, their marks stay (docs/scoring.md, "An expert who leaves"). Found by
        // an outside tester: an expert left out of an experts file kept their tablet and went on marking.
        skill.MapDelete("/experts/{expertId}", RemoveExpert).RequireAuthorization(Policies.Organiser)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Takes an expert off the skill (audited): 204; their tablets are revoked, their marks are kept. 409 while they are in a marking group.");
    }

    /// <summary>An id outside the rule, refused before any grain as every route value is (found by an outside tester), or an unknown skill.</summary>
    static async Task<ProblemHttpResult?> RemovalRefusedAsync(string code, int number, string id, string field, string what, CompetitionStore store, CancellationToken ct) =>
        !Domain.Marking.Identifiers.IsValid(id) ? Problems.Validation((field, Domain.Marking.Identifiers.Rule(what)))
        : await store.FindSkillAsync(code, number, ct) is null ? Problems.UnknownSkill(code, number)
        : null;

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveCompetitor(string code, int number, string competitorId, CompetitionStore store,
        IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await RemovalRefusedAsync(code, number, competitorId, "competitorId", "competitor", store, ct) is { } refused)
        {
            return refused;
        }
        return await Event(grains, code, number).RemoveCompetitor(competitorId, user.Actor())
            ? TypedResults.NoContent()
            : Problems.NotFound("Unknown competitor", $"Competitor '{competitorId}' is not on the roster of {code} skill {number:00}.", "competitorId");
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveExpert(string code, int number, string expertId, CompetitionStore store,
        IGrainFactory grains, DeviceStore devices, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await RemovalRefusedAsync(code, number, expertId, "expertId", "expert", store, ct) is { } refused)
        {
            return refused;
        }
        switch (await Event(grains, code, number).RemoveExpert(expertId, user.Actor()))
        {
            case null:
                // Their tablets already fail (a tablet's expert is looked up on every request); revoked as well, so the console
                // says so and they stay signed out should an import name the expert again.
                await devices.RevokeExpertsAsync(code.ToUpperInvariant(), number, expertId, user.Actor(), "expert taken off the skill", CancellationToken.None);
                return TypedResults.NoContent();
            case { Code: Domain.RowCodes.ExpertInGroup } inGroup:
                // The groups named apart too, for the pages' own language (docs/pages.md, "Languages").
                return Problems.Conflict("Expert in a marking group", inGroup.Message, "expertId",
                    new Dictionary<string, object?> { ["groups"] = inGroup.Args?.GetValueOrDefault("groups") });
            default:
                return Problems.NotFound("Unknown expert", $"Expert '{expertId}' is not registered in {code} skill {number:00}.", "expertId");
        }
    }
}
