// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using System.ComponentModel;
using System.Text.Json;
using Dapper;
using Hangfire;
using Hangfire.Server;
using Npgsql;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The certification jobs. Each is batch-oriented (one job decides or certifies a whole session in
/// chunks), idempotent (a re-run only picks up what is still undone; certificates are unique per
/// evaluation in the schema too) and retried by Hangfire on failure. Progress goes to cert_runs (the
/// agency page) and to the job's "Progress" parameter (the Hangfire dashboard).
/// </summary>
public sealed class CertificationJobs(NpgsqlDataSource db, ImportProcessor imports, IPublishedResultsSource results, TimeProvider clock, ILogger<CertificationJobs> logger)
{
    public const int ChunkSize = 5000;

    [DisplayName("Certification import {0}")]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task Import(Guid importId, CancellationToken ct) => imports.ProcessAsync(importId, ct);

    [DisplayName("Rate session (run {0})")]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Rate(Guid runId, PerformContext? context, CancellationToken ct)
    {
        var run = await StartRunAsync(runId, ct);
        if (run is null)
        {
            return;
        }
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var session = await LoadSessionAsync(connection, run.SessionId!.Value, ct);
            var agency = await AgencyStore.LoadAgencyAsync(connection, session.AgencyKey, ct);
            var years = session.EligibilityYears is null ? EligibilityYears.Template : JsonSerializer.Deserialize<EligibilityYears>(session.EligibilityYears)!;
            var level = SkillLevels.FromDigit(session.Level);
            var total = await connection.ExecuteScalarAsync<int>("select count(*)::int from skillshub.evaluations where session_id = @id", new { id = session.Id });
            await ProgressAsync(runId, await DecidedAsync(connection, session.Id, ct), total, context, ct);
            var lastId = 0L;
            while (true)
            {
                var rows = (await connection.QueryAsync<Undecided>(new CommandDefinition("""
                    select e.id, e.theory, e.practical, e.review, c.education,
                           (select min(w.since) from skillshub.candidate_work w where w.candidate_id = e.candidate_id and w.occupation_code = @occupation) as Since,
                           (select string_agg(l.level || '@' || to_char(l.since, 'YYYY-MM-DD'), ',') from skillshub.candidate_levels l where l.candidate_id = e.candidate_id and l.occupation_code = @occupation) as Levels
                    from skillshub.evaluations e join skillshub.candidates c on c.id = e.candidate_id
                    where e.session_id = @session and e.id > @lastId
                      and not exists (select 1 from skillshub.rating_decisions d where d.evaluation_id = e.id)
                    order by e.id limit @limit
                    """, new { session = session.Id, occupation = session.OccupationCode, lastId, limit = ChunkSize }, cancellationToken: ct))).ToList();
                if (rows.Count == 0)
                {
                    break;
                }
                lastId = rows[^1].Id;
                var ids = new long[rows.Count];
                var outcomes = new string[rows.Count];
                var reasons = new string[rows.Count];
                for (var i = 0; i < rows.Count; i++)
                {
                    var r = rows[i];
                    var held = new Dictionary<SkillLevel, DateOnly>();
                    // Npgsql 10 reports array columns as System.Array, which Dapper's record mapping rejects: levels come as "level@date,...".
                    foreach (var part in (r.Levels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var at = part.IndexOf('@');
                        held[(SkillLevel)int.Parse(part[..at], System.Globalization.CultureInfo.InvariantCulture)] = DateOnly.ParseExact(part[(at + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                    }
                    var profile = new CandidateProfile(r.Since, (Education)r.Education, held);
                    var decision = Rating.Decide(agency, session.OccupationCode, level, profile, new ExamScores(r.Theory, r.Practical, r.Review), session.ExamOn, years);
                    ids[i] = r.Id;
                    outcomes[i] = decision.Outcome switch
                    {
                        RatingOutcome.Passed => "passed",
                        RatingOutcome.Failed => "failed",
                        RatingOutcome.Ineligible => "ineligible",
                        _ => "out-of-scope",
                    };
                    reasons[i] = JsonSerializer.Serialize(decision.Reasons);
                }
                // A decision, once made, stays: a re-run (or a second node) only fills in what is missing.
                await connection.ExecuteAsync(new CommandDefinition("""
                    insert into skillshub.rating_decisions (evaluation_id, session_id, outcome, reasons, run_id)
                    select x.id, @session, x.outcome, array(select jsonb_array_elements_text(x.reasons::jsonb)), @runId
                    from unnest(@ids, @outcomes, @reasons) as x(id, outcome, reasons)
                    on conflict (evaluation_id) do nothing
                    """, new { session = session.Id, ids, outcomes, reasons, runId }, cancellationToken: ct));
                await ProgressAsync(runId, await DecidedAsync(connection, session.Id, ct), total, context, ct);
            }
            var summary = await connection.QueryAsync<(string outcome, int count)>(
                "select outcome, count(*)::int from skillshub.rating_decisions where session_id = @id group by outcome", new { id = session.Id });
            await FinishRunAsync(runId, "succeeded", JsonSerializer.Serialize(summary.ToDictionary(s => s.outcome, s => s.count)), null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailRunAsync(runId, e);
            throw;
        }
    }

    [DisplayName("Issue certificates (run {0})")]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Issue(Guid runId, PerformContext? context, CancellationToken ct)
    {
        var run = await StartRunAsync(runId, ct);
        if (run is null)
        {
            return;
        }
        try
        {
            var sessionId = run.SessionId!.Value;
            int total;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                total = await connection.ExecuteScalarAsync<int>(
                    "select count(*)::int from skillshub.rating_decisions where session_id = @sessionId and outcome = 'passed'", new { sessionId });
            }
            var issuedNow = 0;
            while (true)
            {
                var batch = await IssueBatchAsync(sessionId, runId, null, ct);
                if (batch == 0)
                {
                    break;
                }
                issuedNow += batch;
                await ProgressAsync(runId, await IssuedAsync(sessionId, ct), total, context, ct);
            }
            var issued = await IssuedAsync(sessionId, ct);
            await ProgressAsync(runId, issued, total, context, ct);
            await FinishRunAsync(runId, "succeeded", JsonSerializer.Serialize(new { issued, issuedByThisRun = issuedNow, passed = total }), null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailRunAsync(runId, e);
            throw;
        }
    }

    /// <summary>One evaluation per job: the baseline the benchmark compares batch issuance with.</summary>
    [DisplayName("Issue one certificate (evaluation {0})")]
    [AutomaticRetry(Attempts = 3)]
    public async Task IssueOne(long evaluationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var sessionId = await connection.ExecuteScalarAsync<long>("select session_id from skillshub.evaluations where id = @evaluationId", new { evaluationId });
        await IssueBatchAsync(sessionId, null, evaluationId, ct);
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
        var session = await LoadSessionAsync(connection, sessionId, ct, transaction);
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
        var today = CertificateStore.TodayInChina(clock);
        var year = (short)(today.Year % 100);
        var first = await CertificateStore.AllocateSerialsAsync(connection, transaction, session.AgencyKey, year, session.Level, ids.Length, ct);
        var serials = new int[ids.Length];
        var numbers = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            serials[i] = first + i;
            numbers[i] = CertificateNumber.Format(agency.Key, year, level, serials[i]);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.certificates (number, evaluation_id, candidate_id, holder_name, id_type, id_number, occupation_code, work_type, level, agency_key, issue_year, serial, issued_on, run_id, issued_at)
            select x.number, e.id, c.id, coalesce(e.holder_name, c.name), c.id_type, c.id_number, @occupation, @workType, @level, @agency, @year, x.serial, @today::date, @runId, @issuedAt
            from unnest(@ids, @numbers, @serials) as x(id, number, serial)
            join skillshub.evaluations e on e.id = x.id
            join skillshub.candidates c on c.id = e.candidate_id;
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
        Hosting.SkillsHubMetrics.CertificatesIssued.Add(ids.Length);
        return ids.Length;
    }

    /// <summary>Recurring: promotions from newly published competition results (never a frozen or provisional board).</summary>
    [DisplayName("Competition promotions")]
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(600)]
    public async Task Promote(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var catalogue = await connection.QueryAsync<(string code, string? worldskills_skill)>("select code, worldskills_skill from skillshub.occupations");
        var defaultMapping = Promotions.SkillMapping(catalogue);
        var rules = (await connection.QueryAsync<(string competition_code, string rule, string? skill_occupations)>(
            "select competition_code, rule::text, skill_occupations::text from skillshub.promotion_rules")).ToDictionary(r => r.competition_code);
        var skills = await connection.QueryAsync<(string competition_code, short number, string name)>(
            "select competition_code, number, name from skillshub.skills order by competition_code, number");
        var added = 0;
        foreach (var skill in skills)
        {
            var rule = PromotionRule.National;
            var mapping = defaultMapping;
            if (rules.TryGetValue(skill.competition_code, out var configured))
            {
                rule = JsonSerializer.Deserialize<PromotionRule>(configured.rule, PromotionJson.Options) ?? rule;
                if (configured.skill_occupations is not null)
                {
                    mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(configured.skill_occupations)!.ToDictionary(StringComparer.OrdinalIgnoreCase);
                }
            }
            var occupation = mapping.GetValueOrDefault(skill.number.ToString(System.Globalization.CultureInfo.InvariantCulture)) ?? mapping.GetValueOrDefault(skill.name);
            if (occupation is null)
            {
                continue;
            }
            var published = await results.GetFinalAsync(skill.competition_code, skill.number, skill.name, ct);
            if (published is not { Results.Published: true })
            {
                continue;
            }
            foreach (var p in Promotions.Decide(published.Results, rule, occupation))
            {
                added += await connection.ExecuteAsync(new CommandDefinition("""
                    insert into skillshub.promotions (competition_code, skill_number, competitor_id, name, member_code, occupation_code, level, reason, standings_sequence)
                    values (@Competition, @Skill, @CompetitorId, @Name, @MemberCode, @Occupation, @level, @Reason, @sequence)
                    on conflict do nothing
                    """, new { p.Competition, Skill = (short)p.Skill, p.CompetitorId, p.Name, p.MemberCode, p.Occupation, level = (short)p.Level, p.Reason, sequence = published.Sequence }, cancellationToken: ct));
            }
        }
        if (added > 0)
        {
            logger.LogInformation("Recorded {Count} competition promotion(s)", added);
        }
    }

    /// <summary>Nightly: reports anomalies (never fixes them) into consistency_findings and the log.</summary>
    [DisplayName("Certification consistency check")]
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(600)]
    public async Task<int> CheckConsistency(CancellationToken ct)
    {
        var runId = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync(ct);
        var findings = await connection.QueryAsync<(string kind, string subject, string detail)>(new CommandDefinition(ConsistencySql, cancellationToken: ct));
        var list = findings.ToList();
        foreach (var f in list)
        {
            await connection.ExecuteAsync("insert into skillshub.consistency_findings (run_id, kind, subject, detail) values (@runId, @kind, @subject, @detail)",
                new { runId, f.kind, f.subject, f.detail });
            logger.LogWarning("Certification consistency finding {Kind} on {Subject}: {Detail}", f.kind, f.subject, f.detail);
        }
        logger.LogInformation("Certification consistency check {RunId}: {Count} finding(s)", runId, list.Count);
        return list.Count;
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
        select 'evaluation-link', e.id::text, format('evaluation says %s, certificate table disagrees', e.certificate_number)
        from skillshub.evaluations e left join skillshub.certificates c on c.evaluation_id = e.id
        where e.certificate_number is distinct from c.number
        order by 1, 2
        """;

    sealed record Undecided(long Id, decimal? Theory, decimal? Practical, decimal? Review, short Education, DateOnly? Since, string? Levels);

    public sealed record SessionRow(long Id, string AgencyKey, string OccupationCode, string WorkType, short Level, DateOnly ExamOn, string? EligibilityYears);

    sealed record RunRow(Guid Id, string Kind, long? SessionId, string Status);

    internal static async Task<SessionRow> LoadSessionAsync(NpgsqlConnection connection, long id, CancellationToken ct, NpgsqlTransaction? transaction = null) =>
        await connection.QuerySingleAsync<SessionRow>(new CommandDefinition("""
            select s.id, s.agency_key as AgencyKey, s.occupation_code as OccupationCode, s.work_type as WorkType, s.level, s.exam_on as ExamOn, o.eligibility_years::text as EligibilityYears
            from skillshub.evaluation_sessions s join skillshub.occupations o on o.code = s.occupation_code where s.id = @id
            """, new { id }, transaction, cancellationToken: ct));

    async Task<RunRow?> StartRunAsync(Guid runId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition("""
            update skillshub.cert_runs set status = 'running', message = null where id = @runId and status <> 'succeeded'
            returning id, kind, session_id as SessionId, status
            """, new { runId }, cancellationToken: ct));
    }

    async Task ProgressAsync(Guid runId, int processed, int total, PerformContext? context, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("update skillshub.cert_runs set processed = @processed, total = @total where id = @runId",
            new { runId, processed, total }, cancellationToken: ct));
        context?.SetJobParameter("Progress", $"{processed}/{total}");
    }

    async Task FinishRunAsync(Guid runId, string status, string? summary, string? message, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.cert_runs set status = @status, summary = @summary::jsonb, message = @message, finished_at = now() where id = @runId",
            new { runId, status, summary, message }, cancellationToken: ct));
    }

    async Task FailRunAsync(Guid runId, Exception e)
    {
        logger.LogError(e, "Certification run {RunId} failed", runId);
        await FinishRunAsync(runId, "failed", null, e.Message, CancellationToken.None);
    }

    static async Task<int> DecidedAsync(NpgsqlConnection connection, long sessionId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*)::int from skillshub.rating_decisions where session_id = @sessionId", new { sessionId }, cancellationToken: ct));

    async Task<int> IssuedAsync(long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*)::int from skillshub.evaluations where session_id = @sessionId and certificate_number is not null", new { sessionId }, cancellationToken: ct));
    }
}

/// <summary>The job may not proceed (outside the agency's scope, serials exhausted); reported on the run.</summary>
public sealed class CertificationRefusedException(string message) : Exception(message);

static class PromotionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}
