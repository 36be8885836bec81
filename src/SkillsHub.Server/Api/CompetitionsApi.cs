using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Api;

public sealed record CompetitionSummary(string Code, string Name, string? NameZh, string City, string Country, DateOnly? StartsOn, DateOnly? EndsOn, int SkillCount, string? CityZh = null, string? CountryZh = null);

public sealed record SkillInfo(int Number, string Name, string? NameZh, string? Sector, int? TeamSize, int? CompetitorMaxAge);

public sealed record CompetitionDetails(string Code, string Name, string? NameZh, string City, string Country, DateOnly? StartsOn, DateOnly? EndsOn, IReadOnlyList<SkillInfo> Skills, string? CityZh = null, string? CountryZh = null);

public sealed record MemberInfo(string Code, string Name, string? NameZh = null);

/// <summary>Read-only reference data: competitions, their skills, WorldSkills members.</summary>
public static class CompetitionsApi
{
    public static IEndpointRouteBuilder MapCompetitionsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Competitions").RequireAuthorization(WebSetup.PublicPolicy);
        api.MapGet("/competitions", ListCompetitions).WithSummary("All competitions with their skill counts.");
        api.MapGet("/competitions/{code}", GetCompetition).WithSummary("One competition and its skills (a skill is keyed by competition code and number).");
        api.MapGet("/members", ListMembers).WithSummary("WorldSkills members (two-letter code, name and Chinese name).");
        return endpoints;
    }

    static async Task<Ok<IReadOnlyList<CompetitionSummary>>> ListCompetitions(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CompetitionSummary>(new CommandDefinition("""
            select c.code, c.name, c.name_zh as NameZh, c.city, c.country, c.starts_on as StartsOn, c.ends_on as EndsOn,
                   (select count(*)::int from skillshub.skills s where s.competition_code = c.code) as SkillCount,
                   c.city_zh as CityZh, c.country_zh as CountryZh
            from skillshub.competitions c order by c.starts_on, c.code
            """, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<CompetitionSummary>>(rows.ToList());
    }

    static async Task<Results<Ok<CompetitionDetails>, ProblemHttpResult>> GetCompetition(string code, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var competition = await connection.QuerySingleOrDefaultAsync<CompetitionSummary>(new CommandDefinition("""
            select code, name, name_zh as NameZh, city, country, starts_on as StartsOn, ends_on as EndsOn, 0 as SkillCount,
                   city_zh as CityZh, country_zh as CountryZh
            from skillshub.competitions where code = upper(@code)
            """, new { code }, cancellationToken: ct));
        if (competition is null)
        {
            return TypedResults.Problem(
                title: "Unknown competition",
                detail: $"There is no competition with code '{code}'.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["field"] = "code" });
        }
        var skills = await connection.QueryAsync<SkillInfo>(new CommandDefinition("""
            select number::int as Number, name, name_zh as NameZh, sector, team_size::int as TeamSize, competitor_max_age::int as CompetitorMaxAge
            from skillshub.skills where competition_code = @code order by number
            """, new { code = competition.Code }, cancellationToken: ct));
        return TypedResults.Ok(new CompetitionDetails(competition.Code, competition.Name, competition.NameZh, competition.City,
            competition.Country, competition.StartsOn, competition.EndsOn, skills.ToList(), competition.CityZh, competition.CountryZh));
    }

    static async Task<Ok<IReadOnlyList<MemberInfo>>> ListMembers(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<MemberInfo>(new CommandDefinition("select code, name, name_zh as NameZh from skillshub.members order by code", cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<MemberInfo>>(rows.ToList());
    }
}
