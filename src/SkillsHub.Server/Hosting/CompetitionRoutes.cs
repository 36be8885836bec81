using SkillsHub.Domain.Marking;
using SkillsHub.Server.Platform;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// The competition code of every route under /api/competitions/{code} is checked in one place (docs/scoring.md,
/// "Limits and identifiers"): a code that breaks the rule names no competition, so the request gets a 404 problem
/// before a handler makes it a grain key (Orleans refuses a blank one) or a query parameter.
/// </summary>
public static class CompetitionRoutes
{
    public static IApplicationBuilder UseCompetitionCodeCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetRouteValue("code") is string code && !Identifiers.IsCompetitionCode(code))
        {
            await Problems.NotFound("Unknown competition", "There is no such competition: " + Identifiers.CompetitionCodeRule, "code").ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
