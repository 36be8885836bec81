// Dapper.AOT is not enabled in this project; plain Dapper is intended here.

namespace SkillsHub.Server.Competitions;

/// <summary>
/// Writes the reference data (WorldSkills members, competitions, skills) in one transaction, one statement a table
/// (every node start runs it: row by row it was about 250 round trips a start). Each write adds the missing rows and
/// fills in a Chinese name a row stored before the names existed lacks (never overwrites one), so a second start, or
/// two nodes starting together, change nothing. Each write answers how many rows it changed; a code given twice counts
/// once (the first).
/// </summary>
public sealed class ReferenceDataStore : IAsyncDisposable
{
    readonly NpgsqlConnection _connection;
    readonly NpgsqlTransaction _transaction;

    ReferenceDataStore(NpgsqlConnection connection, NpgsqlTransaction transaction) => (_connection, _transaction) = (connection, transaction);

    public static async Task<ReferenceDataStore> BeginAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        return new ReferenceDataStore(connection, await connection.BeginTransactionAsync(ct));
    }

    public sealed record Member(string Code, string Name, string? NameZh);

    public Task<int> MembersAsync(IEnumerable<Member> members, CancellationToken ct)
    {
        var rows = members.DistinctBy(m => m.Code).ToList();
        return _connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.members (code, name, name_zh)
            select * from unnest(@codes::text[], @names::text[], @namesZh::text[])
            on conflict (code) do update set name_zh = excluded.name_zh
            where skillshub.members.name_zh is null and excluded.name_zh is not null
            """, new { codes = rows.Select(m => m.Code).ToArray(), names = rows.Select(m => m.Name).ToArray(), namesZh = rows.Select(m => m.NameZh).ToArray() },
            _transaction, cancellationToken: ct));
    }

    public sealed record Competition(string Code, string Name, string? NameZh, string City, string Country, string? CityZh, string? CountryZh, DateOnly StartsOn, DateOnly EndsOn);

    public Task<int> CompetitionsAsync(IEnumerable<Competition> competitions, CancellationToken ct)
    {
        var rows = competitions.DistinctBy(c => c.Code).ToList();
        return _connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.competitions (code, name, name_zh, city, country, city_zh, country_zh, starts_on, ends_on)
            select code, name, name_zh, city, country, city_zh, country_zh, starts_on::date, ends_on::date
            from unnest(@codes::text[], @names::text[], @namesZh::text[], @cities::text[], @countries::text[], @citiesZh::text[], @countriesZh::text[],
                @startsOn::timestamp[], @endsOn::timestamp[]) as c(code, name, name_zh, city, country, city_zh, country_zh, starts_on, ends_on)
            on conflict (code) do update set city_zh = excluded.city_zh, country_zh = excluded.country_zh
            where skillshub.competitions.city_zh is null and excluded.city_zh is not null
            """, new
            {
                codes = rows.Select(c => c.Code).ToArray(), names = rows.Select(c => c.Name).ToArray(), namesZh = rows.Select(c => c.NameZh).ToArray(),
                cities = rows.Select(c => c.City).ToArray(), countries = rows.Select(c => c.Country).ToArray(),
                citiesZh = rows.Select(c => c.CityZh).ToArray(), countriesZh = rows.Select(c => c.CountryZh).ToArray(),
                startsOn = rows.Select(c => c.StartsOn.ToDateTime(TimeOnly.MinValue)).ToArray(), endsOn = rows.Select(c => c.EndsOn.ToDateTime(TimeOnly.MinValue)).ToArray(),
            }, _transaction, cancellationToken: ct));
    }

    public sealed record Skill(string Competition, short Number, string Name, string? NameZh, string? Sector, short? TeamSize, short? CompetitorMaxAge);

    public Task<int> SkillsAsync(IEnumerable<Skill> skills, CancellationToken ct)
    {
        var rows = skills.DistinctBy(s => (s.Competition, s.Number)).ToList();
        return _connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.skills (competition_code, number, name, name_zh, sector, team_size, competitor_max_age)
            select * from unnest(@competitions::text[], @numbers::smallint[], @names::text[], @namesZh::text[], @sectors::text[], @teamSizes::smallint[], @maxAges::smallint[])
            on conflict (competition_code, number) do update set name_zh = excluded.name_zh
            where skillshub.skills.name_zh is null and excluded.name_zh is not null
            """, new
            {
                competitions = rows.Select(s => s.Competition).ToArray(), numbers = rows.Select(s => s.Number).ToArray(), names = rows.Select(s => s.Name).ToArray(),
                namesZh = rows.Select(s => s.NameZh).ToArray(), sectors = rows.Select(s => s.Sector).ToArray(),
                teamSizes = rows.Select(s => s.TeamSize).ToArray(), maxAges = rows.Select(s => s.CompetitorMaxAge).ToArray(),
            }, _transaction, cancellationToken: ct));
    }

    public Task CommitAsync(CancellationToken ct) => _transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
