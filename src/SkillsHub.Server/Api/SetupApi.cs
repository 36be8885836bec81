using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using SkillsHub.Abstractions;
using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Grains;
using SkillsHub.Server.Security;
using SkillsHub.Server.Setup;

namespace SkillsHub.Server.Api;

/// <summary>
/// <c>allowSeveralPerMember</c>: more than one competitor (or team) of a member in a skill; off by default,
/// as at WorldSkills (docs/scoring.md, "Competitors per member").
/// </summary>
public sealed record CreateCompetitionRequest(string? Code, string? Name, string? NameZh, string? City, string? Country, DateOnly? StartsOn, DateOnly? EndsOn, bool AllowSeveralPerMember = false);

public sealed record ImportResponse(bool Changed, int Count);

public sealed record LockRequest(string? Target);

public sealed record UnlockRequest(string? Reason);

public sealed record VisibilityRequest(VisibilityMode? Mode, DateTimeOffset? FrozenAt);

/// <summary>
/// Organisers set competitions up (competitions, skills, competitors, experts, marking schemes, marking
/// groups: CSV or JSON, all-or-nothing with every row's problem, re-running a file changes nothing);
/// Chief Experts lock and unlock criteria; organisers set visibility and publish.
/// </summary>
public static class SetupApi
{
    public static IEndpointRouteBuilder MapSetupApi(this IEndpointRouteBuilder endpoints)
    {
        var competitions = endpoints.MapGroup("/api/competitions").WithTags("Setup");
        competitions.MapPost("/", CreateCompetition).RequireAuthorization(Policies.Organiser);
        competitions.MapPut("/{code}/skills", ImportSkills).RequireAuthorization(Policies.Organiser)
            .WithSummary("Adds or updates skills from CSV (number,name_en,name_zh,sector,team_size,competitor_max_age) or JSON.");

        var skill = endpoints.MapGroup("/api/competitions/{code}/skills/{number:int}").WithTags("Setup");
        skill.MapGet("/", GetSkill).RequireAuthorization(Policies.Public);
        skill.MapPut("/competitors", ImportCompetitors).RequireAuthorization(Policies.Organiser)
            .WithSummary("CSV id,member,first_name,last_name[,team] (team members share an id) or JSON [{id, member, name, people:[{firstName,lastName}]}].");
        skill.MapPut("/experts", ImportExperts).RequireAuthorization(Policies.Organiser)
            .WithSummary("CSV id,member,name,role (Chief Expert, Deputy Chief Expert, Expert) or JSON.");
        skill.MapPut("/scheme", ImportScheme).RequireAuthorization(Policies.Organiser)
            .WithSummary("Marking scheme as CSV (CIS import sheet layout) or JSON; ?judges=3|5&allowCompatriots=false&title=...");
        skill.MapPut("/marking-groups", ImportGroups).RequireAuthorization(Policies.Organiser)
            .WithSummary("CSV id,name,targets,experts (lists separated by ';') or JSON [{id,name,targets:[],experts:[]}].");
        skill.MapGet("/competitors", async (string code, int number, IGrainFactory grains) =>
            TypedResults.Ok(await Event(grains, code, number).GetCompetitors())).RequireAuthorization(Policies.Public);
        skill.MapGet("/experts", async (string code, int number, IGrainFactory grains) =>
            TypedResults.Ok(await Event(grains, code, number).GetExperts())).RequireAuthorization(Policies.SkillChief);
        skill.MapGet("/marking-groups", async (string code, int number, IGrainFactory grains) =>
            TypedResults.Ok(await Event(grains, code, number).GetMarkingGroups())).RequireAuthorization(Policies.SkillChief);
        skill.MapGet("/scheme", GetScheme).RequireAuthorization(Policies.SkillReader);
        skill.MapPost("/locks", Lock).RequireAuthorization(Policies.SkillChief).WithSummary("Locks a criterion (\"A\") or a marking day (\"C1\") after sign-off.");
        skill.MapPost("/locks/{target}/unlock", Unlock).RequireAuthorization(Policies.SkillChief).WithSummary("Unlocks with a reason (audited).");
        skill.MapPut("/visibility", SetVisibility).RequireAuthorization(Policies.Organiser)
            .WithSummary("Live, frozen at a time (spectators see standings as of then) or hidden until published.");
        skill.MapPost("/publish", Publish).RequireAuthorization(Policies.Organiser).WithSummary("Publishes final results (audited); spectators then see them.");
        skill.MapGet("/audit", ReadAudit).RequireAuthorization(Policies.SkillChief).WithSummary("The append-only trail, per competitor and/or aspect.");
        return endpoints;
    }

    internal static IEventGrain Event(IGrainFactory grains, string code, int number) => grains.GetGrain<IEventGrain>(SkillKey.Format(code, number));

    internal sealed record SkillRow(string CompetitionCode, int Number, string Name, string? NameZh, string? Sector, int? TeamSize, int? CompetitorMaxAge, bool AllowSeveralPerMember);

    internal static async Task<SkillRow?> FindSkillAsync(NpgsqlDataSource db, string code, int number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SkillRow>(new CommandDefinition("""
            select s.competition_code as CompetitionCode, s.number::int as Number, s.name, s.name_zh as NameZh, s.sector, s.team_size::int as TeamSize,
                   s.competitor_max_age::int as CompetitorMaxAge, c.allow_several_per_member as AllowSeveralPerMember
            from skillshub.skills s join skillshub.competitions c on c.code = s.competition_code
            where s.competition_code = upper(@code) and s.number = @number
            """, new { code, number = (short)number }, cancellationToken: ct));
    }

    internal static ProblemHttpResult UnknownSkill(string code, int number) =>
        Problems.NotFound("Unknown skill", $"Competition '{code}' has no skill {number}.", "number");

    static ProblemHttpResult RowErrors(string title, IEnumerable<RowError> errors) =>
        Problems.Unprocessable(title, errors.Select(e => (e.Row is { } row ? $"row {row}: {e.Field}" : e.Field, e.Message)));

    static async Task<Results<Ok<SetupApiSkill>, ProblemHttpResult>> GetSkill(string code, int number, NpgsqlDataSource db, IGrainFactory grains, CancellationToken ct)
    {
        var skill = await FindSkillAsync(db, code, number, ct);
        if (skill is null)
        {
            return UnknownSkill(code, number);
        }
        return TypedResults.Ok(new SetupApiSkill(skill.CompetitionCode, skill.Number, skill.Name, skill.NameZh, skill.Sector, skill.TeamSize, skill.CompetitorMaxAge,
            await Event(grains, code, number).GetSummary()));
    }

    public sealed record SetupApiSkill(string CompetitionCode, int Number, string Name, string? NameZh, string? Sector, int? TeamSize, int? CompetitorMaxAge, EventSummary Event);

    static async Task<Results<Created<CreateCompetitionRequest>, Ok<CreateCompetitionRequest>, ProblemHttpResult>> CreateCompetition(HttpRequest request, NpgsqlDataSource db, CancellationToken ct)
    {
        var (body, problem) = await Body.ReadJsonAsync<CreateCompetitionRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new List<(string, string)>();
        var code = body!.Code?.Trim().ToUpperInvariant();
        if (code is null || !System.Text.RegularExpressions.Regex.IsMatch(code, "^[A-Z0-9]{3,16}$"))
        {
            errors.Add(("code", "The code is 3 to 16 letters or digits, e.g. NSC2026."));
        }
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            errors.Add(("name", "The competition's name is required."));
        }
        if (string.IsNullOrWhiteSpace(body.City) || string.IsNullOrWhiteSpace(body.Country))
        {
            errors.Add(("city", "City and country are required."));
        }
        if (body.StartsOn is { } s && body.EndsOn is { } e && e < s)
        {
            errors.Add(("endsOn", "The competition cannot end before it starts."));
        }
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.competitions (code, name, name_zh, city, country, starts_on, ends_on, allow_several_per_member)
            values (@code, @Name, @NameZh, @City, @Country, @StartsOn, @EndsOn, @AllowSeveralPerMember) on conflict (code) do nothing
            """, new { code, body.Name, body.NameZh, body.City, body.Country, body.StartsOn, body.EndsOn, body.AllowSeveralPerMember }, cancellationToken: ct));
        var stored = body with { Code = code };
        if (inserted == 1)
        {
            return TypedResults.Created($"/api/competitions/{code}", stored);
        }
        var existing = await connection.QuerySingleAsync<CreateCompetitionRequest>(new CommandDefinition(
            "select code, name, name_zh as NameZh, city, country, starts_on as StartsOn, ends_on as EndsOn, allow_several_per_member as AllowSeveralPerMember from skillshub.competitions where code = @code", new { code }, cancellationToken: ct));
        return existing == stored
            ? TypedResults.Ok(existing)
            : Problems.Conflict("Competition exists", $"A different competition with code '{code}' already exists.", new Dictionary<string, object?> { ["field"] = "code" });
    }

    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportSkills(string code, HttpRequest request, NpgsqlDataSource db, CancellationToken ct)
    {
        var parsed = RosterImport.Skills(await Body.ReadTextAsync(request), Body.IsCsv(request));
        if (!parsed.Ok)
        {
            return RowErrors("The skills file was not imported", parsed.Errors);
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from skillshub.competitions where code = upper(@code))", new { code }, cancellationToken: ct)))
        {
            return Problems.NotFound("Unknown competition", $"There is no competition with code '{code}'.", "code");
        }
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var changed = 0;
        foreach (var s in parsed.Items)
        {
            changed += await connection.ExecuteAsync(new CommandDefinition("""
                insert into skillshub.skills (competition_code, number, name, name_zh, sector, team_size, competitor_max_age)
                values (upper(@code), @number, @Name, @NameZh, @Sector, @teamSize, @maxAge)
                on conflict (competition_code, number) do update set name = excluded.name, name_zh = excluded.name_zh, sector = excluded.sector,
                    team_size = excluded.team_size, competitor_max_age = excluded.competitor_max_age
                where (skills.name, skills.name_zh, skills.sector, skills.team_size, skills.competitor_max_age)
                      is distinct from (excluded.name, excluded.name_zh, excluded.sector, excluded.team_size, excluded.competitor_max_age)
                """, new { code, number = (short)s.Number!.Value, s.Name, s.NameZh, s.Sector, teamSize = (short?)s.TeamSize, maxAge = (short?)s.CompetitorMaxAge }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new ImportResponse(changed > 0, parsed.Items.Count));
    }

    static async Task<IReadOnlySet<string>> MembersAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition("select code from skillshub.members", cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
    }

    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportCompetitors(string code, int number, HttpRequest request, NpgsqlDataSource db, IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct)
    {
        var skill = await FindSkillAsync(db, code, number, ct);
        if (skill is null)
        {
            return UnknownSkill(code, number);
        }
        var existing = skill.AllowSeveralPerMember ? [] : await Event(grains, code, number).GetCompetitors();
        var parsed = RosterImport.Competitors(await Body.ReadTextAsync(request), Body.IsCsv(request), await MembersAsync(db, ct), skill.TeamSize ?? 1,
            skill.AllowSeveralPerMember ? null : existing);
        if (!parsed.Ok)
        {
            return RowErrors("The competitors file was not imported", parsed.Errors);
        }
        var result = await Event(grains, code, number).ImportCompetitors(parsed.Items.ToList(), user.Actor());
        return TypedResults.Ok(new ImportResponse(result.Changed, result.Count));
    }

    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportExperts(string code, int number, HttpRequest request, NpgsqlDataSource db, IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await FindSkillAsync(db, code, number, ct) is null)
        {
            return UnknownSkill(code, number);
        }
        var parsed = RosterImport.Experts(await Body.ReadTextAsync(request), Body.IsCsv(request), await MembersAsync(db, ct));
        if (!parsed.Ok)
        {
            return RowErrors("The experts file was not imported", parsed.Errors);
        }
        var result = await Event(grains, code, number).ImportExperts(parsed.Items.ToList(), user.Actor());
        return TypedResults.Ok(new ImportResponse(result.Changed, result.Count));
    }

    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportGroups(string code, int number, HttpRequest request, NpgsqlDataSource db, IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await FindSkillAsync(db, code, number, ct) is null)
        {
            return UnknownSkill(code, number);
        }
        var parsed = RosterImport.Groups(await Body.ReadTextAsync(request), Body.IsCsv(request));
        if (!parsed.Ok)
        {
            return RowErrors("The marking groups file was not imported", parsed.Errors);
        }
        var result = await Event(grains, code, number).SetMarkingGroups(parsed.Items.ToList(), user.Actor());
        return result.Errors.Count > 0
            ? RowErrors("The marking groups file was not imported", result.Errors)
            : TypedResults.Ok(new ImportResponse(result.Changed, result.Count));
    }

    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportScheme(string code, int number, HttpRequest request, NpgsqlDataSource db, IGrainFactory grains,
        ClaimsPrincipal user, CancellationToken ct, int? judges = null, bool? allowCompatriots = null, string? title = null)
    {
        var skill = await FindSkillAsync(db, code, number, ct);
        if (skill is null)
        {
            return UnknownSkill(code, number);
        }
        var text = await Body.ReadTextAsync(request);
        var parsed = Body.IsCsv(request) ? SchemeCsv.Parse(text, title ?? $"{skill.Name} marking scheme") : SchemeJson.Import(text);
        if (!parsed.IsValid)
        {
            return Problems.Unprocessable("The marking scheme was not imported",
                parsed.Problems.Select(p => (p.Row is { } row ? $"row {row}: {p.Field}" : p.Id is { } id ? $"{id}: {p.Field}" : p.Field, p.Message)));
        }
        var summary = await Event(grains, code, number).GetSummary();
        var result = await Event(grains, code, number).SetScheme(SchemeJson.Write(parsed.Scheme!), judges ?? summary.Judges, allowCompatriots ?? summary.AllowCompatriots, user.Actor());
        if (result.Errors.Count > 0)
        {
            return result.Errors.Any(e => e.Field == "scheme")
                ? Problems.Conflict("Marking scheme locked", result.Errors[0].Message)
                : RowErrors("The marking scheme was not imported", result.Errors);
        }
        return TypedResults.Ok(new ImportResponse(result.Changed, result.Count));
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetScheme(string code, int number, IGrainFactory grains, string? format = null)
    {
        var json = await Event(grains, code, number).GetSchemeJson();
        if (json is null)
        {
            return Problems.NotFound("No marking scheme", $"Skill {number} of {code} has no marking scheme yet.", "scheme");
        }
        return format == "csv"
            ? TypedResults.Text(SchemeCsv.Write(SchemeJson.Parse(json).Scheme!), "text/csv")
            : TypedResults.Text(json, "application/json");
    }

    static async Task<Results<Ok<EventSummary>, ProblemHttpResult>> Lock(string code, int number, HttpRequest request, IGrainFactory grains, AuditLog audit, ClaimsPrincipal user)
    {
        var (body, problem) = await Body.ReadJsonAsync<LockRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        var target = body!.Target?.Trim();
        var grain = Event(grains, code, number);
        var json = await grain.GetSchemeJson();
        var scheme = json is null ? null : SchemeJson.Parse(json).Scheme;
        if (string.IsNullOrEmpty(target) || scheme is null ||
            !(scheme.Criteria.Any(c => c.Id == target) || scheme.Aspects.Any(a => a.MarkingDay == target)))
        {
            return Problems.Validation(("target", $"'{target}' is neither a criterion nor a marking day of this skill's scheme."));
        }
        var locked = await grain.Lock(target, user.Actor());
        await audit.WriteAsync([new AuditEntry(code.ToUpperInvariant(), number, null, null, user.Actor(), user.DeviceId(), "lock:" + target, locked ? "locked" : "already locked", null, null, null, null)]);
        return locked
            ? TypedResults.Ok(await grain.GetSummary())
            : Problems.Conflict("Already locked", $"{target} is already locked.", new Dictionary<string, object?> { ["field"] = "target" });
    }

    static async Task<Results<Ok<EventSummary>, ProblemHttpResult>> Unlock(string code, int number, string target, HttpRequest request, IGrainFactory grains, AuditLog audit, ClaimsPrincipal user)
    {
        var (body, problem) = await Body.ReadJsonAsync<UnlockRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(body!.Reason))
        {
            return Problems.Validation(("reason", "Unlocking a signed-off criterion needs a reason; it is kept in the audit trail."));
        }
        var grain = Event(grains, code, number);
        var unlocked = await grain.Unlock(target, body.Reason.Trim(), user.Actor());
        if (!unlocked)
        {
            return Problems.NotFound("Not locked", $"{target} is not locked.", "target");
        }
        await audit.WriteAsync([new AuditEntry(code.ToUpperInvariant(), number, null, null, user.Actor(), user.DeviceId(), "unlock:" + target, "unlocked", null, null, body.Reason.Trim(), null)]);
        return TypedResults.Ok(await grain.GetSummary());
    }

    static async Task<Results<Ok<Visibility>, ProblemHttpResult>> SetVisibility(string code, int number, HttpRequest request, IGrainFactory grains, AuditLog audit, ClaimsPrincipal user)
    {
        var (body, problem) = await Body.ReadJsonAsync<VisibilityRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Mode is not { } mode || !Enum.IsDefined(mode))
        {
            return Problems.Validation(("mode", "Mode is Live, Frozen or Hidden."));
        }
        var visibility = await Event(grains, code, number).SetVisibility(mode, body.FrozenAt, user.Actor());
        await audit.WriteAsync([new AuditEntry(code.ToUpperInvariant(), number, null, null, user.Actor(), null, "visibility", mode.ToString(), null, body.FrozenAt?.ToString("O"), null, null)]);
        return TypedResults.Ok(visibility);
    }

    static async Task<Ok<Visibility>> Publish(string code, int number, IGrainFactory grains, AuditLog audit, ClaimsPrincipal user)
    {
        var visibility = await Event(grains, code, number).Publish(user.Actor());
        await audit.WriteAsync([new AuditEntry(code.ToUpperInvariant(), number, null, null, user.Actor(), null, "publish", "published", null, null, null, null)]);
        return TypedResults.Ok(visibility);
    }

    static async Task<Ok<IReadOnlyList<AuditLog.AuditRow>>> ReadAudit(string code, int number, AuditLog audit, CancellationToken ct, string? competitor = null, string? aspect = null, int limit = 500) =>
        TypedResults.Ok(await audit.ReadAsync(code.ToUpperInvariant(), number, competitor, aspect, Math.Clamp(limit, 1, 5000), ct));
}
