using SkillsHub.Domain.Marking;
using SkillsHub.Server.Competitions;
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
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                // A page (/board/{code}): a bare 404, which the error pages answer as any unknown address, the 404 page to a
                // browser (found by an outside tester: /board/N gave a browser JSON; docs/pages.md).
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await Problems.NotFound("Unknown competition", "There is no such competition: a competition code is 3 to 16 letters or digits, such as NSC2026.", "code").ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    /// <summary>
    /// A route under /api/competitions/{code} names a competition on file, and one under .../skills/{number} a skill of
    /// it (docs/scoring.md, "Limits and identifiers"); otherwise the answer is a 404 problem (<c>unknown-competition</c>
    /// naming <c>code</c>, <c>unknown-skill</c> naming <c>number</c>) before any handler or grain sees the request, so
    /// no read answers for a skill that is not there and no write leaves state or audit rows under one. Placed after
    /// authorization and the rate limits: a caller not allowed the endpoint is told so first, and a flood is limited
    /// before it reaches the database (each node asks once per skill it finds: <see cref="CompetitionStore"/>).
    /// </summary>
    public static IApplicationBuilder UseCompetitionsOnFile(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Every mark goes through here: the route's own text is compared in place, without a copy.
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } raw }
            && raw.AsSpan().TrimStart('/').StartsWith(CompetitionPrefix, StringComparison.OrdinalIgnoreCase)
            && context.GetRouteValue("code") is string code)
        {
            var store = context.RequestServices.GetRequiredService<CompetitionStore>();
            var ct = context.RequestAborted;
            ProblemHttpResult? problem = null;
            if (raw.AsSpan().TrimStart('/').StartsWith(SkillPrefix, StringComparison.OrdinalIgnoreCase))
            {
                // The route's {number:skill} has matched, so the value is a skill number (7 or 07).
                var number = int.Parse((string)context.GetRouteValue("number")!, CultureInfo.InvariantCulture);
                if (!await store.SkillExistsAsync(code, number, ct))
                {
                    problem = await store.CompetitionExistsAsync(code, ct) ? Problems.UnknownSkill(code, number) : Problems.UnknownCompetition(code);
                }
            }
            else if (!await store.CompetitionExistsAsync(code, ct))
            {
                problem = Problems.UnknownCompetition(code);
            }
            if (problem is not null)
            {
                await problem.ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    });

    // Route texts may be written with or without their leading slash; compared without it.
    const string CompetitionPrefix = "api/competitions/{code}";

    const string SkillPrefix = "api/competitions/{code}/skills/{number";
}
