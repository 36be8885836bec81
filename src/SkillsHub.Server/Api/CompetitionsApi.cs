using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

/// <summary>Read-only reference data: competitions, their skills, WorldSkills members.</summary>
public static class CompetitionsApi
{
    public static IEndpointRouteBuilder MapCompetitionsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Competitions").RequireAuthorization(Policies.Public);
        api.MapGet("/competitions", ListCompetitions).WithSummary("All competitions with their skill counts.");
        api.MapGet("/competitions/{code}", GetCompetition).WithSummary("One competition and its skills (a skill is keyed by competition code and number).");
        api.MapGet("/members", ListMembers).WithSummary("WorldSkills members (two-letter code, name and Chinese name).");
        return endpoints;
    }

    static async Task<Ok<IReadOnlyList<CompetitionSummary>>> ListCompetitions(CompetitionStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    static async Task<Results<Ok<CompetitionDetails>, ProblemHttpResult>> GetCompetition(string code, CompetitionStore store, CancellationToken ct)
    {
        if (await store.DetailsAsync(code, ct) is not { } competition)
        {
            return Problems.UnknownCompetition(code);
        }
        return TypedResults.Ok(competition);
    }

    static async Task<Ok<IReadOnlyList<MemberInfo>>> ListMembers(CompetitionStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.MembersAsync(ct));
}
