// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using NpgsqlTypes;
using SkillsHub.Domain;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Jobs;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The imports' files and reports (cert_imports, cert_import_errors; their progress is <see cref="JobProgressStore"/>'s) and
/// the bulk writes of an import: each kind's rows in one transaction, or, when the database finds a line wrong,
/// nothing at all. <see cref="ImportProcessor"/> parses and validates the file and calls this.
/// </summary>
public sealed class ImportStore(NpgsqlDataSource db, JobProgressStore progress)
{
    /// <summary>
    /// What a statement over a whole file may take: a file may hold millions of rows (up to the upload limit), more than
    /// Npgsql's 30 s default allows on a busy server.
    /// </summary>
    const int HeavySeconds = 600;

    /// <summary>An import and, for a session's file, the session's level digit and review date (results rules).</summary>
    public sealed record ImportHeader(Guid Id, string Kind, string? AgencyKey, long? SessionId, byte[]? Content, string Status, short? Level, DateOnly? ReviewOn, DateOnly? ExamOn);

    public async Task<ImportHeader?> HeaderAsync(Guid importId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ImportHeader>(new CommandDefinition("""
            select i.id, p.kind, p.agency_key as AgencyKey, p.session_id as SessionId, i.content, p.status, s.level, s.review_on as ReviewOn, s.exam_on as ExamOn
            from skillshub.cert_imports i join skillshub.job_progress p using (id)
            left join skillshub.evaluation_sessions s on s.id = p.session_id
            where i.id = @importId
            """, new { importId }, cancellationToken: ct));
    }

    /// <summary>Stores the parsed rows of the import's kind in one transaction; nothing when the database finds <paramref name="errors"/>.</summary>
    public Task<int> StoreRowsAsync<T>(ImportHeader import, List<(long Line, T Row)> rows, ImportProblems errors, CancellationToken ct) => rows switch
    {
        List<(long, CandidateRow)> candidates => InTransactionAsync(import, candidates, errors, StoreCandidatesAsync, ct),
        List<(long, ResultRow)> results => InTransactionAsync(import, results, errors, StoreResultsAsync, ct),
        List<(long, OccupationRow)> occupations => InTransactionAsync(import, occupations, errors, StoreOccupationsAsync, ct),
        _ => throw new ArgumentException($"No import stores rows of {typeof(T).Name}.", nameof(rows)),
    };

    /// <summary>Ends the import: its report (the first <see cref="ImportProblems.MaxListed"/> problems), its counts, and its progress, in one transaction; the file is dropped.</summary>
    public async Task FinishAsync(Guid importId, ImportProblems errors, int stored, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (errors.Count > 0)
        {
            await using (var writer = await connection.BeginBinaryImportAsync("copy skillshub.cert_import_errors (import_id, line, field, message, code, args) from stdin (format binary)", ct))
            {
                foreach (var e in errors.Listed)
                {
                    await writer.StartRowAsync(ct);
                    await writer.WriteAsync(importId, NpgsqlDbType.Uuid, ct);
                    await writer.WriteAsync(e.Line, NpgsqlDbType.Bigint, ct);
                    await writer.WriteAsync(e.Field, NpgsqlDbType.Text, ct);
                    await writer.WriteAsync(e.Message, NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(e.Code, NpgsqlDbType.Text, ct);
                        await writer.WriteAsync(System.Text.Json.JsonSerializer.Serialize(e.Args ?? RowCodes.None), NpgsqlDbType.Jsonb, ct);
                }
                await writer.CompleteAsync(ct);
            }
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "update skillshub.cert_imports set error_count = @errorCount, stored_rows = @stored, content = null where id = @importId",
            new { importId, errorCount = errors.Count, stored }, transaction, cancellationToken: ct));
        await progress.FinishAsync(importId, errors.Count > 0 ? "rejected" : "succeeded", null,
            errors.Count == 0 ? $"{Domain.Text.Counted.Of(stored, "row", "rows")} stored"
                : errors.Count > errors.Listed.Count ? $"{Domain.Text.Counted.Of(errors.Count, "problem", "problems")}: nothing from this file was stored; the report lists the first {errors.Listed.Count}"
                : $"{Domain.Text.Counted.Of(errors.Count, "problem", "problems")}: nothing from this file was stored",
            errors.Count > 0 ? ProblemCodes.FileRejected : null, complete: true, ct, transaction);
        await transaction.CommitAsync(ct);
    }

    delegate Task<int> Store<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, ImportHeader import, List<(long Line, T Row)> rows, ImportProblems errors, CancellationToken ct);

    async Task<int> InTransactionAsync<T>(ImportHeader import, List<(long Line, T Row)> rows, ImportProblems errors, Store<T> store, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (import.SessionId is { } session)
        {
            // First: a rating batch of the session in flight finishes before this file's rows are checked against it, and
            // none starts until they are stored (<see cref="SessionLock"/>).
            await SessionLock.TakeAsync(connection, transaction, session, ct);
        }
        var stored = await store(connection, transaction, import, rows, errors, ct);
        if (errors.Count > 0)
        {
            await transaction.RollbackAsync(ct);
            return 0;
        }
        await transaction.CommitAsync(ct);
        return stored;
    }

    async Task<int> StoreCandidatesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ImportHeader import, List<(long Line, CandidateRow Row)> rows, ImportProblems errors, CancellationToken ct)
    {
        var seen = new Dictionary<(string, string), long>();
        foreach (var (line, row) in rows)
        {
            if (!seen.TryAdd((row.IdType, row.IdNumber), line))
            {
                errors.Add(new LineError(line, "id_number", $"the same person is already on line {seen[(row.IdType, row.IdNumber)]}", RowCodes.SamePerson, RowCodes.Args(("line", seen[(row.IdType, row.IdNumber)]))));
            }
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            create temp table cand_stage (line bigint, name text, id_type text, id_number text, education smallint, since date, held_level smallint, held_since date) on commit drop
            """, transaction: transaction, cancellationToken: ct));
        await StageAsync(connection, "cand_stage", rows, async (writer, r) =>
        {
            await writer.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(r.IdType, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(r.IdNumber, NpgsqlDbType.Text, ct);
            await WriteNullable(writer, (short?)r.Education, NpgsqlDbType.Smallint, ct);
            await WriteNullable(writer, r.InOccupationSince, NpgsqlDbType.Date, ct);
            await WriteNullable(writer, (short?)r.HeldLevel, NpgsqlDbType.Smallint, ct);
            await WriteNullable(writer, r.HeldSince, NpgsqlDbType.Date, ct);
        }, ct);
        await connection.ExecuteAsync(new CommandDefinition("analyze cand_stage", transaction: transaction, commandTimeout: HeavySeconds, cancellationToken: ct));
        // A person this agency already registered under another name is a data error, not something to
        // overwrite: on one of its evaluations, or on a certificate it issued (a promotion's certificate has no
        // evaluation; found by an outside tester: one ID certified under two names). Other agencies' registrations are
        // never compared with (agency isolation, docs/security.md): the agency's own spelling is kept on its evaluation.
        // Names are compared as the holder search compares them (HolderPrivacy.NameKey: case, spacing, width and the
        // characters that show nothing aside), so a spelling the rating and the public take for the same name is not
        // "another name" here (found by an outside tester); the pairs that differ as text are read, and compared so.
        var differing = await connection.QueryAsync<(long line, string name, string known)>(new CommandDefinition("""
            with agency as (select agency_key from skillshub.evaluation_sessions where id = @session),
            known as (
              select e.candidate_id, coalesce(e.holder_name, c.name) as name from skillshub.evaluations e
                join skillshub.candidates c on c.id = e.candidate_id
                join skillshub.evaluation_sessions es on es.id = e.session_id
                where es.agency_key = (select agency_key from agency)
              union
              select candidate_id, holder_name from skillshub.certificates where agency_key = (select agency_key from agency))
            select distinct s.line, s.name, k.name from cand_stage s join skillshub.candidates c using (id_type, id_number)
            join known k on k.candidate_id = c.id
            where k.name <> s.name
            """, new { session = import.SessionId }, transaction: transaction, commandTimeout: HeavySeconds, cancellationToken: ct));
        var mismatches = differing.Where(d => HolderPrivacy.NameKey(d.name) != HolderPrivacy.NameKey(d.known)).Select(d => d.line).Distinct().Order().ToList();
        errors.AddRange(mismatches.Take(ImportProblems.MaxListed).Select(line => new LineError(line, "name", "this ID number is registered under another name", RowCodes.NameMismatch)));
        errors.AddUnlisted(Math.Max(0, mismatches.Count - ImportProblems.MaxListed));
        // A candidate already rated in this session keeps what the rating was decided on: the file is refused for them, as
        // a results file is (docs/certification.md, "Imports"; found by an outside tester: a later file changed a rated
        // candidate's years in the occupation).
        var rated = (await connection.QueryAsync<(long line, int total)>(new CommandDefinition("""
            select s.line, (count(*) over ())::int from cand_stage s join skillshub.candidates c using (id_type, id_number)
            join skillshub.evaluations e on e.candidate_id = c.id and e.session_id = @session
            join skillshub.rating_decisions d on d.evaluation_id = e.id
            order by s.line limit @limit
            """, new { session = import.SessionId, limit = ImportProblems.MaxListed }, transaction: transaction, commandTimeout: HeavySeconds, cancellationToken: ct))).ToList();
        errors.AddRange(rated.Select(r => new LineError(r.line, "id_number", "already rated in this session: the candidate's details can no longer change", RowCodes.CandidateAlreadyRated)));
        errors.AddUnlisted(rated.Count == 0 ? 0 : rated[0].total - rated.Count);
        // One evaluation a person for one occupation, type of work, level and exam date in the agency: a second session of the
        // same exam would certify them twice (docs/certification.md, "Imports"; found by an outside tester: two valid
        // certificates for one exam day). The agency's own sessions only (agency isolation, docs/security.md). Files for two
        // sessions of one exam take turns from here, so each sees the other's stored candidates.
        await SessionLock.TakeExamAsync(connection, transaction, import.SessionId!.Value, ct);
        var twice = (await connection.QueryAsync<(long line, long other, int total)>(new CommandDefinition("""
            select s.line, min(o.id), (count(*) over ())::int
            from cand_stage s join skillshub.candidates c using (id_type, id_number)
            join skillshub.evaluations e on e.candidate_id = c.id and e.session_id <> @session
            join skillshub.evaluation_sessions o on o.id = e.session_id
            join skillshub.evaluation_sessions me on me.id = @session
            where o.agency_key = me.agency_key and o.occupation_code = me.occupation_code
              and skillshub.work_type_key(o.work_type) = skillshub.work_type_key(me.work_type)
              and o.level = me.level and o.exam_on = me.exam_on
            group by s.line order by s.line limit @limit
            """, new { session = import.SessionId, limit = ImportProblems.MaxListed }, transaction: transaction, commandTimeout: HeavySeconds, cancellationToken: ct))).ToList();
        errors.AddRange(twice.Select(r => new LineError(r.line, "id_number", $"already a candidate of session {r.other}, for the same occupation, type of work, level and exam date",
            RowCodes.CandidateOfAnotherSession, RowCodes.Args(("session", r.other)))));
        errors.AddUnlisted(twice.Count == 0 ? 0 : twice[0].total - twice.Count);
        if (errors.Count > 0)
        {
            return 0;
        }
        // New people are registered only once the file is known to be stored: the checks above compare with people already
        // on an evaluation or a certificate, which a new registration is not (an outside tester: a file of 3.5 million rows
        // that were all one person was inserted before being refused, and the insert ran out of time).
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.candidates (id_type, id_number, name, education)
            select id_type, id_number, name, coalesce(education, 0) from cand_stage
            on conflict (id_type, id_number) do nothing
            """, transaction: transaction, commandTimeout: HeavySeconds, cancellationToken: ct));
        var session = await connection.QuerySingleAsync<(string occupation_code, string agency_key)>(new CommandDefinition(
            "select occupation_code, agency_key from skillshub.evaluation_sessions where id = @id", new { id = import.SessionId }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            create temp table cand_ids on commit drop as
              select s.*, c.id as candidate_id from cand_stage s join skillshub.candidates c using (id_type, id_number);
            insert into skillshub.candidate_work (candidate_id, occupation_code, since, reported_by)
              select candidate_id, @occupation, since, @agency from cand_ids where since is not null
              on conflict (candidate_id, occupation_code, reported_by) do update set since = excluded.since;
            insert into skillshub.candidate_levels (candidate_id, occupation_code, level, since, source)
              select candidate_id, @occupation, held_level, held_since, 'declared:' || @agency from cand_ids where held_level is not null
              on conflict (candidate_id, occupation_code, level, source) do update set since = excluded.since;
            insert into skillshub.evaluations (session_id, candidate_id, holder_name, education, education_at, in_occupation_since)
              select @session, candidate_id, name, education, case when education is not null then now() end, since from cand_ids order by line
              on conflict (session_id, candidate_id) do update set education = coalesce(excluded.education, evaluations.education),
                education_at = coalesce(excluded.education_at, evaluations.education_at),
                in_occupation_since = coalesce(excluded.in_occupation_since, evaluations.in_occupation_since)
              where not exists (select 1 from skillshub.rating_decisions d where d.evaluation_id = evaluations.id);
            """, new { occupation = session.occupation_code, agency = session.agency_key, session = import.SessionId }, transaction, commandTimeout: HeavySeconds, cancellationToken: ct));
        return rows.Count;
    }

    async Task<int> StoreResultsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ImportHeader import, List<(long Line, ResultRow Row)> rows, ImportProblems errors, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "create temp table res_stage (line bigint, id_type text, id_number text, theory numeric, practical numeric, review numeric) on commit drop",
            transaction: transaction, cancellationToken: ct));
        await StageAsync(connection, "res_stage", rows, async (writer, r) =>
        {
            await writer.WriteAsync(r.IdType, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(r.IdNumber, NpgsqlDbType.Text, ct);
            foreach (var score in new[] { r.Theory, r.Practical, r.Review })
            {
                await WriteNullable(writer, score, NpgsqlDbType.Numeric, ct);
            }
        }, ct);
        await connection.ExecuteAsync(new CommandDefinition("analyze res_stage", transaction: transaction, commandTimeout: HeavySeconds, cancellationToken: ct));
        var problems = (await connection.QueryAsync<(long line, string problem, int total)>(new CommandDefinition("""
            with s as (select r.*, row_number() over (partition by r.id_type, r.id_number order by r.line) as nth from res_stage r)
            select s.line,
                   case when s.nth > 1 then 'listed twice in this file'
                        when e.id is null then 'not a candidate of this session'
                        else 'already rated: results can no longer change' end,
                   (count(*) over ())::int
            from s
            left join skillshub.candidates c using (id_type, id_number)
            left join skillshub.evaluations e on e.candidate_id = c.id and e.session_id = @session
            left join skillshub.rating_decisions d on d.evaluation_id = e.id
            where s.nth > 1 or e.id is null or d.evaluation_id is not null
            order by s.line limit @limit
            """, new { session = import.SessionId, limit = ImportProblems.MaxListed }, transaction, commandTimeout: HeavySeconds, cancellationToken: ct))).ToList();
        errors.AddRange(problems.Select(p => new LineError(p.line, "id_number", p.problem, p.problem switch
        {
            "listed twice in this file" => RowCodes.ListedTwice,
            "not a candidate of this session" => RowCodes.NotACandidate,
            _ => RowCodes.AlreadyRated,
        })));
        errors.AddUnlisted(problems.Count == 0 ? 0 : problems[0].total - problems.Count);
        if (errors.Count > 0)
        {
            return 0;
        }
        // A mark the file leaves out (no column, or a blank cell) keeps the one stored: results may come in several files,
        // theory first and practical later (docs/certification.md, "Imports"; found by an outside tester: the second file
        // erased the first one's marks).
        return await connection.ExecuteAsync(new CommandDefinition("""
            update skillshub.evaluations e
            set theory = coalesce(s.theory, e.theory), practical = coalesce(s.practical, e.practical), review = coalesce(s.review, e.review)
            from res_stage s join skillshub.candidates c using (id_type, id_number)
            where e.candidate_id = c.id and e.session_id = @session
            """, new { session = import.SessionId }, transaction, commandTimeout: HeavySeconds, cancellationToken: ct));
    }

    async Task<int> StoreOccupationsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ImportHeader import, List<(long Line, OccupationRow Row)> rows, ImportProblems errors, CancellationToken ct)
    {
        var seen = new Dictionary<string, long>();
        foreach (var (line, row) in rows)
        {
            if (!seen.TryAdd(row.Code, line))
            {
                errors.Add(new LineError(line, "code", $"code {row.Code} is already on line {seen[row.Code]}", RowCodes.DuplicateCode, RowCodes.Args(("code", row.Code), ("line", seen[row.Code]))));
            }
        }
        if (errors.Count > 0)
        {
            return 0;
        }
        foreach (var (_, row) in rows)
        {
            if (row.IsMajorGroup)
            {
                await connection.ExecuteAsync(new CommandDefinition("""
                    insert into skillshub.occupation_groups (code, name_zh, name_en) values (@Code, @NameZh, @NameEn)
                    on conflict (code) do update set name_zh = excluded.name_zh, name_en = excluded.name_en
                    """, row, transaction, cancellationToken: ct));
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into skillshub.occupations (code, name_zh, name_en, worldskills_skill, certificate_validity_years, source)
                values (@Code, @NameZh, @NameEn, @WorldSkillsSkill, @ValidityYears, 'import')
                on conflict (code) do update set name_zh = excluded.name_zh, name_en = excluded.name_en,
                  worldskills_skill = case when @WorldSkillsSkillGiven then excluded.worldskills_skill else occupations.worldskills_skill end,
                  certificate_validity_years = case when @ValidityGiven then excluded.certificate_validity_years else occupations.certificate_validity_years end,
                  source = 'import'
                """, row, transaction, cancellationToken: ct));
            foreach (var type in row.TypesOfWork)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into skillshub.occupation_work_types (occupation_code, name) values (@code, @type) on conflict do nothing",
                    new { code = row.Code, type }, transaction, cancellationToken: ct));
            }
        }
        return rows.Count;
    }

    /// <summary>Copies the rows into a staging table by binary COPY: each row's file line first, then the columns <paramref name="write"/> writes.</summary>
    static async Task StageAsync<T>(NpgsqlConnection connection, string table, List<(long Line, T Row)> rows, Func<NpgsqlBinaryImporter, T, Task> write, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"copy {table} from stdin (format binary)", ct);
        writer.Timeout = TimeSpan.FromSeconds(HeavySeconds);
        foreach (var (line, row) in rows)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(line, NpgsqlDbType.Bigint, ct);
            await write(writer, row);
        }
        await writer.CompleteAsync(ct);
    }

    static async Task WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct
    {
        if (value is { } v)
        {
            await writer.WriteAsync(v, type, ct);
        }
        else
        {
            await writer.WriteNullAsync(ct);
        }
    }
}
