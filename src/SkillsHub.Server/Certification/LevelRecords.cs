// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using System.Globalization;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// A person's records of levels held in an occupation, with what <see cref="LevelsHeld"/> decides on (docs/certification.md,
/// "Levels held"): declared levels and appointments from <c>candidate_levels</c>, and every certificate (from an
/// evaluation or a promotion) from <c>certificates</c> itself, with its issue date and status. The certificate rows of
/// <c>candidate_levels</c> are left aside: they keep neither the status nor, after a second certificate at a level, its date.
/// A declared level counts only for the agency that declared it (<c>@agency</c>): another agency's candidates file is that
/// agency's own record, which this one neither sees nor vouches for (agency isolation, docs/security.md; found by an
/// outside tester: a rating told an agency that another one had declared a level for the same ID, and certified on it).
/// Certificates and appointments are the register's, and count for every agency.
/// </summary>
static class LevelRecords
{
    /// <summary>
    /// The records of the person <c>{candidate}</c> in <c>@occupation</c> that agency <c>@agency</c> may count, as one text, "level@yyyy-MM-dd@source@status,..."
    /// (Npgsql 10 reports array columns as System.Array, which Dapper's record mapping rejects).
    /// </summary>
    public static string Aggregate(string candidate) => $"""
        (select string_agg(r.level || '@' || to_char(r.since, 'YYYY-MM-DD') || '@' || r.source || '@' || r.status, ',')
         from (select l.level::int as level, l.since, case when l.source = 'appointment' then 'appointment' else 'declared' end as source, 'valid' as status
               from skillshub.candidate_levels l
               where l.candidate_id = {candidate} and l.occupation_code = @occupation and (l.source = 'appointment' or l.source = 'declared:' || @agency)
               union all
               select 6 - k.level, k.issued_on, 'certificate', k.status
               from skillshub.certificates k where k.candidate_id = {candidate} and k.occupation_code = @occupation) r)
        """;

    /// <summary>The records <see cref="Aggregate"/> wrote.</summary>
    public static IReadOnlyList<LevelRecord> Parse(string? text)
    {
        var records = new List<LevelRecord>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = part.Split('@');
            records.Add(new LevelRecord((SkillLevel)int.Parse(f[0], CultureInfo.InvariantCulture), DateOnly.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                f[2] switch { "certificate" => LevelSource.Certificate, "appointment" => LevelSource.Appointment, _ => LevelSource.Declared }, LevelsHeld.ParseStatus(f[3])));
        }
        return records;
    }

    /// <summary>The person's records in the occupation, on the caller's connection and transaction.</summary>
    public static async Task<IReadOnlyList<LevelRecord>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long candidate, string occupation, string agency, CancellationToken ct) =>
        Parse(await connection.ExecuteScalarAsync<string?>(new CommandDefinition("select " + Aggregate("@candidate"), new { candidate, occupation, agency }, transaction, cancellationToken: ct)));
}
