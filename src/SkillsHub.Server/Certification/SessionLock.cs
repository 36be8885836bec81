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
}
