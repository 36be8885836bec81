// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using System.Text.Json;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>One recorded promotion as an agency officer sees it; Level and CertificateLevel are level digits (5..1).</summary>
public sealed record PromotionView(long Id, string Competition, string? CompetitionName, int Skill, string? SkillName, string? SkillNameZh,
    string CompetitorId, string Name, string MemberCode, string Occupation, string OccupationZh, string OccupationEn,
    int Level, string LevelZh, string LevelEn, string Reason, DateTime DecidedAt,
    string? CertificateNumber, int? CertificateLevel, string? HolderName, string? IdNumberMasked, DateOnly? IssuedOn, string? CertificateStatus,
    DateTime? WithdrawnAt, string? WithdrawnReason, string? AccessToken = null);

/// <summary>The promotions an officer's agency may certify, and the members whose competitors the national rule covers.</summary>
public sealed record PromotionList(IReadOnlyList<string> Members, IReadOnlyList<PromotionView> Items);

/// <summary>The holder's identity, which standings never carry; Name is the legal name when it differs from the competitor name.</summary>
public sealed record IssuePromotionRequest(string? IdType, string? IdNumber, [property: System.ComponentModel.DataAnnotations.MaxLength(100)] string? Name = null);

/// <summary>
/// Promotions and the certificates for them (promotions, promotion_rules): the promotions job records entitlements
/// from published results; an officer supplies the holder's ID and issues here, one promotion at a time, through the
/// same serial allocation as batch issuance (<see cref="CertificateStore.AllocateSerialsAsync"/>).
/// The promotion row is locked for the transaction, so a repeat (or a concurrent request) finds the
/// certificate and returns it; certificates.promotion_id is unique as the last line of defence.
/// </summary>
public sealed class PromotionStore(NpgsqlDataSource db, IConfiguration configuration, TimeProvider clock, Observability.SkillsHubMetrics metrics)
{
    /// <summary>
    /// Members whose competitors a promotion may certify. Promotion is a Chinese national rule
    /// (docs/certification.md), so the default is China only; our policy [P], configurable as Certification:PromotionMembers.
    /// </summary>
    public IReadOnlyList<string> Members => PromotionMembers.Read(configuration);

    sealed record PromotionRow(long Id, string Competition, string? CompetitionName, short Skill, string? SkillName, string? SkillNameZh,
        string CompetitorId, string Name, string MemberCode, string Occupation, string OccupationZh, string OccupationEn, short Level, string Reason, DateTime DecidedAt,
        string? CertificateNumber, short? CertificateLevel, string? HolderName, string? IdNumber, DateOnly? IssuedOn, string? CertificateStatus, DateTime? WithdrawnAt, string? WithdrawnReason)
    {
        public PromotionView View()
        {
            var level = (SkillLevel)Level;
            return new(Id, Competition, CompetitionName, Skill, SkillName, SkillNameZh, CompetitorId, Name, MemberCode, Occupation, OccupationZh, OccupationEn,
                level.Digit(), level.ChineseName(), level.EnglishName(), Reason, DecidedAt,
                CertificateNumber, CertificateLevel, HolderName, IdNumber is null ? null : IdNumbers.Mask(IdNumber), IssuedOn, CertificateStatus, WithdrawnAt, WithdrawnReason);
        }
    }

    /// <summary>
    /// Promotions of covered members whose occupation and level lie in the agency's filed scope, not
    /// certified by another agency; <paramref name="status"/> "open" or "issued" narrows them.
    /// </summary>
    /// <summary>The most promotions one page holds (the endpoint refuses a larger limit: Platform/Paging.cs).</summary>
    public const int MaxPage = 500;

    /// <summary>How many promotions a page holds when the request gives no limit.</summary>
    public const int DefaultPage = 200;

    public async Task<PromotionList> ListAsync(string agency, string? status, long after, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PromotionRow>(new CommandDefinition("""
            select p.id, p.competition_code as Competition, k.name as CompetitionName, p.skill_number as Skill, s.name as SkillName, s.name_zh as SkillNameZh,
                   p.competitor_id as CompetitorId, p.name, p.member_code as MemberCode, p.occupation_code as Occupation, o.name_zh as OccupationZh, o.name_en as OccupationEn,
                   p.level, p.reason, p.decided_at as DecidedAt,
                   c.number as CertificateNumber, c.level as CertificateLevel, c.holder_name as HolderName, c.id_number as IdNumber, c.issued_on as IssuedOn,
                   c.status as CertificateStatus, p.withdrawn_at as WithdrawnAt, p.withdrawn_reason as WithdrawnReason
            from skillshub.promotions p
            join skillshub.occupations o on o.code = p.occupation_code
            left join skillshub.competitions k on k.code = p.competition_code
            left join skillshub.skills s on s.competition_code = p.competition_code and s.number = p.skill_number
            left join skillshub.certificates c on c.promotion_id = p.id
            where p.member_code = any(@members) and p.level between 1 and 5 and p.id > @after
              and exists (select 1 from skillshub.agency_scope sc where sc.agency_key = @agency and sc.occupation_code = p.occupation_code and sc.level = p.level)
              and (c.number is null or c.agency_key = @agency)
              and (p.withdrawn_at is null or c.number is not null)
              and (@status::text is null or (@status = 'open') = (c.number is null))
            order by p.id limit @limit
            """, new { agency, members = Members.ToArray(), after, limit, status }, cancellationToken: ct));
        return new PromotionList(Members, rows.Select(r => r.View()).ToList());
    }

    sealed record Locked(long Id, string Competition, string CompetitorId, string Name, string MemberCode, string Occupation, short Level, DateTime? WithdrawnAt, string? WithdrawnReason);

    sealed record Existing(string Number, string AgencyKey, string IdType, string IdNumber);

    /// <summary>Issues (or, on a repeat, returns) the certificate for one promotion. Input is validated by the caller.</summary>
    public async Task<PromotionIssue> IssueAsync(string agencyKey, long promotionId, string idType, string idNumber, string? name, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var promotion = await connection.QuerySingleOrDefaultAsync<Locked>(new CommandDefinition("""
            select id, competition_code as Competition, competitor_id as CompetitorId, name, member_code as MemberCode, occupation_code as Occupation, level,
                   withdrawn_at as WithdrawnAt, withdrawn_reason as WithdrawnReason
            from skillshub.promotions where id = @promotionId for update
            """, new { promotionId }, transaction, cancellationToken: ct));
        if (promotion is null)
        {
            return new PromotionIssue.NotFound();
        }
        // Agency isolation (docs/security.md): a promotion this agency cannot see (another member's, or
        // outside its scope) answers exactly like a missing one.
        if (!Members.Contains(promotion.MemberCode, StringComparer.OrdinalIgnoreCase))
        {
            return new PromotionIssue.NotFound();
        }
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists (select 1 from skillshub.agencies where key = @agencyKey)",
            new { agencyKey }, transaction, cancellationToken: ct)))
        {
            return new PromotionIssue.AgencyMissing();
        }
        // No one competes before they are born: a resident ID born after the competition began is not the competitor's.
        var began = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("select starts_on from skillshub.competitions where code = @code",
            new { code = promotion.Competition }, transaction, cancellationToken: ct));
        if (IdNumbers.BirthDate(idType, idNumber) is { } born && began is { } start && born > DateOnly.FromDateTime(start))
        {
            return new PromotionIssue.BornAfterCompetition(born, DateOnly.FromDateTime(start));
        }
        var agency = await AgencyStore.LoadAgencyAsync(connection, agencyKey, ct, transaction);
        var recorded = (SkillLevel)promotion.Level;
        // Scope first, as for sessions: an agency outside it learns nothing about the promotion's certificate.
        if (agency.EvaluationRefusal(promotion.Occupation, recorded) is not null)
        {
            return new PromotionIssue.NotFound();
        }
        var existing = await connection.QuerySingleOrDefaultAsync<Existing>(new CommandDefinition("""
            select number, agency_key as AgencyKey, id_type as IdType, id_number as IdNumber from skillshub.certificates where promotion_id = @promotionId
            """, new { promotionId }, transaction, cancellationToken: ct));
        // A withdrawn promotion certifies nobody new; a certificate it already gave stays valid and a repeat returns it
        // (docs/certification.md, "Withdrawn promotions").
        if (promotion.WithdrawnAt is not null && existing is null)
        {
            return new PromotionIssue.Withdrawn(promotion.WithdrawnReason);
        }
        if (existing is not null)
        {
            if (existing.AgencyKey != agencyKey)
            {
                return new PromotionIssue.CertifiedOtherwise("Another agency has already issued the certificate for this promotion.", null);
            }
            return existing.IdType == idType && existing.IdNumber == idNumber
                ? new PromotionIssue.Issued(existing.Number, Created: false)
                : new PromotionIssue.CertifiedOtherwise("The certificate for this promotion was issued to another ID; a promotion yields one certificate.", existing.Number);
        }

        // The holder: the person with this ID. The name is checked only against this agency's own records
        // of the person (agency isolation, docs/security.md): another agency's registration is never
        // compared with, echoed or used, so an ID number tells this agency nothing it did not know.
        var given = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.candidates (id_type, id_number, name) values (@idType, @idNumber, @holder) on conflict (id_type, id_number) do nothing
            """, new { idType, idNumber, holder = given ?? promotion.Name }, transaction, cancellationToken: ct));
        var candidate = await connection.QuerySingleAsync<(long id, string name)>(new CommandDefinition(
            "select id, name from skillshub.candidates where id_type = @idType and id_number = @idNumber for update", new { idType, idNumber }, transaction, cancellationToken: ct));
        var known = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("select " + LevelRecords.AgencyName("@id", "@agencyKey"),
            new { id = candidate.id, agencyKey }, transaction, cancellationToken: ct));
        if (given is not null && known is not null && given != known)
        {
            return new PromotionIssue.NameMismatch();
        }
        // No name given: the certificate is the competitor's, so an ID this agency knows under another person's name is
        // refused rather than certified in that person's name (docs/certification.md, "Certificates for promotions").
        if (given is null && known is not null && !HolderPrivacy.NameMatches(known, promotion.Name))
        {
            return new PromotionIssue.NotTheCompetitor();
        }
        var holder = given ?? known ?? promotion.Name;

        // The levels held today, as eligibility counts them: a revoked or suspended certificate neither blocks nor moves the
        // certificate up (docs/certification.md, "Levels held").
        var today = CertificateStore.TodayInChina(clock);
        var held = LevelsHeld.Highest(await LevelRecords.ReadAsync(connection, transaction, candidate.id, promotion.Occupation, agencyKey, holder, ct), today);
        var rule = await RuleAsync(connection, transaction, promotion.Competition, ct);
        if (Promotions.LevelOnIssue(rule, recorded, held) is not { } level)
        {
            return new PromotionIssue.AlreadyHeld(held!.Value);
        }
        if (level != recorded && agency.EvaluationRefusal(promotion.Occupation, level) is { } higherRefusal)
        {
            return new PromotionIssue.OutsideScope(promotion.Occupation, level, higherRefusal);
        }

        var year = (short)(today.Year % 100);
        var digit = (short)level.Digit();
        var serial = await CertificateStore.AllocateSerialsAsync(connection, transaction, agencyKey, year, digit, 1, ct);
        var number = CertificateNumber.Format(agency.Key, year, level, serial);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.certificates (number, promotion_id, candidate_id, holder_name, id_type, id_number, occupation_code, work_type, level, agency_key, issue_year, serial, issued_on, issued_by, issued_at, occupation_zh, occupation_en, validity_years)
            select @number, @promotionId, @candidate, @holder, @idType, @idNumber, @occupation, '', @digit, @agencyKey, @year, @serial, @today::date, @actor, @issuedAt, o.name_zh, o.name_en, o.certificate_validity_years from skillshub.occupations o where o.code = @occupation;
            insert into skillshub.candidate_levels (candidate_id, occupation_code, level, since, source)
            values (@candidate, @occupation, @levelValue, @today::date, 'promotion') on conflict do nothing;
            """, new
        {
            number, promotionId, candidate = candidate.id, holder, idType, idNumber, occupation = promotion.Occupation, digit, agencyKey, year, serial,
            today = today.ToDateTime(TimeOnly.MinValue), actor, levelValue = (short)level, issuedAt = clock.GetUtcNow(),
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        metrics.CertificatesIssued.Add(1);
        return new PromotionIssue.Issued(number, Created: true);
    }

    /// <summary>
    /// A competition skill with its promotion rule and the occupation it maps to (null: none, so no promotions). Fault:
    /// the competition's stored rule cannot be used (its promotions are left as they are until it is set again).
    /// </summary>
    public sealed record SkillPromotion(string Competition, int Skill, string SkillName, PromotionRule Rule, string? Occupation, string? Fault = null);

    /// <summary>
    /// Every skill with its competition's rule (the national one unless set) and occupation: the
    /// competition's own skill map when it has one, else the catalogue's WorldSkills skill column.
    /// </summary>
    public async Task<IReadOnlyList<SkillPromotion>> SkillPromotionsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var catalogue = await connection.QueryAsync<(string code, string? worldskills_skill)>(new CommandDefinition("select code, worldskills_skill from skillshub.occupations", cancellationToken: ct));
        var defaultMapping = Promotions.SkillMapping(catalogue);
        var rules = (await connection.QueryAsync<(string competition_code, string rule, string? skill_occupations)>(new CommandDefinition(
            "select competition_code, rule::text, skill_occupations::text from skillshub.promotion_rules", cancellationToken: ct))).ToDictionary(r => r.competition_code);
        var skills = await connection.QueryAsync<(string competition_code, short number, string name)>(new CommandDefinition(
            "select competition_code, number, name from skillshub.skills order by competition_code, number", cancellationToken: ct));
        var parsed = new Dictionary<string, (PromotionRule Rule, IReadOnlyDictionary<string, string> Mapping, string? Fault)>();
        var list = new List<SkillPromotion>();
        foreach (var skill in skills)
        {
            if (!parsed.TryGetValue(skill.competition_code, out var setting))
            {
                setting = (PromotionRule.National, defaultMapping, null);
                if (rules.TryGetValue(skill.competition_code, out var configured))
                {
                    // One competition's unusable rule is that competition's fault only (the job skips it and logs why).
                    try
                    {
                        var rule = JsonSerializer.Deserialize<PromotionRule>(configured.rule, PromotionJson.Options) ?? PromotionRule.National;
                        var mapping = configured.skill_occupations is null ? defaultMapping
                            : JsonSerializer.Deserialize<Dictionary<string, string>>(configured.skill_occupations)!;
                        var faults = rule.Faults();
                        setting = (rule, mapping, faults.Count == 0 ? null : string.Join(" ", faults.Select(f => $"rule.{f.Field}: {f.Message}")));
                    }
                    catch (Exception e) when (e is JsonException or ArgumentException)
                    {
                        setting = (PromotionRule.National, defaultMapping, $"the stored rule cannot be read: {e.Message}");
                    }
                }
                parsed[skill.competition_code] = setting;
            }
            var occupation = Promotions.OccupationOf(skill.number, skill.name, setting.Mapping);
            list.Add(new SkillPromotion(skill.competition_code, skill.number, skill.name, setting.Rule, occupation, setting.Fault));
        }
        return list;
    }

    /// <summary>The skills that have promotions recorded, in force or withdrawn: only these can have any to withdraw or reinstate.</summary>
    public async Task<IReadOnlySet<(string Competition, int Skill)>> SkillsWithPromotionsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<(string, short)>(new CommandDefinition(
            "select distinct competition_code, skill_number from skillshub.promotions", cancellationToken: ct))).Select(s => (s.Item1, (int)s.Item2)).ToHashSet();
    }

    /// <summary>
    /// Brings one skill's promotions in line with what its current published standings and rule justify
    /// (<paramref name="justified"/>; empty when the results are not published or the skill maps to no occupation), in one
    /// transaction: promotions in force that are no longer justified are withdrawn (kept, with <paramref name="why"/>), a
    /// certified one justified again is reinstated, and new ones are recorded. Idempotent: a repeat changes nothing.
    /// </summary>
    public async Task<(int Added, int Withdrawn)> ReconcileAsync(string competition, int skill, IReadOnlyList<Promotion> justified, long sequence, string why, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var args = new
        {
            competition, skill = (short)skill, sequence, why,
            competitors = justified.Select(p => p.CompetitorId).ToArray(),
            names = justified.Select(p => p.Name).ToArray(),
            members = justified.Select(p => p.MemberCode).ToArray(),
            occupations = justified.Select(p => p.Occupation).ToArray(),
            levels = justified.Select(p => (short)p.Level).ToArray(),
            reasons = justified.Select(p => p.Reason).ToArray(),
        };
        const string Justified = """
            unnest(@competitors::text[], @names::text[], @members::text[], @occupations::text[], @levels::smallint[], @reasons::text[])
              as j(competitor_id, name, member_code, occupation_code, level, reason)
            """;
        var withdrawn = await connection.ExecuteAsync(new CommandDefinition($"""
            update skillshub.promotions p set withdrawn_at = now(), withdrawn_reason = @why
            where p.competition_code = @competition and p.skill_number = @skill and p.withdrawn_at is null
              and not exists (select 1 from {Justified} where j.competitor_id = p.competitor_id and j.level = p.level and j.occupation_code = p.occupation_code)
            """, args, transaction, cancellationToken: ct));
        // A certified promotion justified again is back in force rather than twinned by a new, open one.
        await connection.ExecuteAsync(new CommandDefinition($"""
            update skillshub.promotions p set withdrawn_at = null, withdrawn_reason = null
            from {Justified}
            where p.competition_code = @competition and p.skill_number = @skill and p.withdrawn_at is not null
              and j.competitor_id = p.competitor_id and j.level = p.level and j.occupation_code = p.occupation_code
              and exists (select 1 from skillshub.certificates c where c.promotion_id = p.id)
              and not exists (select 1 from skillshub.promotions q where q.competition_code = p.competition_code and q.skill_number = p.skill_number
                              and q.competitor_id = p.competitor_id and q.level = p.level and q.withdrawn_at is null)
            """, args, transaction, cancellationToken: ct));
        // An open promotion takes the name the standings give until certified (PublishedRow.ForEachPerson; docs/certification.md, "Teams").
        await connection.ExecuteAsync(new CommandDefinition($"""
            update skillshub.promotions p set name = j.name from {Justified}
            where p.competition_code = @competition and p.skill_number = @skill and p.withdrawn_at is null and j.competitor_id = p.competitor_id
              and j.level = p.level and j.occupation_code = p.occupation_code and p.name <> j.name and not exists (select 1 from skillshub.certificates c where c.promotion_id = p.id)
            """, args, transaction, cancellationToken: ct));
        var added = await connection.ExecuteAsync(new CommandDefinition($"""
            insert into skillshub.promotions (competition_code, skill_number, competitor_id, name, member_code, occupation_code, level, reason, standings_sequence)
            select @competition, @skill, j.competitor_id, j.name, j.member_code, j.occupation_code, j.level, j.reason, @sequence from {Justified}
            on conflict (competition_code, skill_number, competitor_id, level) where withdrawn_at is null do nothing
            """, args, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return (added, withdrawn);
    }

    /// <summary>
    /// Sets a competition's promotion rule (and skill-to-occupation map) once the map names only the competition's skills
    /// (by number or name) and catalogue occupations; the rule and the map's presence are checked by the caller (<see cref="Promotions.SettingFaults"/>).
    /// Null when there is no such competition; otherwise the map's faults by field (empty: saved).
    /// </summary>
    public async Task<IReadOnlyList<(string Field, string Message)>?> SetRuleAsync(string competition, PromotionRule rule, IReadOnlyDictionary<string, string> skillOccupations, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists (select 1 from skillshub.competitions where code = upper(@competition))",
            new { competition }, transaction, cancellationToken: ct)))
        {
            return null;
        }
        var faults = new List<(string, string)>();
        var skills = (await connection.QueryAsync<(short number, string name)>(new CommandDefinition(
            "select number, name from skillshub.skills where competition_code = upper(@competition)", new { competition }, transaction, cancellationToken: ct))).ToList();
        var codes = skillOccupations.Values.Where(v => OccupationCode.TryParse(v, out _)).Select(v => v.Trim()).Distinct().ToArray();
        var known = (await connection.QueryAsync<string>(new CommandDefinition("select code from skillshub.occupations where code = any(@codes)",
            new { codes }, transaction, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        // Each skill once ("7", "07" and its name are one skill): two entries would leave the occupation to chance.
        var mapped = new Dictionary<short, string>();
        foreach (var (key, code) in skillOccupations)
        {
            var field = $"skillOccupations.{key}";
            var skill = skills.FirstOrDefault(s => Promotions.KeyNamesSkill(key, s.number, s.name));
            if (skill.name is null)
            {
                faults.Add((field, $"Competition {competition.ToUpperInvariant()} has no skill '{key}' (give a skill number or name)."));
            }
            else if (!mapped.TryAdd(skill.number, key))
            {
                faults.Add((field, $"Skill {skill.number} ({skill.name}) is mapped twice, as '{mapped[skill.number]}' and as '{key}'."));
            }
            if (!OccupationCode.TryParse(code, out _))
            {
                faults.Add((field, $"'{code}' is not an occupation code: D-DD-DD-DD, major group 1 to 8 (e.g. 6-18-02-04)."));
            }
            else if (!known.Contains(code.Trim()))
            {
                faults.Add((field, $"Occupation {code.Trim()} is not in the catalogue."));
            }
        }
        if (faults.Count > 0)
        {
            return faults;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.promotion_rules (competition_code, rule, skill_occupations) values (upper(@competition), @rule::jsonb, @map::jsonb)
            on conflict (competition_code) do update set rule = excluded.rule, skill_occupations = excluded.skill_occupations
            """, new
        {
            competition,
            rule = JsonSerializer.Serialize(rule, PromotionJson.Options),
            map = JsonSerializer.Serialize(skillOccupations.ToDictionary(e => e.Key.Trim(), e => e.Value.Trim())),
        }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return faults;
    }

    static async Task<PromotionRule> RuleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string competition, CancellationToken ct)
    {
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select rule::text from skillshub.promotion_rules where competition_code = @competition", new { competition }, transaction, cancellationToken: ct));
        return json is null ? PromotionRule.National : JsonSerializer.Deserialize<PromotionRule>(json, PromotionJson.Options) ?? PromotionRule.National;
    }
}

static class PromotionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new Platform.EnumNames() } };
}
