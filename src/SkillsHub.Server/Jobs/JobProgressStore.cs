// Dapper.AOT is not enabled in this project; plain Dapper is intended here.

namespace SkillsHub.Server.Jobs;

/// <summary>One job's progress as the pages poll it (docs/certification.md, "Jobs and their progress").</summary>
public sealed record JobProgress(Guid Id, string Kind, string? AgencyKey, long? SessionId, string Status, int Total, int Processed,
    string? Summary, string? Message, string? Code, string? JobId)
{
    public bool Done => Status is "succeeded" or "rejected";
}

/// <summary>
/// A rating or issuing run as the agency page polls it. <see cref="Summary"/> is the finished run's counts, an object
/// (a rating run: decisions by outcome; an issuing run: issued, issuedByThisRun, passed), not JSON inside a string.
/// </summary>
public sealed record RunView(Guid Id, string Kind, long? SessionId, string Status, int Total, int Processed, IReadOnlyDictionary<string, int>? Summary, string? Message, string? Code, string? JobId)
{
    public static RunView From(JobProgress p) => new(p.Id, p.Kind, p.SessionId, p.Status, p.Total, p.Processed,
        p.Summary is null ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(p.Summary), p.Message, p.Code, p.JobId);
}

/// <summary>
/// The one progress table (job_progress) of the jobs people wait on: imports, rating and issuing runs, certificate
/// bundles. Hangfire keeps each job's state, retries and exception; this keeps who may see the job, how far it
/// got, and how it ended: on failure or rejection a stable code (<see cref="ProblemCodes"/>) the pages translate,
/// plus the English message. The jobs call this store; it calls nothing back.
/// </summary>
public sealed class JobProgressStore(NpgsqlDataSource db, ILogger<JobProgressStore> logger)
{
    const string Columns = "id, kind, agency_key as AgencyKey, session_id as SessionId, status, total, processed, summary::text as Summary, message, code, job_id as JobId";

    /// <summary>A queued job's progress row; with <paramref name="transaction"/>, in the caller's transaction (an import's file row goes with it).</summary>
    public async Task<Guid> CreateAsync(string kind, string? agency, long? session, string actor, int total, CancellationToken ct, NpgsqlTransaction? transaction = null)
    {
        var id = Guid.NewGuid();
        const string sql = "insert into skillshub.job_progress (id, kind, agency_key, session_id, total, created_by) values (@id, @kind, @agency, @session, @total, @actor)";
        var command = new CommandDefinition(sql, new { id, kind, agency, session, total, actor }, transaction, cancellationToken: ct);
        if (transaction is not null)
        {
            await transaction.Connection!.ExecuteAsync(command);
        }
        else
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(command);
        }
        return id;
    }

    public async Task SetJobAsync(Guid id, string jobId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("update skillshub.job_progress set job_id = @jobId where id = @id", new { id, jobId });
    }

    /// <summary>The job if it is one of <paramref name="kinds"/> and belongs to the agency (null agency: an admin's catalogue import).</summary>
    public async Task<JobProgress?> GetAsync(Guid id, string? agency, string[] kinds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<JobProgress>(new CommandDefinition(
            $"select {Columns} from skillshub.job_progress where id = @id and agency_key is not distinct from @agency and kind = any(@kinds)",
            new { id, agency, kinds }, cancellationToken: ct));
    }

    /// <summary>
    /// A queued job's progress row for the session, unless a job of this kind is already queued or running for it: then
    /// that job's id, and nothing is created. The check and the insert are one step (a transaction-scoped lock per session
    /// and kind): found by an outside tester, three rating requests sent at once started two or three runs.
    /// </summary>
    public async Task<(Guid Id, bool Created)> CreateUnlessActiveAsync(string kind, string agency, long session, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('skillshub-job-start:' || @kind || ':' || @session))",
            new { kind, session }, transaction, cancellationToken: ct));
        if (await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(ActiveSql, new { session, kind }, transaction, cancellationToken: ct)) is { } active)
        {
            return (active, false);
        }
        var id = await CreateAsync(kind, agency, session, actor, 0, ct, transaction);
        await transaction.CommitAsync(ct);
        return (id, true);
    }

    const string ActiveSql = "select id from skillshub.job_progress where session_id = @session and kind = @kind and status in ('queued', 'running') limit 1";

    /// <summary>The session's queued or running job of this kind, if any.</summary>
    public async Task<Guid?> ActiveAsync(long session, string kind, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            ActiveSql, new { session, kind }, cancellationToken: ct));
    }

    /// <summary>
    /// Marks the job running (with a new <paramref name="total"/>, counting from 0 again) and returns it; null when it is
    /// unknown or already done (a retried or duplicated job does nothing).
    /// </summary>
    public async Task<JobProgress?> StartAsync(Guid id, int? total, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<JobProgress>(new CommandDefinition($"""
            update skillshub.job_progress set status = 'running', message = null, code = null,
                   total = coalesce(@total, total), processed = case when @total is null then processed else 0 end
            where id = @id and status not in ('succeeded', 'rejected')
            returning {Columns}
            """, new { id, total }, cancellationToken: ct));
    }

    public async Task ReportAsync(Guid id, int processed, int? total, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("update skillshub.job_progress set processed = @processed, total = coalesce(@total, total) where id = @id",
            new { id, processed, total }, cancellationToken: ct));
    }

    /// <summary>The synchronous form, for a parser's progress callback.</summary>
    public void Report(Guid id, int processed)
    {
        using var connection = db.OpenConnection();
        connection.Execute("update skillshub.job_progress set processed = @processed where id = @id", new { id, processed });
    }

    /// <summary>
    /// Ends the job as succeeded or rejected (its input refused, <paramref name="code"/> saying why); with
    /// <paramref name="complete"/> every row counts as processed. With <paramref name="transaction"/>, in the caller's transaction.
    /// </summary>
    public async Task FinishAsync(Guid id, string status, string? summary, string? message, string? code, bool complete, CancellationToken ct, NpgsqlTransaction? transaction = null)
    {
        var command = new CommandDefinition("""
            update skillshub.job_progress set status = @status, summary = @summary::jsonb, message = @message, code = @code,
                   processed = case when @complete then total else processed end, finished_at = now()
            where id = @id
            """, new { id, status, summary, message, code, complete }, transaction, cancellationToken: ct);
        if (transaction is not null)
        {
            await transaction.Connection!.ExecuteAsync(command);
        }
        else
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteAsync(command);
        }
    }

    /// <summary>Records a failure (Hangfire then retries the job): <paramref name="code"/>, or the one <see cref="FailureCode"/> gives, and the English message.</summary>
    public async Task FailAsync(Guid id, Exception e, string? code = null)
    {
        logger.LogError(e, "Job {JobProgressId} failed", id);
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "update skillshub.job_progress set status = 'failed', message = @message, code = @code, finished_at = now() where id = @id",
            new { id, message = Domain.Text.TextInput.Visible(e.Message), code = code ?? FailureCode(e) });
    }

    /// <summary>The stable code of an unexpected failure: the database out of reach, or any other error.</summary>
    public static string FailureCode(Exception e) =>
        e is NpgsqlException or TimeoutException || e.InnerException is NpgsqlException ? ProblemCodes.DatabaseUnavailable : ProblemCodes.JobFailed;
}
