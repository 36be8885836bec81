// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using Dapper;
using Npgsql;
using SkillsHub.Domain.Certification;
using SkillsHub.Domain.Credentials;

namespace SkillsHub.Server.Certification;

/// <summary>One certificate row as stored: what the registry, the credential, the PDF and the verify page read.</summary>
public sealed record CertificateRecord(string Number, string HolderName, string IdType, string IdNumber, string OccupationCode, string OccupationZh, string OccupationEn,
    string WorkType, short Level, string AgencyKey, string AgencyName, string AgencyType, DateOnly IssuedOn, short? ValidityYears, string Status, string? StatusReason,
    DateTime? IssuedAtUtc = null)
{
    /// <summary>The instant of issue; certificates from before it was recorded: the start of their China issue day (UTC+8).</summary>
    public DateTimeOffset IssuedAt => IssuedAtUtc is { } at
        ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
        : new DateTimeOffset(IssuedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

    public DateOnly? ValidUntil => CertificateValidity.ValidUntil(IssuedOn, ValidityYears);

    /// <summary>The instant validity ends: the same instant <see cref="ValidityYears"/> after issue.</summary>
    public DateTimeOffset? ValidUntilInstant => CertificateValidity.ValidUntil(IssuedAt, ValidityYears);

    public CredentialFacts Facts(int statusIndex)
    {
        var level = SkillLevels.FromDigit(Level);
        return new(Number, HolderName, IdType, IdNumbers.Mask(IdNumber), OccupationCode, OccupationZh, OccupationEn, WorkType, Level, level.ChineseName(), level.EnglishName(),
            AgencyKey, AgencyName, IssuedAt, ValidUntilInstant, statusIndex);
    }

    /// <summary>The registry's view on the clock's day: masked ID, level names, and "expired" computed (docs/credentials.md).</summary>
    public CertificateView View(TimeProvider clock)
    {
        var level = SkillLevels.FromDigit(Level);
        return new(Number, "职业技能等级证书", HolderName, IdType, IdNumbers.Mask(IdNumber), OccupationCode, OccupationZh, OccupationEn,
            string.IsNullOrEmpty(WorkType) ? "--" : WorkType, Level, level.ChineseName(), level.EnglishName(), AgencyKey, AgencyName, IssuedOn,
            CertificateValidity.Status(Status, ValidUntil, clock), StatusReason, ValidUntil);
    }
}

public sealed record CertificateView(string Number, string Title, string HolderName, string IdType, string IdNumberMasked, string Occupation, string OccupationZh, string OccupationEn,
    string WorkType, int Level, string LevelZh, string LevelEn, string AgencyKey, string AgencyName, DateOnly IssuedOn, string Status,
    string? StatusReason = null, DateOnly? ValidUntil = null, bool Disclosed = true, string? AccessToken = null);

/// <summary>The certificates and the public registry's reads of them: the one place their query lives.</summary>
public sealed class CertificateStore(NpgsqlDataSource db, TimeProvider clock)
{
    const string CertificateSelect = """
        select c.number, c.holder_name as HolderName, c.id_type as IdType, c.id_number as IdNumber, c.occupation_code as OccupationCode, o.name_zh as OccupationZh, o.name_en as OccupationEn,
               c.work_type as WorkType, c.level, c.agency_key as AgencyKey, a.name as AgencyName, a.type::text as AgencyType, c.issued_on as IssuedOn,
               o.certificate_validity_years as ValidityYears, c.status, c.status_reason as StatusReason, c.issued_at as IssuedAtUtc
        from skillshub.certificates c join skillshub.occupations o on o.code = c.occupation_code join skillshub.agencies a on a.key = c.agency_key
        """;

    public async Task<CertificateRecord?> RecordAsync(string number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await RecordAsync(connection, number, ct);
    }

    /// <summary>The certificate on the caller's connection.</summary>
    public static Task<CertificateRecord?> RecordAsync(NpgsqlConnection connection, string number, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<CertificateRecord>(new CommandDefinition(CertificateSelect + " where c.number = @number", new { number }, cancellationToken: ct));

    public async Task<CertificateView?> CertificateAsync(string number, CancellationToken ct) =>
        (await RecordAsync(number, ct))?.View(clock);

    /// <summary>The certificate with its holder's full ID number, for checking a caller's proof (never returned as such).</summary>
    public async Task<(CertificateView View, string IdNumber)?> CertificateWithIdAsync(string number, CancellationToken ct) =>
        await RecordAsync(number, ct) is { } row ? (row.View(clock), row.IdNumber) : null;

    public async Task<IReadOnlyList<CertificateView>> FindByHolderAsync(string name, string idNumber, string? idType, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CertificateRecord>(new CommandDefinition(CertificateSelect + """
             where c.id_number = @idNumber and c.holder_name = @name and (@idType::text is null or c.id_type = @idType) order by c.issued_on, c.number limit 50
            """, new { name, idNumber, idType }, cancellationToken: ct));
        return rows.Select(r => r.View(clock)).ToList();
    }

    static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>Certificates carry the issue date and year as in China (UTC+8), wherever the node runs.</summary>
    internal static DateOnly TodayInChina(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive serials of (agency incl. site, year, level digit)
    /// inside the caller's transaction and returns the first. The counter row stays locked until the
    /// caller commits, and a rollback undoes the bump, so serials have no gaps and no duplicates
    /// whichever path issues (batch jobs, promotions) and however many nodes run at once.
    /// </summary>
    internal static async Task<int> AllocateSerialsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string agencyKey, short year, short levelDigit, int count, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.certificate_counters (agency_key, issue_year, level) values (@agency, @year, @level) on conflict do nothing
            """, new { agency = agencyKey, year, level = levelDigit }, transaction, cancellationToken: ct));
        var last = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            update skillshub.certificate_counters set last_serial = last_serial + @count
            where agency_key = @agency and issue_year = @year and level = @level returning last_serial
            """, new { count, agency = agencyKey, year, level = levelDigit }, transaction, cancellationToken: ct));
        if (last > CertificateNumber.MaxSerial)
        {
            throw new CertificationRefusedException($"Serials for {agencyKey}, year {year:00}, level {levelDigit} are exhausted (999999).");
        }
        return last - count + 1;
    }
}
