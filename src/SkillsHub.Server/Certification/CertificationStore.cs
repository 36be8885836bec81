// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Jobs;

namespace SkillsHub.Server.Certification;

/// <summary>An exam session as its officer sees it; WorkType is null when the session names none (the certificate prints "--").</summary>
public sealed record ExamSessionView(long Id, string Occupation, string OccupationZh, string OccupationEn, string? WorkType, int Level, DateOnly ExamOn, DateOnly? ReviewOn,
    int Candidates, int WithResults, int Decided, int Passed, int Failed, int Ineligible, int Certificates);

public sealed record ImportView(Guid Id, string Kind, long? SessionId, string FileName, string Status, int TotalRows, int Processed, int StoredRows, int ErrorCount, string? Message,
    IReadOnlyList<LineError> FirstErrors, string? Code);

public sealed record DecisionView(long EvaluationId, string Name, string IdNumberMasked, decimal? Theory, decimal? Practical, decimal? Review, string? Outcome, string[] Reasons, string? CertificateNumber,
    string? CertificateStatus, string? AccessToken = null);

/// <summary>
/// Evaluation sessions and their candidates, imports and decisions: reads and small writes for the APIs (the
/// jobs do the bulk work; every job's progress is <see cref="JobProgressStore"/>'s). Agencies are
/// <see cref="AgencyStore"/>'s, certificates <see cref="CertificateStore"/>'s, an import's rows <see cref="ImportStore"/>'s.
/// </summary>
public sealed class CertificationStore(NpgsqlDataSource db, JobProgressStore progress, TimeProvider clock)
{
    const string SessionSelect = """
        select s.id, s.occupation_code as Occupation, o.name_zh as OccupationZh, o.name_en as OccupationEn, s.work_type as WorkType, s.level::int as Level,
               s.exam_on as ExamOnDate, s.review_on as ReviewOnDate,
               (select count(*)::int from skillshub.evaluations e where e.session_id = s.id) as Candidates,
               (select count(*)::int from skillshub.evaluations e where e.session_id = s.id and (e.theory is not null or e.practical is not null)) as WithResults,
               (select count(*)::int from skillshub.rating_decisions d where d.session_id = s.id) as Decided,
               (select count(*)::int from skillshub.rating_decisions d where d.session_id = s.id and d.outcome = 'passed') as Passed,
               (select count(*)::int from skillshub.rating_decisions d where d.session_id = s.id and d.outcome = 'failed') as Failed,
               (select count(*)::int from skillshub.rating_decisions d where d.session_id = s.id and d.outcome in ('ineligible', 'out-of-scope')) as Ineligible,
               (select count(*)::int from skillshub.evaluations e where e.session_id = s.id and e.certificate_number is not null) as Certificates
        from skillshub.evaluation_sessions s join skillshub.occupations o on o.code = s.occupation_code
        """;

    sealed record SessionRow(long Id, string Occupation, string OccupationZh, string OccupationEn, string WorkType, int Level, DateOnly ExamOnDate, DateOnly? ReviewOnDate,
        int Candidates, int WithResults, int Decided, int Passed, int Failed, int Ineligible, int Certificates)
    {
        // Stored as the empty text (the column's default), answered as not given (docs/security.md, "Files and text";
        // found by an outside tester: a blank work type came back as "").
        public ExamSessionView View() => new(Id, Occupation, OccupationZh, OccupationEn, WorkType.Length == 0 ? null : WorkType, Level, ExamOnDate,
            ReviewOnDate, Candidates, WithResults, Decided, Passed, Failed, Ineligible, Certificates);
    }

    public async Task<IReadOnlyList<ExamSessionView>> SessionsAsync(string agency, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<SessionRow>(new CommandDefinition(SessionSelect + " where s.agency_key = @agency order by s.id desc limit 200", new { agency }, cancellationToken: ct));
        return rows.Select(r => r.View()).ToList();
    }

    /// <summary>The session if it belongs to the agency; null otherwise (another agency's session looks missing).</summary>
    public async Task<ExamSessionView?> SessionAsync(string agency, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(SessionSelect + " where s.agency_key = @agency and s.id = @id", new { agency, id }, cancellationToken: ct));
        return row?.View();
    }

    public async Task<long> CreateSessionAsync(string agency, string occupation, string workType, int level, DateOnly examOn, DateOnly? reviewOn, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into skillshub.evaluation_sessions (agency_key, occupation_code, work_type, level, exam_on, review_on, created_by)
            values (@agency, @occupation, @workType, @level, @examOn::date, @reviewOn::date, @actor) returning id
            """, new { agency, occupation, workType, level = (short)level, examOn = examOn.ToDateTime(TimeOnly.MinValue), reviewOn = reviewOn?.ToDateTime(TimeOnly.MinValue), actor }, cancellationToken: ct));
    }

    /// <summary>The kinds of import (job_progress.kind).</summary>
    public static readonly string[] ImportKinds = ["occupations", "candidates", "results"];

    public async Task<Guid> CreateImportAsync(string kind, string? agency, long? session, string fileName, byte[] content, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var id = await progress.CreateAsync(kind, agency, session, actor, 0, ct, transaction);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into skillshub.cert_imports (id, file_name, content) values (@id, @fileName, @content)",
            new { id, fileName, content }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return id;
    }

    public Task SetImportJobAsync(Guid id, string jobId) => progress.SetJobAsync(id, jobId);

    /// <summary>The import if it belongs to the agency (null agency: an admin's catalogue import).</summary>
    public async Task<ImportView?> ImportAsync(Guid id, string? agency, CancellationToken ct)
    {
        if (await progress.GetAsync(id, agency, ImportKinds, ct) is not { } job)
        {
            return null;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var file = await connection.QuerySingleAsync<(string FileName, int StoredRows, int ErrorCount)>(new CommandDefinition(
            "select file_name, stored_rows, error_count from skillshub.cert_imports where id = @id", new { id }, cancellationToken: ct));
        var errors = await connection.QueryAsync<StoredError>(new CommandDefinition(
            "select line, field, message, code, args::text as args from skillshub.cert_import_errors where import_id = @id order by line, field limit 20", new { id }, cancellationToken: ct));
        return new ImportView(job.Id, job.Kind, job.SessionId, file.FileName, job.Status, job.Total, job.Processed, file.StoredRows, file.ErrorCount, job.Message,
            errors.Select(e => e.ToLineError()).ToList(), job.Code);
    }

    public async Task<IReadOnlyList<LineError>> ImportErrorsAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var errors = await connection.QueryAsync<StoredError>(new CommandDefinition(
            "select line, field, message, code, args::text as args from skillshub.cert_import_errors where import_id = @id order by line, field", new { id }, cancellationToken: ct));
        return errors.Select(e => e.ToLineError()).ToList();
    }

    /// <summary>A stored row error; rows from before migration 0130 have no code (the pages then show the message).</summary>
    sealed record StoredError(long Line, string Field, string Message, string? Code, string? Args)
    {
        public LineError ToLineError() => new(Line, Field, Message, Code ?? "",
            Args is null ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(Args));
    }

    public async Task<int> PendingIssuanceAsync(long session, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            select count(*)::int from skillshub.rating_decisions d join skillshub.evaluations e on e.id = d.evaluation_id
            where d.session_id = @session and d.outcome = 'passed' and e.certificate_number is null
            """, new { session }, cancellationToken: ct));
    }

    sealed record DecisionRow(long EvaluationId, string Name, string IdNumber, decimal? Theory, decimal? Practical, decimal? Review, string? Outcome, string? Reasons, string? CertificateNumber, string? CertificateStatus,
        DateOnly? IssuedOn = null, short? ValidityYears = null, short Level = 5);

    /// <summary>The most decisions one page holds (the endpoint refuses a larger limit: Platform/Paging.cs).</summary>
    public const int MaxPage = 500;

    /// <summary>How many decisions a page holds when the request gives no limit.</summary>
    public const int DefaultPage = 100;

    public async Task<IReadOnlyList<DecisionView>> DecisionsAsync(long session, long after, int limit, bool certifiedOnly, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition($"""
            select e.id as EvaluationId, coalesce(e.holder_name, c.name) as name, c.id_number as IdNumber, e.theory, e.practical, e.review, d.outcome, array_to_string(d.reasons, E'\x1f') as Reasons, e.certificate_number as CertificateNumber,
                   cert.status as CertificateStatus, cert.issued_on as IssuedOn, cert.validity_years as ValidityYears, s.level as Level
            from skillshub.evaluations e join skillshub.candidates c on c.id = e.candidate_id
            join skillshub.evaluation_sessions s on s.id = e.session_id
            left join skillshub.rating_decisions d on d.evaluation_id = e.id
            left join skillshub.certificates cert on cert.number = e.certificate_number
            where e.session_id = @session and e.id > @after {(certifiedOnly ? "and e.certificate_number is not null" : "")}
            order by e.id limit @limit
            """, new { session, after, limit }, cancellationToken: ct));
        // A certificate past its last day is "expired" here as in the registry (an outside tester: the officer saw "valid").
        var today = CertificateValidity.TodayInChina(clock);
        // Not yet decided: the reasons name the parts the level still needs a score for ("awaiting-results: review"), as a
        // rating run would (found by an outside tester: an eligible candidate missing the review showed no reason at all).
        static string[] Undecided(DecisionRow r) =>
            new ExamScores(r.Theory, r.Practical, r.Review).Missing(SkillLevels.FromDigit(r.Level)) is { Count: > 0 } missing ? ["awaiting-results: " + string.Join(", ", missing)] : [];
        return rows.Select(r => new DecisionView(r.EvaluationId, r.Name, IdNumbers.Mask(r.IdNumber), r.Theory, r.Practical, r.Review, r.Outcome,
            r.Reasons?.Split('\u001f') ?? (r.Outcome is null ? Undecided(r) : []), r.CertificateNumber,
            r.CertificateStatus is { } status && r.IssuedOn is { } issued ? CertificateValidity.Status(status, CertificateValidity.ValidUntil(issued, r.ValidityYears), today) : r.CertificateStatus)).ToList();
    }

    public async Task<IReadOnlyList<(long Id, DateTime FoundAt, string Kind, string Subject, string Detail)>> FindingsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(long, DateTime, string, string, string)>(new CommandDefinition(
            "select id, found_at, kind, subject, detail from skillshub.consistency_findings order by id desc limit 500", cancellationToken: ct))).ToList();
    }

    // A session as the jobs need it, and the rating job's reads and writes.

    public sealed record JobSession(long Id, string AgencyKey, string OccupationCode, string WorkType, short Level, DateOnly ExamOn, string? EligibilityYears);

    /// <summary>The session with its occupation's eligibility rule, on the caller's connection (and transaction).</summary>
    internal static async Task<JobSession> LoadSessionAsync(NpgsqlConnection connection, long id, CancellationToken ct, NpgsqlTransaction? transaction = null) =>
        await connection.QuerySingleAsync<JobSession>(new CommandDefinition("""
            select s.id, s.agency_key as AgencyKey, s.occupation_code as OccupationCode, s.work_type as WorkType, s.level, s.exam_on as ExamOn, o.eligibility_years::text as EligibilityYears
            from skillshub.evaluation_sessions s join skillshub.occupations o on o.code = s.occupation_code where s.id = @id
            """, new { id }, transaction, cancellationToken: ct));

    public async Task<JobSession> JobSessionAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await LoadSessionAsync(connection, id, ct);
    }

    public async Task<long> SessionOfEvaluationAsync(long evaluationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("select session_id from skillshub.evaluations where id = @evaluationId", new { evaluationId }, cancellationToken: ct));
    }

    public Task<int> EvaluationCountAsync(long sessionId, CancellationToken ct) =>
        CountAsync("select count(*)::int from skillshub.evaluations where session_id = @sessionId", sessionId, ct);

    public Task<int> DecidedCountAsync(long sessionId, CancellationToken ct) =>
        CountAsync("select count(*)::int from skillshub.rating_decisions where session_id = @sessionId", sessionId, ct);

    public Task<int> PassedCountAsync(long sessionId, CancellationToken ct) =>
        CountAsync("select count(*)::int from skillshub.rating_decisions where session_id = @sessionId and outcome = 'passed'", sessionId, ct);

    public Task<int> CertifiedCountAsync(long sessionId, CancellationToken ct) =>
        CountAsync("select count(*)::int from skillshub.evaluations where session_id = @sessionId and certificate_number is not null", sessionId, ct);

    async Task<int> CountAsync(string sql, long sessionId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { sessionId }, cancellationToken: ct));
    }

    /// <summary>An evaluation without a decision, with what the rules need; Levels is <see cref="LevelRecords"/>' text.</summary>
    public sealed record Undecided(long Id, decimal? Theory, decimal? Practical, decimal? Review, short Education, DateOnly? Since, string? Levels, string Name)
    {
        /// <summary>Every record of a level the person has in the occupation that counts for the agency, dated and with a certificate's status.</summary>
        public IReadOnlyList<LevelRecord> LevelRecords => Certification.LevelRecords.Parse(Levels, Name);
    }

    /// <summary>
    /// One batch of a rating run: the session's lock (<see cref="SessionLock"/>), then its undecided evaluations read and
    /// their decisions written in one transaction, so an import of the session's candidates or results never lands
    /// between what a decision read and the decision (docs/certification.md, "A session's imports and its rating take
    /// turns").
    /// </summary>
    public sealed class DecisionBatch(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        internal NpgsqlConnection Connection => connection;

        internal NpgsqlTransaction Transaction => transaction;

        public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    public async Task<DecisionBatch> BeginDecisionsAsync(long session, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct);
        await SessionLock.TakeAsync(connection, transaction, session, ct);
        return new DecisionBatch(connection, transaction);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> undecided evaluations of the session after <paramref name="lastId"/>, in id order, with
    /// what the rating may count: the years in the occupation and the levels declared by the session's own agency, and the
    /// register's certificates and appointments (<see cref="Certification.LevelRecords"/>; agency isolation, docs/security.md).
    /// </summary>
    public async Task<IReadOnlyList<Undecided>> UndecidedAsync(long session, string agency, string occupation, long lastId, int limit, DecisionBatch batch, CancellationToken ct)
    {
        var connection = batch.Connection;
        // Every record of a level with its date and a certificate's status: the rating counts those held on the exam date.
        return (await connection.QueryAsync<Undecided>(new CommandDefinition($"""
            select e.id, e.theory, e.practical, e.review,
                   coalesce(e.education, (select p.education from skillshub.evaluations p join skillshub.evaluation_sessions ps on ps.id = p.session_id
                                          where p.candidate_id = e.candidate_id and ps.agency_key = @agency and ps.occupation_code = @occupation
                                            and p.education is not null
                                          order by p.education_at desc nulls last, p.id desc limit 1), 0::smallint) as education,
                   coalesce(e.in_occupation_since,
                            (select min(w.since) from skillshub.candidate_work w where w.candidate_id = e.candidate_id and w.occupation_code = @occupation and w.reported_by = @agency)) as Since,
                   {Certification.LevelRecords.Aggregate("e.candidate_id")} as Levels,
                   coalesce(e.holder_name, (select c.name from skillshub.candidates c where c.id = e.candidate_id)) as Name
            from skillshub.evaluations e
            where e.session_id = @session and e.id > @lastId
              and not exists (select 1 from skillshub.rating_decisions d where d.evaluation_id = e.id)
            order by e.id limit @limit
            """, new { session, agency, occupation, lastId, limit }, batch.Transaction, cancellationToken: ct))).ToList();
    }

    /// <summary>Records decisions; a decision, once made, stays: a re-run (or a second node) only fills in what is missing.</summary>
    public async Task RecordDecisionsAsync(long session, long[] ids, string[] outcomes, string[] reasons, Guid runId, DecisionBatch batch, CancellationToken ct)
    {
        await batch.Connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.rating_decisions (evaluation_id, session_id, outcome, reasons, run_id)
            select x.id, @session, x.outcome, array(select jsonb_array_elements_text(x.reasons::jsonb)), @runId
            from unnest(@ids, @outcomes, @reasons) as x(id, outcome, reasons)
            on conflict (evaluation_id) do nothing
            """, new { session, ids, outcomes, reasons, runId }, batch.Transaction, cancellationToken: ct));
    }

    public async Task<IReadOnlyDictionary<string, int>> OutcomeCountsAsync(long session, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var counts = await connection.QueryAsync<(string outcome, int count)>(new CommandDefinition(
            "select outcome, count(*)::int from skillshub.rating_decisions where session_id = @session group by outcome", new { session }, cancellationToken: ct));
        return counts.ToDictionary(c => c.outcome, c => c.count);
    }

    /// <summary>How many of the session's candidates have no rating decision yet.</summary>
    public async Task<int> UnratedCountAsync(long session, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            select count(*)::int from skillshub.evaluations e
            where e.session_id = @session and not exists (select 1 from skillshub.rating_decisions d where d.evaluation_id = e.id)
            """, new { session }, cancellationToken: ct));
    }

    /// <summary>The session's lowest certificate number, if any was issued.</summary>
    public async Task<string?> FirstCertificateNumberAsync(long session, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select min(certificate_number) from skillshub.evaluations where session_id = @session", new { session }, cancellationToken: ct));
    }

    /// <summary>A generated candidate with the results of a prepared session (ID type 'other').</summary>
    public sealed record PreparedCandidate(string Name, string IdNumber, DateOnly InOccupationSince, decimal Theory, decimal Practical);

    /// <summary>
    /// The session <paramref name="actor"/> created for the agency; on the first call it is created, Level 5, with its
    /// candidates, their work history and results, in one transaction (callers starting together take turns).
    /// Answers the session and whether this call created it.
    /// </summary>
    public async Task<(long Session, bool Created)> EnsurePreparedSessionAsync(string agency, string occupation, DateOnly examOn, string actor,
        IReadOnlyList<PreparedCandidate> candidates, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('skillshub-prepared-session:' || @actor))", new { actor }, transaction, cancellationToken: ct));
        var existing = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select min(id) from skillshub.evaluation_sessions where agency_key = @agency and created_by = @actor", new { agency, actor }, transaction, cancellationToken: ct));
        if (existing is { } id)
        {
            await transaction.CommitAsync(ct);
            return (id, false);
        }
        var session = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into skillshub.evaluation_sessions (agency_key, occupation_code, work_type, level, exam_on, created_by)
            values (@agency, @occupation, '', 5, @examOn::date, @actor) returning id
            """, new { agency, occupation, examOn = examOn.ToDateTime(TimeOnly.MinValue), actor }, transaction, cancellationToken: ct));
        foreach (var c in candidates)
        {
            var candidate = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into skillshub.candidates (id_type, id_number, name) values ('other', @IdNumber, @Name)
                on conflict (id_type, id_number) do update set name = excluded.name returning id
                """, new { c.IdNumber, c.Name }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into skillshub.candidate_work (candidate_id, occupation_code, since, reported_by) values (@candidate, @occupation, @since::date, @agency) on conflict do nothing;
                insert into skillshub.evaluations (session_id, candidate_id, theory, practical) values (@session, @candidate, @theory, @practical);
                """, new
            {
                candidate, occupation, since = c.InOccupationSince.ToDateTime(TimeOnly.MinValue), agency, session, theory = c.Theory, practical = c.Practical,
            }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return (session, true);
    }
}
