// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using SkillsHub.Domain.Certification;
using SkillsHub.Domain.Credentials;

namespace SkillsHub.Server.Certification;

/// <summary>One certificate row as stored: what the registry, the credential, the PDF and the verify page read.</summary>
public sealed record CertificateRecord(string Number, string HolderName, string IdType, string IdNumber, string OccupationCode, string OccupationZh, string OccupationEn,
    string WorkType, short Level, string AgencyKey, string AgencyName, string AgencyType, DateOnly IssuedOn, short? ValidityYears, string Status, string? StatusReason,
    DateTime? IssuedAtUtc = null, string? PromotionReason = null, DateOnly? AssessedOn = null, DateTime? PromotedAtUtc = null)
{
    /// <summary>The instant of issue; certificates from before it was recorded: the start of their China issue day (UTC+8).</summary>
    public DateTimeOffset IssuedAt => IssuedAtUtc is { } at
        ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))
        : new DateTimeOffset(IssuedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

    public DateOnly? ValidUntil => CertificateValidity.ValidUntil(IssuedOn, ValidityYears);

    /// <summary>The instant validity ends: the end of <see cref="ValidUntil"/> in China, as the registry counts it.</summary>
    public DateTimeOffset? ValidUntilInstant => CertificateValidity.EndsAt(ValidUntil);

    public CredentialFacts Facts(int statusIndex)
    {
        var level = SkillLevels.FromDigit(Level);
        return new(Number, HolderName, IdType, IdNumbers.Mask(IdNumber), OccupationCode, OccupationZh, OccupationEn, WorkType, Level, level.ChineseName(), level.EnglishName(),
            AgencyKey, AgencyName, IssuedAt, ValidUntilInstant, statusIndex, PromotionReason, AssessedOn,
            PromotedAtUtc is { } promoted ? new DateTimeOffset(DateTime.SpecifyKind(promoted, DateTimeKind.Utc)) : null);
    }

    /// <summary>The registry's view on the clock's day: masked ID, level names, and "expired" computed (docs/credentials.md).</summary>
    public CertificateView View(TimeProvider clock)
    {
        var level = SkillLevels.FromDigit(Level);
        return new(Number, "职业技能等级证书", HolderName, IdType, IdNumbers.Mask(IdNumber), OccupationCode, OccupationZh, OccupationEn,
            string.IsNullOrEmpty(WorkType) ? null : WorkType, Level, level.ChineseName(), level.EnglishName(), AgencyKey, AgencyName, IssuedOn,
            CertificateValidity.Status(Status, ValidUntil, clock), StatusReason, ValidUntil);
    }
}

/// <param name="WorkType">The type of work, or null when the session named none (the PDF prints "--" there).</param>
public sealed record CertificateView(string Number, string Title, string HolderName, string IdType, string IdNumberMasked, string Occupation, string OccupationZh, string OccupationEn,
    string? WorkType, int Level, string LevelZh, string LevelEn, string AgencyKey, string AgencyName, DateOnly IssuedOn, string Status,
    string? StatusReason = null, DateOnly? ValidUntil = null, string? AccessToken = null);

/// <summary>The registry's token key as stored: sealed under a key-encryption key, or in the clear (rows written before migration 0190).</summary>
public sealed record RegistrySecret(byte[]? Secret, byte[]? Sealed, string? KekId);

/// <summary>The certificates and the public registry's reads of them: the one place their query lives.</summary>
public sealed class CertificateStore(NpgsqlDataSource db, TimeProvider clock, Observability.SkillsHubMetrics metrics)
{
    const string CertificateSelect = """
        select c.number, c.holder_name as HolderName, c.id_type as IdType, c.id_number as IdNumber, c.occupation_code as OccupationCode,
               coalesce(c.occupation_zh, o.name_zh) as OccupationZh, coalesce(c.occupation_en, o.name_en) as OccupationEn,
               c.work_type as WorkType, c.level, c.agency_key as AgencyKey, a.name as AgencyName, a.type::text as AgencyType, c.issued_on as IssuedOn,
               c.validity_years as ValidityYears, c.status, c.status_reason as StatusReason, c.issued_at as IssuedAtUtc, p.reason as PromotionReason,
               coalesce(s.review_on, s.exam_on) as AssessedOn, p.decided_at as PromotedAtUtc
        from skillshub.certificates c join skillshub.occupations o on o.code = c.occupation_code join skillshub.agencies a on a.key = c.agency_key
        left join skillshub.promotions p on p.id = c.promotion_id
        left join skillshub.evaluations e on e.id = c.evaluation_id left join skillshub.evaluation_sessions s on s.id = e.session_id
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

    /// <summary>
    /// The certificates of the holder with this full ID number, whose name matches as the disclosure's name proof compares
    /// names (<see cref="HolderPrivacy.NameMatches"/>: Unicode form, width, spacing and case aside; docs/security.md), at most 50.
    /// </summary>
    public async Task<IReadOnlyList<CertificateView>> FindByHolderAsync(string name, string idNumber, string? idType, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CertificateRecord>(new CommandDefinition(CertificateSelect + """
             where c.id_number = @idNumber and (@idType::text is null or c.id_type = @idType) order by c.issued_on, c.number
            """, new { idNumber, idType }, cancellationToken: ct));
        return rows.Where(r => HolderPrivacy.NameMatches(name, r.HolderName)).Take(50).Select(r => r.View(clock)).ToList();
    }

    /// <summary>Certificates issued per transaction by <see cref="IssueBatchAsync"/>.</summary>
    public const int ChunkSize = 5000;

    /// <summary>Certificates carry the issue date and year as in China (UTC+8), wherever the node runs.</summary>
    internal static DateOnly TodayInChina(TimeProvider clock) => CertificateValidity.TodayInChina(clock);

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

    /// <summary>
    /// Issues up to <see cref="ChunkSize"/> certificates of a session in one transaction: lock the passed,
    /// uncertified evaluations (SKIP LOCKED: a concurrent job takes others), bump the (agency, year, level)
    /// counter with UPDATE ... RETURNING (serials stay gap-free because a rollback undoes the bump too),
    /// insert the certificates and mark the evaluations. Returns how many were issued.
    /// </summary>
    public async Task<int> IssueBatchAsync(long sessionId, Guid? runId, long? onlyEvaluation, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var session = await CertificationStore.LoadSessionAsync(connection, sessionId, ct, transaction);
        var agency = await AgencyStore.LoadAgencyAsync(connection, session.AgencyKey, ct, transaction);
        var level = SkillLevels.FromDigit(session.Level);
        if (agency.EvaluationRefusal(session.OccupationCode, level) is { } refusal)
        {
            throw new CertificationRefusedException($"Agency {agency.Key} may not certify {session.OccupationCode} at level {session.Level}: {refusal}.");
        }
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            select e.id from skillshub.evaluations e
            join skillshub.rating_decisions d on d.evaluation_id = e.id and d.outcome = 'passed'
            where e.session_id = @sessionId and e.certificate_number is null and (@only::bigint is null or e.id = @only)
            order by e.id limit @limit
            for update of e skip locked
            """, new { sessionId, only = onlyEvaluation, limit = ChunkSize }, transaction, cancellationToken: ct))).ToArray();
        if (ids.Length == 0)
        {
            await transaction.CommitAsync(ct);
            return 0;
        }
        var today = TodayInChina(clock);
        var year = (short)(today.Year % 100);
        var first = await AllocateSerialsAsync(connection, transaction, session.AgencyKey, year, session.Level, ids.Length, ct);
        var serials = new int[ids.Length];
        var numbers = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            serials[i] = first + i;
            numbers[i] = CertificateNumber.Format(agency.Key, year, level, serials[i]);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.certificates (number, evaluation_id, candidate_id, holder_name, id_type, id_number, occupation_code, work_type, level, agency_key, issue_year, serial, issued_on, run_id, issued_at,
                occupation_zh, occupation_en, validity_years)
            select x.number, e.id, c.id, coalesce(e.holder_name, c.name), c.id_type, c.id_number, @occupation, @workType, @level, @agency, @year, x.serial, @today::date, @runId, @issuedAt,
                o.name_zh, o.name_en, o.certificate_validity_years
            from unnest(@ids, @numbers, @serials) as x(id, number, serial)
            join skillshub.evaluations e on e.id = x.id
            join skillshub.candidates c on c.id = e.candidate_id
            join skillshub.occupations o on o.code = @occupation;
            update skillshub.evaluations e set certificate_number = x.number from unnest(@ids, @numbers) as x(id, number) where e.id = x.id;
            insert into skillshub.candidate_levels (candidate_id, occupation_code, level, since, source)
            select e.candidate_id, @occupation, @levelValue, @today::date, 'certificate'
            from skillshub.evaluations e where e.id = any(@ids)
            on conflict do nothing;
            """, new
        {
            ids, numbers, serials, occupation = session.OccupationCode, workType = session.WorkType, level = (short)session.Level,
            agency = session.AgencyKey, year, today = today.ToDateTime(TimeOnly.MinValue), runId, levelValue = (short)level, issuedAt = clock.GetUtcNow(),
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        metrics.CertificatesIssued.Add(ids.Length);
        return ids.Length;
    }

    /// <summary>Anomalies in the certificates (never fixed here): serial gaps, counters, numbers, links, scope.</summary>
    public async Task<IReadOnlyList<(string Kind, string Subject, string Detail)>> InconsistenciesAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(string, string, string)>(new CommandDefinition(ConsistencySql, cancellationToken: ct))).ToList();
    }

    public async Task RecordFindingAsync(Guid runId, string kind, string subject, string detail, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("insert into skillshub.consistency_findings (run_id, kind, subject, detail) values (@runId, @kind, @subject, @detail)",
            new { runId, kind, subject, detail }, cancellationToken: ct));
    }

    /// <summary>The certificates whose status changed within <paramref name="window"/> (on any node): what the lookup caches forget.</summary>
    public async Task<IReadOnlyList<string>> ChangedWithinAsync(TimeSpan window, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "select distinct number from skillshub.certificate_status_events where at > now() - make_interval(secs => @seconds)",
            new { seconds = window.TotalSeconds }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// The registry's token key as stored: <paramref name="sealedCandidate"/> (sealed under <paramref name="kekId"/>) when
    /// this is the first node to ask, otherwise the stored one, sealed or (written before migration 0190) in the clear.
    /// </summary>
    public async Task<RegistrySecret> RegistrySecretAsync(byte[] sealedCandidate, string kekId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<RegistrySecret>(new CommandDefinition("""
            insert into skillshub.registry_secret (id, sealed, kek_id) values (1, @sealedCandidate, @kekId) on conflict (id) do nothing;
            select secret, sealed, kek_id as KekId from skillshub.registry_secret where id = 1;
            """, new { sealedCandidate, kekId }, cancellationToken: ct));
    }

    /// <summary>Stores the registry's key sealed under <paramref name="kekId"/> if it is still as it was read (under <paramref name="readUnder"/>, or in the clear).</summary>
    public async Task SealRegistrySecretAsync(byte[] sealedKey, string kekId, string? readUnder, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            update skillshub.registry_secret set secret = null, sealed = @sealedKey, kek_id = @kekId
            where id = 1 and kek_id is not distinct from @readUnder
            """, new { sealedKey, kekId, readUnder }, cancellationToken: ct));
    }

    const string ConsistencySql = """
        select 'serial-gap' as kind, c.agency_key || '/' || lpad(c.issue_year::text, 2, '0') || '/' || c.level as subject,
               format('%s certificates but the highest serial is %s', count(*), max(c.serial)) as detail
        from skillshub.certificates c group by c.agency_key, c.issue_year, c.level having count(*) <> max(c.serial)
        union all
        select 'counter-mismatch', k.agency_key || '/' || lpad(k.issue_year::text, 2, '0') || '/' || k.level,
               format('counter at %s, highest issued serial %s', k.last_serial, coalesce(max(c.serial), 0))
        from skillshub.certificate_counters k
        left join skillshub.certificates c on c.agency_key = k.agency_key and c.issue_year = k.issue_year and c.level = k.level
        group by k.agency_key, k.issue_year, k.level, k.last_serial having k.last_serial <> coalesce(max(c.serial), 0)
        union all
        select 'number-mismatch', c.number, 'the number does not encode the certificate''s agency, year, level and serial'
        from skillshub.certificates c
        where c.number <> c.agency_key || lpad(c.issue_year::text, 2, '0') || c.level || lpad(c.serial::text, 6, '0')
        union all
        select 'not-passed', c.number, coalesce('rating decision is ' || d.outcome, 'no rating decision')
        from skillshub.certificates c left join skillshub.rating_decisions d on d.evaluation_id = c.evaluation_id
        where c.evaluation_id is not null and d.outcome is distinct from 'passed'
        union all
        select 'outside-scope', c.number, format('agency %s is not on file for %s at level %s', c.agency_key, c.occupation_code, c.level)
        from skillshub.certificates c
        where not exists (select 1 from skillshub.agency_scope s where s.agency_key = c.agency_key and s.occupation_code = c.occupation_code and s.level = 6 - c.level)
        union all
        select 'promotion-link', c.number, format('certificate is for %s, its promotion %s for %s', c.occupation_code, p.id, p.occupation_code)
        from skillshub.certificates c join skillshub.promotions p on p.id = c.promotion_id
        where p.occupation_code <> c.occupation_code
        union all
        select 'promotion-withdrawn', c.number, format('certificate for promotion %s, withdrawn %s: %s', p.id, p.withdrawn_at, p.withdrawn_reason)
        from skillshub.certificates c join skillshub.promotions p on p.id = c.promotion_id
        where p.withdrawn_at is not null and c.status <> 'revoked'
        union all
        select 'promotions-in-force', p.competition_code || '/' || p.skill_number || '/' || p.competitor_id,
               format('%s promotions in force (levels %s); one is', count(*), string_agg(p.level::text, ',' order by p.level))
        from skillshub.promotions p where p.withdrawn_at is null
        group by p.competition_code, p.skill_number, p.competitor_id having count(*) > 1
        union all
        select 'evaluation-link', e.id::text, format('evaluation says %s, certificate table disagrees', e.certificate_number)
        from skillshub.evaluations e left join skillshub.certificates c on c.evaluation_id = e.id
        where e.certificate_number is distinct from c.number
        union all
        select 'exam-twice', format('candidate %s / %s', e.candidate_id, s.agency_key),
               format('a candidate of sessions %s, all of one exam: %s%s level %s on %s', string_agg(s.id::text, ', ' order by s.id),
                      s.occupation_code, case when min(s.work_type) <> '' then ' (' || min(s.work_type) || ')' else '' end, s.level, s.exam_on)
        from skillshub.evaluations e join skillshub.evaluation_sessions s on s.id = e.session_id
        group by e.candidate_id, s.agency_key, s.occupation_code, skillshub.work_type_key(s.work_type), s.level, s.exam_on having count(*) > 1
        order by 1, 2
        """;
}

/// <summary>The job may not proceed (outside the agency's scope, serials exhausted); reported on the run.</summary>
public sealed class CertificationRefusedException(string message) : Exception(message);
