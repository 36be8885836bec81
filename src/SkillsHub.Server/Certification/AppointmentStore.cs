// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// Why an appointment adds nothing or may not be made: <paramref name="AlreadyHeld"/>, this level or a higher one held on its
/// date; else the person holds no senior technician level on the date (<paramref name="Highest"/>: what they do hold).
/// </summary>
public sealed record AppointmentRefusal(SkillLevel? AlreadyHeld, SkillLevel? Highest);

/// <summary>
/// Special-grade and chief technician appointments (docs/certification.md, "Levels held"): who an agency may appoint, and
/// the appointment itself, recorded with the name the appointing agency has for the person.
/// </summary>
public sealed class AppointmentStore(NpgsqlDataSource db)
{
    /// <summary>
    /// The candidate with this ID among the agency's own people (in its sessions, holding its certificates or its
    /// appointments); null otherwise, so another agency's registration is indistinguishable from none (docs/security.md).
    /// </summary>
    public async Task<long?> OwnCandidateIdAsync(string agency, string idType, string idNumber, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            select c.id from skillshub.candidates c
            where c.id_type = @idType and c.id_number = @idNumber
              and (exists (select 1 from skillshub.evaluations e join skillshub.evaluation_sessions s on s.id = e.session_id where e.candidate_id = c.id and s.agency_key = @agency)
                or exists (select 1 from skillshub.certificates k where k.candidate_id = c.id and k.agency_key = @agency)
                or exists (select 1 from skillshub.appointments a where a.candidate_id = c.id and a.agency_key = @agency))
            """, new { agency, idType, idNumber }, cancellationToken: ct));
    }

    /// <summary>
    /// Records an appointment (and the level held). Null when recorded; else the level that makes it add nothing, and
    /// nothing is recorded (docs/certification.md, "Levels held"): this level on any date, or a higher one held on its date,
    /// by this agency's own records only (agency isolation, docs/security.md). Found by outside testers: special grade was
    /// recorded over chief; dated before a chief appointment, it was refused; another agency's appointment was told.
    /// The appointment keeps the name this agency has for the person (<see cref="LevelRecords.AgencyName"/>, else its
    /// earlier appointment's): another agency counts it only under that name. Found by an outside tester: it was counted
    /// under the register's name, which is whichever agency registered the ID first, so an agency that registered an ID
    /// under a name of its own learnt of another agency's appointment of the person.
    /// </summary>
    public async Task<AppointmentRefusal?> AppointAsync(string agency, long candidate, string occupation, SkillLevel level, DateOnly on, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The person's row is locked so two appointments at once cannot both pass the check.
        await connection.ExecuteAsync(new CommandDefinition("select 1 from skillshub.candidates where id = @candidate for update", new { candidate }, transaction, cancellationToken: ct));
        var held = await connection.ExecuteScalarAsync<short?>(new CommandDefinition(
            """
            select max(level) from (
                select level, appointed_on as since from skillshub.appointments where agency_key = @agency and candidate_id = @candidate and occupation_code = @occupation
                union all
                select level, since from skillshub.candidate_levels where candidate_id = @candidate and occupation_code = @occupation and source = 'declared:' || @agency
            ) own where level = @level or since <= @on::date
            """,
            new { candidate, occupation, agency, level = (short)level, on = on.ToDateTime(TimeOnly.MinValue) }, transaction, cancellationToken: ct));
        if (held is { } top && top >= (short)level)
        {
            return new AppointmentRefusal((SkillLevel)top, null);
        }
        // The name this agency has for the person, which the appointment keeps: its own records' (else its earlier
        // appointment's, else the register's).
        var name = await connection.ExecuteScalarAsync<string>(new CommandDefinition($"""
            select coalesce({LevelRecords.AgencyName("@candidate", "@agency")},
              (select a.holder_name from skillshub.appointments a where a.candidate_id = @candidate and a.agency_key = @agency order by a.id desc limit 1),
              (select c.name from skillshub.candidates c where c.id = @candidate))
            """, new { candidate, agency }, transaction, cancellationToken: ct));
        // Chosen from senior technicians (AgencyRules.MayBeAppointed): the levels held on the date, as a rating counts them
        // (this agency's records, and another agency's under that name).
        var highest = LevelsHeld.Highest(await LevelRecords.ReadAsync(connection, transaction, candidate, occupation, agency, name ?? "", ct), on);
        if (!AgencyRules.MayBeAppointed(highest))
        {
            return new AppointmentRefusal(null, highest);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.appointments (agency_key, candidate_id, occupation_code, level, appointed_on, appointed_by, holder_name)
            values (@agency, @candidate, @occupation, @level, @on::date, @actor, @name)
            on conflict do nothing
            """, new { agency, candidate, occupation, level = (short)level, on = on.ToDateTime(TimeOnly.MinValue), actor, name }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.candidate_levels (candidate_id, occupation_code, level, since, source) values (@candidate, @occupation, @level, @on::date, 'appointment')
            on conflict (candidate_id, occupation_code, level, source) do update set since = least(skillshub.candidate_levels.since, excluded.since)
            """, new { candidate, occupation, level = (short)level, on = on.ToDateTime(TimeOnly.MinValue) }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return null;
    }
}
