// Dapper.AOT is not enabled in this project; plain Dapper is intended here.

using System.Collections.Concurrent;

namespace SkillsHub.Server.Competitions;

public sealed record CompetitionSummary(string Code, string Name, string? NameZh, string City, string Country, DateOnly? StartsOn, DateOnly? EndsOn, int SkillCount, string? CityZh = null, string? CountryZh = null);

public sealed record SkillInfo(int Number, string Name, string? NameZh, string? Sector, int? TeamSize, int? CompetitorMaxAge);

public sealed record CompetitionDetails(string Code, string Name, string? NameZh, string City, string Country, DateOnly? StartsOn, DateOnly? EndsOn, IReadOnlyList<SkillInfo> Skills, string? CityZh = null, string? CountryZh = null);

public sealed record MemberInfo(string Code, string Name, string? NameZh = null);

/// <summary>
/// <c>allowSeveralPerMember</c>: more than one competitor (or team) of a member in a skill; off by default,
/// as at WorldSkills (docs/scoring.md, "Competitors per member").
/// </summary>
/// <summary>A competition as created: code, name, city and country are required; the Chinese name and the dates may be left out.</summary>
/// <param name="CityZh">The city in Chinese, for the pages in Chinese (optional).</param>
/// <param name="CountryZh">The country in Chinese (optional): left out, the WorldSkills member of that English name gives it.</param>
public sealed record CreateCompetitionRequest(string? Code, string? Name, string? City, string? Country, string? NameZh = null, DateOnly? StartsOn = null, DateOnly? EndsOn = null,
    bool AllowSeveralPerMember = false, string? CityZh = null, string? CountryZh = null);

/// <summary>A skill as stored, with its competition's rule on competitors per member.</summary>
public sealed record SkillRow(string CompetitionCode, int Number, string Name, string? NameZh, string? Sector, int? TeamSize, int? CompetitorMaxAge, bool AllowSeveralPerMember);

/// <summary>
/// The reference data of competitions (skillshub.competitions, skills, members): the one place their
/// SQL lives, for the read-only API, competition setup and results.
/// </summary>
public sealed class CompetitionStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Competitions ("WSC2024") and skills ("WSC2024/07") this node has found. Neither is ever deleted, so one found
    /// stays found, and the requests that check them (every route under a competition: Hosting/CompetitionRoutes.cs) ask
    /// PostgreSQL once per node.
    /// </summary>
    readonly ConcurrentDictionary<string, byte> _found = new(StringComparer.Ordinal);

    /// <summary>Whether the competition exists (<paramref name="code"/> in any case).</summary>
    public Task<bool> CompetitionExistsAsync(string code, CancellationToken ct) =>
        FoundAsync(code.ToUpperInvariant(), "select exists(select 1 from skillshub.competitions where code = upper(@code))", new { code }, ct);

    /// <summary>Whether the competition has the skill (<paramref name="code"/> in any case; a number outside 1-99 never names one).</summary>
    public Task<bool> SkillExistsAsync(string code, int number, CancellationToken ct) =>
        !Domain.Marking.Identifiers.IsSkillNumber(number) ? Task.FromResult(false)
        : FoundAsync($"{code.ToUpperInvariant()}/{number}", "select exists(select 1 from skillshub.skills where competition_code = upper(@code) and number = @number)",
            new { code, number = (short)number }, ct);

    async Task<bool> FoundAsync(string key, string sql, object parameters, CancellationToken ct)
    {
        if (_found.ContainsKey(key))
        {
            return true;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, parameters, cancellationToken: ct));
        if (exists)
        {
            _found.TryAdd(key, 0);
        }
        return exists;
    }

    public async Task<IReadOnlyList<CompetitionSummary>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CompetitionSummary>(new CommandDefinition("""
            select c.code, c.name, c.name_zh as NameZh, c.city, c.country, c.starts_on as StartsOn, c.ends_on as EndsOn,
                   (select count(*)::int from skillshub.skills s where s.competition_code = c.code) as SkillCount,
                   c.city_zh as CityZh, c.country_zh as CountryZh
            from skillshub.competitions c order by c.starts_on, c.code
            """, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>The competition (any case of its code) with its skills; null when there is none.</summary>
    public async Task<CompetitionDetails?> DetailsAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var competition = await connection.QuerySingleOrDefaultAsync<CompetitionSummary>(new CommandDefinition("""
            select code, name, name_zh as NameZh, city, country, starts_on as StartsOn, ends_on as EndsOn, 0 as SkillCount,
                   city_zh as CityZh, country_zh as CountryZh
            from skillshub.competitions where code = upper(@code)
            """, new { code }, cancellationToken: ct));
        if (competition is null)
        {
            return null;
        }
        var skills = await connection.QueryAsync<SkillInfo>(new CommandDefinition("""
            select number::int as Number, name, name_zh as NameZh, sector, team_size::int as TeamSize, competitor_max_age::int as CompetitorMaxAge
            from skillshub.skills where competition_code = @code order by number
            """, new { code = competition.Code }, cancellationToken: ct));
        return new CompetitionDetails(competition.Code, competition.Name, competition.NameZh, competition.City,
            competition.Country, competition.StartsOn, competition.EndsOn, skills.ToList(), competition.CityZh, competition.CountryZh);
    }

    public async Task<IReadOnlyList<MemberInfo>> MembersAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<MemberInfo>(new CommandDefinition("select code, name, name_zh as NameZh from skillshub.members order by code", cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlySet<string>> MemberCodesAsync(CancellationToken ct) =>
        (await MembersAsync(ct)).Select(m => m.Code).ToHashSet(StringComparer.Ordinal);

    public async Task<SkillRow?> FindSkillAsync(string code, int number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SkillRow>(new CommandDefinition("""
            select s.competition_code as CompetitionCode, s.number::int as Number, s.name, s.name_zh as NameZh, s.sector, s.team_size::int as TeamSize,
                   s.competitor_max_age::int as CompetitorMaxAge, c.allow_several_per_member as AllowSeveralPerMember
            from skillshub.skills s join skillshub.competitions c on c.code = s.competition_code
            where s.competition_code = upper(@code) and s.number = @number
            """, new { code, number = (short)number }, cancellationToken: ct));
    }

    /// <summary>Adds the competition (code already upper case); false when the code is taken.</summary>
    public async Task<bool> CreateAsync(CreateCompetitionRequest competition, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.competitions (code, name, name_zh, city, country, city_zh, country_zh, starts_on, ends_on, allow_several_per_member)
            values (@Code, @Name, @NameZh, @City, @Country, @CityZh, @CountryZh, @StartsOn, @EndsOn, @AllowSeveralPerMember) on conflict (code) do nothing
            """, competition, cancellationToken: ct)) == 1;
    }

    /// <summary>The stored competition in the shape it was created with.</summary>
    /// <summary>The Chinese name of the WorldSkills member whose English name is <paramref name="country"/> (any case), or null.</summary>
    public async Task<string?> MemberNameZhAsync(string country, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "select name_zh from skillshub.members where lower(name) = lower(@country) and name_zh is not null order by code limit 1", new { country }, cancellationToken: ct));
    }

    public async Task<CreateCompetitionRequest> CreatedAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<CreateCompetitionRequest>(new CommandDefinition(
            "select code, name, city, country, name_zh as NameZh, starts_on as StartsOn, ends_on as EndsOn, allow_several_per_member as AllowSeveralPerMember, city_zh as CityZh, country_zh as CountryZh from skillshub.competitions where code = @code", new { code }, cancellationToken: ct));
    }

    /// <summary>Adds or updates the skills in one transaction; null when the competition does not exist, else how many rows changed.</summary>
    /// <summary>Adds or updates the skills; an optional column the file left out keeps its stored value (<see cref="RosterImport.SkillImport"/>).</summary>
    public async Task<int?> ImportSkillsAsync(string code, IReadOnlyList<RosterImport.SkillImport> skills, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from skillshub.competitions where code = upper(@code))", new { code }, cancellationToken: ct)))
        {
            return null;
        }
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var changed = 0;
        foreach (var (s, given) in skills)
        {
            changed += await connection.ExecuteAsync(new CommandDefinition("""
                insert into skillshub.skills (competition_code, number, name, name_zh, sector, team_size, competitor_max_age)
                values (upper(@code), @number, @Name, @NameZh, @Sector, @teamSize, @maxAge)
                on conflict (competition_code, number) do update set name = excluded.name,
                    name_zh = case when @hasNameZh then excluded.name_zh else skills.name_zh end,
                    sector = case when @hasSector then excluded.sector else skills.sector end,
                    team_size = case when @hasTeamSize then excluded.team_size else skills.team_size end,
                    competitor_max_age = case when @hasMaxAge then excluded.competitor_max_age else skills.competitor_max_age end
                where (skills.name, skills.name_zh, skills.sector, skills.team_size, skills.competitor_max_age) is distinct from (excluded.name,
                    case when @hasNameZh then excluded.name_zh else skills.name_zh end, case when @hasSector then excluded.sector else skills.sector end,
                    case when @hasTeamSize then excluded.team_size else skills.team_size end, case when @hasMaxAge then excluded.competitor_max_age else skills.competitor_max_age end)
                """, new
            {
                code, number = (short)s.Number!.Value, s.Name, s.NameZh, s.Sector, teamSize = (short?)s.TeamSize, maxAge = (short?)s.CompetitorMaxAge,
                hasNameZh = given.Contains("name_zh"), hasSector = given.Contains("sector"), hasTeamSize = given.Contains("team_size"), hasMaxAge = given.Contains("competitor_max_age"),
            }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return changed;
    }
}
