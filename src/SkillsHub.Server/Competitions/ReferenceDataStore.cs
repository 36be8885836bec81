// Dapper.AOT is not enabled in this project; plain Dapper is intended here.

namespace SkillsHub.Server.Competitions;

/// <summary>
/// Writes the reference data (WorldSkills members, competitions, skills) in one transaction. Each write adds a
/// missing row and fills in a Chinese name a row stored before the names existed lacks (never overwrites one), so
/// a second start, or two nodes starting together, change nothing. Each write answers how many rows it changed.
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

    public Task<int> MemberAsync(string code, string name, string? nameZh) => _connection.ExecuteAsync("""
        insert into skillshub.members (code, name, name_zh) values (@code, @name, @nameZh)
        on conflict (code) do update set name_zh = excluded.name_zh
        where skillshub.members.name_zh is null and excluded.name_zh is not null
        """, new { code, name, nameZh }, _transaction);

    public sealed record Competition(string Code, string Name, string? NameZh, string City, string Country, string? CityZh, string? CountryZh, DateOnly StartsOn, DateOnly EndsOn);

    public Task<int> CompetitionAsync(Competition c) => _connection.ExecuteAsync("""
        insert into skillshub.competitions (code, name, name_zh, city, country, city_zh, country_zh, starts_on, ends_on)
        values (@Code, @Name, @NameZh, @City, @Country, @CityZh, @CountryZh, @startsOn, @endsOn)
        on conflict (code) do update set city_zh = excluded.city_zh, country_zh = excluded.country_zh
        where skillshub.competitions.city_zh is null and excluded.city_zh is not null
        """, new { c.Code, c.Name, c.NameZh, c.City, c.Country, c.CityZh, c.CountryZh, startsOn = c.StartsOn.ToDateTime(TimeOnly.MinValue), endsOn = c.EndsOn.ToDateTime(TimeOnly.MinValue) }, _transaction);

    public sealed record Skill(string Competition, short Number, string Name, string? NameZh, string? Sector, short? TeamSize, short? CompetitorMaxAge);

    public Task<int> SkillAsync(Skill s) => _connection.ExecuteAsync("""
        insert into skillshub.skills (competition_code, number, name, name_zh, sector, team_size, competitor_max_age)
        values (@Competition, @Number, @Name, @NameZh, @Sector, @TeamSize, @CompetitorMaxAge)
        on conflict (competition_code, number) do update set name_zh = excluded.name_zh
        where skillshub.skills.name_zh is null and excluded.name_zh is not null
        """, s, _transaction);

    public Task CommitAsync(CancellationToken ct) => _transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
