// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using System.Globalization;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// A person's records of levels held in an occupation, with what <see cref="LevelsHeld"/> decides on (docs/certification.md,
/// "Levels held"): declared levels from <c>candidate_levels</c>, appointments from <c>appointments</c>, and every
/// certificate (from an evaluation or a promotion) from <c>certificates</c> itself, with its issue date and status. The
/// certificate rows of <c>candidate_levels</c> are left aside: they keep neither the status nor, after a second certificate
/// at a level, its date.
/// A declared level counts only for the agency that declared it (<c>@agency</c>): another agency's candidates file is that
/// agency's own record, which this one neither sees nor vouches for (agency isolation, docs/security.md; found by an
/// outside tester: a rating told an agency that another one had declared a level for the same ID, and certified on it).
/// The agency's own certificates and appointments count as they are. Another agency's count when the name this agency has
/// for the person is the name on that certificate (for an appointment, the name the appointing agency had for the person:
/// <see cref="AgencyName"/>), compared as the public holder
/// search compares names: what the agency learns from a rating is then what the holder search would tell anyone with the
/// name and ID number (found by an outside tester: an ID number alone, under any name, was rated "eligible
/// re-examination" when another agency had certified it at the level, which told the agency who holds what).
/// </summary>
static class LevelRecords
{
    /// <summary>
    /// The records of the person <c>{candidate}</c> in <c>@occupation</c> that agency <c>@agency</c> may count, as one text,
    /// "level@yyyy-MM-dd@source@status@name,...", where name is empty for the agency's own records and otherwise the name on
    /// the other agency's record as UTF-8 in hex (Npgsql 10 reports array columns as System.Array, which Dapper's record
    /// mapping rejects).
    /// </summary>
    public static string Aggregate(string candidate) => $"""
        (select string_agg(r.level || '@' || to_char(r.since, 'YYYY-MM-DD') || '@' || r.source || '@' || r.status || '@' || r.holder, ',')
         from (select l.level::int as level, l.since, 'declared' as source, 'valid' as status, '' as holder
               from skillshub.candidate_levels l
               where l.candidate_id = {candidate} and l.occupation_code = @occupation and l.source = 'declared:' || @agency
               union all
               select a.level::int, a.appointed_on, 'appointment', 'valid',
                      case when a.agency_key = @agency then '' else encode(convert_to(a.holder_name, 'UTF8'), 'hex') end
               from skillshub.appointments a
               where a.candidate_id = {candidate} and a.occupation_code = @occupation
               union all
               select 6 - k.level, k.issued_on, 'certificate', k.status,
                      case when k.agency_key = @agency then '' else encode(convert_to(k.holder_name, 'UTF8'), 'hex') end
               from skillshub.certificates k where k.candidate_id = {candidate} and k.occupation_code = @occupation) r)
        """;

    /// <summary>
    /// The name agency <c>{agency}</c> has for the person <c>{candidate}</c>, as SQL: the name on its latest certificate of
    /// them, else the name its latest candidates file gave (an evaluation's); null when it has neither.
    /// </summary>
    public static string AgencyName(string candidate, string agency) => $"""
        coalesce(
          (select holder_name from skillshub.certificates where candidate_id = {candidate} and agency_key = {agency} order by issued_on desc, number desc limit 1),
          (select coalesce(e.holder_name, c.name) from skillshub.evaluations e join skillshub.evaluation_sessions s on s.id = e.session_id
             join skillshub.candidates c on c.id = e.candidate_id where e.candidate_id = {candidate} and s.agency_key = {agency} order by e.id desc limit 1))
        """;

    /// <summary>
    /// The records <see cref="Aggregate"/> wrote that count for the agency knowing the person as <paramref name="name"/>:
    /// its own, and another agency's under the same name (<see cref="HolderPrivacy.NameMatches"/>).
    /// </summary>
    public static IReadOnlyList<LevelRecord> Parse(string? text, string name)
    {
        var records = new List<LevelRecord>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = part.Split('@');
            if (f[4].Length > 0 && !HolderPrivacy.NameMatches(name, System.Text.Encoding.UTF8.GetString(Convert.FromHexString(f[4]))))
            {
                continue;
            }
            records.Add(new LevelRecord((SkillLevel)int.Parse(f[0], CultureInfo.InvariantCulture), DateOnly.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                f[2] switch { "certificate" => LevelSource.Certificate, "appointment" => LevelSource.Appointment, _ => LevelSource.Declared }, LevelsHeld.ParseStatus(f[3])));
        }
        return records;
    }

    /// <summary>The person's records in the occupation that count for the agency knowing them as <paramref name="name"/>, on the caller's connection and transaction.</summary>
    public static async Task<IReadOnlyList<LevelRecord>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long candidate, string occupation, string agency, string name, CancellationToken ct) =>
        Parse(await connection.ExecuteScalarAsync<string?>(new CommandDefinition("select " + Aggregate("@candidate"), new { candidate, occupation, agency }, transaction, cancellationToken: ct)), name);
}
