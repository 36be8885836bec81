// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

public sealed record ScopeEntry(string Occupation, string NameZh, string NameEn, int[] Levels);

public sealed record AgencyView(string Key, string Type, string Name, string Status, IReadOnlyList<ScopeEntry> Scope);

public sealed record OccupationView(string Code, string NameZh, string NameEn, string? WorldSkillsSkill, string Source);

/// <summary>Agencies, their filed scope and the occupation catalogue they certify in.</summary>
public sealed class AgencyStore(NpgsqlDataSource db)
{
    /// <summary>Seeds the sample catalogue's major groups (one-digit codes) and occupations; how many of each were new.</summary>
    public async Task<(int Occupations, int Groups)> SeedSampleOccupationsAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return (0, 0);
        }
        var groups = new List<(string Code, string Zh, string En)>();
        var occupations = new List<(string Code, string Zh, string En, string? Skill)>();
        foreach (var row in TsvFile.Read(path))
        {
            var code = row["code"].Trim();
            var (zh, en) = (row["name_zh"].Trim(), row["name_en"].Trim());
            var skill = row.GetValueOrDefault("related_worldskills_skill")?.Trim();
            if (code.Length == 1)
            {
                groups.Add((code, zh, en));
            }
            else
            {
                occupations.Add((code, zh, en, string.IsNullOrEmpty(skill) ? null : skill));
            }
        }
        // One statement a table: every node start runs this.
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var newGroups = await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.occupation_groups (code, name_zh, name_en) select * from unnest(@codes::text[], @zh::text[], @en::text[]) on conflict do nothing
            """, new { codes = groups.Select(g => g.Code).ToArray(), zh = groups.Select(g => g.Zh).ToArray(), en = groups.Select(g => g.En).ToArray() }, transaction, cancellationToken: ct));
        var newOccupations = await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.occupations (code, name_zh, name_en, worldskills_skill, source)
            select code, zh, en, skill, 'sample' from unnest(@codes::text[], @zh::text[], @en::text[], @skills::text[]) as o(code, zh, en, skill) on conflict do nothing
            """, new { codes = occupations.Select(o => o.Code).ToArray(), zh = occupations.Select(o => o.Zh).ToArray(), en = occupations.Select(o => o.En).ToArray(), skills = occupations.Select(o => o.Skill).ToArray() },
            transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return (newOccupations, newGroups);
    }

    public async Task<IReadOnlyList<OccupationView>> OccupationsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<OccupationView>(new CommandDefinition(
            "select code, name_zh as NameZh, name_en as NameEn, worldskills_skill as WorldSkillsSkill, source from skillshub.occupations order by code", cancellationToken: ct))).ToList();
    }

    public async Task<AgencyView?> AgencyAsync(string key, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var agency = await connection.QuerySingleOrDefaultAsync<(string key, string type, string name, string status)>(new CommandDefinition(
            "select key, type::text, name, status from skillshub.agencies where key = @key", new { key }, cancellationToken: ct));
        if (agency.key is null)
        {
            return null;
        }
        var scope = await connection.QueryAsync<(string code, string zh, string en, string levels)>(new CommandDefinition("""
            select s.occupation_code, o.name_zh, o.name_en, string_agg(s.level::text, ',' order by s.level)
            from skillshub.agency_scope s join skillshub.occupations o on o.code = s.occupation_code
            where s.agency_key = @key group by s.occupation_code, o.name_zh, o.name_en order by s.occupation_code
            """, new { key }, cancellationToken: ct));
        return new AgencyView(agency.key, agency.type, agency.name, agency.status,
            scope.Select(s => new ScopeEntry(s.code, s.zh, s.en, s.levels.Split(',').Select(int.Parse).Select(l => ((SkillLevel)l).IsEvaluated() ? ((SkillLevel)l).Digit() : l).ToArray())).ToList());
    }

    public async Task<IReadOnlyList<AgencyView>> AgenciesAsync(CancellationToken ct)
    {
        IEnumerable<string> keys;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            keys = await connection.QueryAsync<string>(new CommandDefinition("select key from skillshub.agencies order by key", cancellationToken: ct));
        }
        // Each with its scope as the single read gives it (AgencyAsync): an admin's list of a few agencies.
        var agencies = new List<AgencyView>();
        foreach (var key in keys)
        {
            agencies.Add((await AgencyAsync(key, ct))!);
        }
        return agencies;
    }

    public async Task<bool> OccupationExistsAsync(string code, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists (select 1 from skillshub.occupations where code = @code)", new { code }, cancellationToken: ct));
    }

    public async Task<Agency?> DomainAgencyAsync(string key, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists (select 1 from skillshub.agencies where key = @key)", new { key }, cancellationToken: ct));
        return exists ? await LoadAgencyAsync(connection, key, ct) : null;
    }

    public async Task<bool> CreateAgencyAsync(AgencyKey key, string name, IEnumerable<(string Occupation, SkillLevel Level)> scope, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var added = await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.agencies (key, type, agency_code, province, site, name) values (@key, @type, @code, @province, @site, @name) on conflict do nothing
            """, new { key = key.ToString(), type = key.Type.ToString(), code = key.AgencyCode, province = key.Province, site = key.Site, name }, transaction, cancellationToken: ct));
        if (added == 0)
        {
            return false;
        }
        foreach (var (occupation, level) in scope)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into skillshub.agency_scope (agency_key, occupation_code, level) values (@key, @occupation, @level) on conflict do nothing",
                new { key = key.ToString(), occupation, level = (short)level }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>The agency as the Domain rules see it, on the caller's connection (and transaction).</summary>
    internal static async Task<Agency> LoadAgencyAsync(NpgsqlConnection connection, string key, CancellationToken ct, NpgsqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleAsync<(string name, string status)>(new CommandDefinition(
            "select name, status from skillshub.agencies where key = @key", new { key }, transaction, cancellationToken: ct));
        var scope = await connection.QueryAsync<(string occupation_code, short level)>(new CommandDefinition(
            "select occupation_code, level from skillshub.agency_scope where agency_key = @key", new { key }, transaction, cancellationToken: ct));
        return new Agency(AgencyKey.Parse(key), row.name, new AgencyScope(scope.Select(s => (s.occupation_code, (SkillLevel)s.level))), row.status == "active");
    }
}
