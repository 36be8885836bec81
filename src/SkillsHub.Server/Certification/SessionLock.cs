namespace SkillsHub.Server.Certification;

/// <summary>
/// An evaluation session's imports (candidates, results) and its rating take turns (docs/certification.md, "A session's
/// imports and its rating take turns"): each takes this transaction-scoped lock first, so a results file is checked
/// ("already rated") and stored as one step that no rating batch interleaves with, and a rating batch reads the marks it
/// decides on and writes its decisions as one step that no import interleaves with. Found by an outside tester: a results
/// import overlapping a rating run replaced the marks of candidates the run had just rated, and certificates went to
/// people whose stored marks fail.
/// </summary>
public static class SessionLock
{
    public static Task TakeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long session, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('skillshub-evaluation-session:' || @session))",
            new { session }, transaction, cancellationToken: ct));

    /// <summary>
    /// The exam the session is of (agency, occupation, type of work, level, exam date): a candidates file takes it after the
    /// session's own lock and before it looks for the same person in the agency's other sessions of that exam, so two files
    /// sent at once to two sessions of one exam are checked one after the other (docs/certification.md, "Imports": one
    /// evaluation a person for one exam; the type of work compared by its key, as the check compares it).
    /// </summary>
    public static Task TakeExamAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long session, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            select pg_advisory_xact_lock(hashtext(concat_ws(':', 'skillshub-exam', agency_key, occupation_code, skillshub.work_type_key(work_type), level, exam_on)))
            from skillshub.evaluation_sessions where id = @session
            """, new { session }, transaction, cancellationToken: ct));
}
