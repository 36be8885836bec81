using SkillsHub.Abstractions;
using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;
using SkillsHub.Storage;
using Text = SkillsHub.Domain.Text.TextInput;

namespace SkillsHub.Server.Api;

/// <summary>
/// A setup import's answer: whether it changed anything, how many rows, and what else it changed that the importer should
/// know (a scheme that took targets out of the marking groups: docs/scoring.md, "Setup imports"), each with its code and
/// arguments for the pages' texts.
/// </summary>
public sealed record ImportResponse(bool Changed, int Count)
{
    public IReadOnlyList<ImportNote> Notes { get; init; } = [];
}

public sealed record ImportNote(string Field, string Code, IReadOnlyDictionary<string, string>? Args, string Message);

public sealed record LockRequest(string? Target);

public sealed record UnlockRequest(string? Reason);

public sealed record VisibilityRequest(VisibilityMode? Mode, DateTimeOffset? FrozenAt = null);

/// <summary>
/// Organisers set competitions up (competitions, skills, competitors, experts, marking schemes, marking
/// groups: CSV or JSON, all-or-nothing with every row's problem, re-running a file changes nothing);
/// Chief Experts lock and unlock criteria; organisers set visibility and publish.
/// </summary>
public static partial class SetupApi
{
    public static IEndpointRouteBuilder MapSetupApi(this IEndpointRouteBuilder endpoints)
    {
        var competitions = endpoints.MapGroup("/api/competitions").WithTags("Setup");
        competitions.MapPost("/", CreateCompetition).RequireAuthorization(Policies.Organiser).AcceptsJson<CreateCompetitionRequest>().WithFormBody()
            .WithSummary("Creates a competition (code, names, city, country, dates): 201, or 200 when the same competition exists already.");
        competitions.MapPut("/{code}/skills", ImportSkills).RequireAuthorization(Policies.Organiser)
            .AcceptsJson<List<RosterImport.SkillJson>>().AcceptsCsv("number,name_en,name_zh,sector,team_size,competitor_max_age")
            .WithSummary("Adds or updates skills from CSV (number,name_en,name_zh,sector,team_size,competitor_max_age) or JSON.");

        var skill = endpoints.MapGroup("/api/competitions/{code}/skills/{number:skill}").WithTags("Setup");
        skill.MapGet("/", GetSkill).RequireAuthorization(Policies.Public).AnswersByCaller().WithSummary("One skill of the competition: names, sector, team size, age limit; for its jury also the event summary (counts, visibility, locks).");
        skill.MapPut("/competitors", ImportCompetitors).RequireAuthorization(Policies.Organiser)
            .AcceptsJson<List<RosterImport.CompetitorJson>>().AcceptsCsv("id,member,first_name,last_name[,team]")
            .WithSummary("CSV id,member,first_name,last_name[,team] (team members share an id) or JSON [{id, member, name, people:[{firstName,lastName}]}].");
        MapRosterRemovals(skill);
        skill.MapPut("/experts", ImportExperts).RequireAuthorization(Policies.Organiser)
            .AcceptsJson<List<RosterImport.ExpertJson>>().AcceptsCsv("id,member,name,role")
            .WithSummary("CSV id,member,name,role (Chief Expert, Deputy Chief Expert, Expert) or JSON.");
        skill.MapPut("/scheme", ImportScheme).RequireAuthorization(Policies.Organiser).Allows("judges", Domain.Scoring.ScoringOptions.JudgeCounts)
            .AcceptsJson<SchemeJson.SchemeDto>().AcceptsCsv("The CIS import sheet layout")
            .WithSummary("Marking scheme as CSV (CIS import sheet layout) or JSON; ?judges=3|5&allowCompatriots=false&title=...");
        skill.MapPut("/marking-groups", ImportGroups).RequireAuthorization(Policies.Organiser)
            .AcceptsJson<List<RosterImport.GroupJson>>().AcceptsCsv("id,name,targets,experts (lists separated by ';')")
            .WithSummary("CSV id,name,targets,experts (lists separated by ';') or JSON [{id,name,targets:[],experts:[]}].");
        skill.MapGet("/competitors", async (string code, int number, IGrainFactory grains) =>
            TypedResults.Ok(await Event(grains, code, number).GetCompetitors())).RequireAuthorization(Policies.Public)
            .WithSummary("The skill's competitors (id, member, name, team members).");
        skill.MapGet("/experts", async (string code, int number, IGrainFactory grains) =>
            TypedResults.Ok(await Event(grains, code, number).GetExperts())).RequireAuthorization(Policies.SkillChief)
            .WithSummary("The skill's experts and their roles (Chief Expert, organisers).");
        skill.MapGet("/marking-groups", async (string code, int number, IGrainFactory grains) =>
            TypedResults.Ok(await Event(grains, code, number).GetMarkingGroups())).RequireAuthorization(Policies.SkillChief)
            .WithSummary("The skill's marking groups: which experts mark which criteria.");
        skill.MapGet("/scheme", GetScheme).RequireAuthorization(Policies.SkillReader).Allows("format", AllowedValues.SchemeFormats)
            .Produces<SchemeJson.SchemeDto>(StatusCodes.Status200OK, "application/json").ProducesContent("text/csv")
            .WithSummary("The skill's marking scheme as JSON (?format=csv: the CIS import sheet layout).");
        skill.MapPost("/locks", Lock).RequireAuthorization(Policies.SkillChief).AcceptsJson<LockRequest>().WithFormBody().WithSummary("Locks a criterion (\"A\") or a marking day (\"C1\") after sign-off.");
        skill.MapPost("/locks/{target}/unlock", Unlock).RequireAuthorization(Policies.SkillChief).AcceptsJson<UnlockRequest>().WithFormBody().WithSummary("Unlocks with a reason (audited).");
        skill.MapPut("/visibility", SetVisibility).RequireAuthorization(Policies.Organiser).AcceptsJson<VisibilityRequest>().WithFormBody()
            .WithSummary("Live, frozen at a time (spectators see standings as of then) or hidden until published.");
        skill.MapPost("/publish", Publish).RequireAuthorization(Policies.Organiser).WithSummary("Publishes final results (audited); spectators then see them.");
        skill.MapGet("/audit", ReadAudit).RequireAuthorization(Policies.SkillChief).WithPageLimit(AuditMaxPage).WithSummary("The append-only trail, per competitor and/or aspect.");
        return endpoints;
    }

    internal static IEventGrain Event(IGrainFactory grains, string code, int number) => grains.GetGrain<IEventGrain>(SkillKey.Format(code, number));


    /// <summary>The skill; its event summary (counts, visibility, locks and who set them) only to its jury, not for caches to
    /// share (found by an outside tester: anyone read the locks' authors, the freeze plan, a hidden skill's sign-offs).</summary>
    static async Task<Results<Ok<SetupApiSkill>, ProblemHttpResult>> GetSkill(string code, int number, CompetitionStore store, IGrainFactory grains, ClaimsPrincipal user,
        HttpContext http, CancellationToken ct)
    {
        var skill = await store.FindSkillAsync(code, number, ct);
        if (skill is null)
        {
            return Problems.UnknownSkill(code, number);
        }
        var jury = user.IsJury(code, number);
        if (jury)
        {
            CallerDependent.Mark(http);
        }
        return TypedResults.Ok(new SetupApiSkill(skill.CompetitionCode, skill.Number, skill.Name, skill.NameZh, skill.Sector, skill.TeamSize, skill.CompetitorMaxAge,
            jury ? await Event(grains, code, number).GetSummary() : null));
    }

    /// <summary>A skill; <c>Event</c> is null unless the caller is the skill's jury (Chief Expert, organisers, admins).</summary>
    public sealed record SetupApiSkill(string CompetitionCode, int Number, string Name, string? NameZh, string? Sector, int? TeamSize, int? CompetitorMaxAge, EventSummary? Event);

    static async Task<Results<Created<CreateCompetitionRequest>, Ok<CreateCompetitionRequest>, ProblemHttpResult>> CreateCompetition(HttpRequest request, CompetitionStore store, CancellationToken ct)
    {
        var (body, problem) = await Body.ReadJsonAsync<CreateCompetitionRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new List<(string, string)>();
        var code = body!.Code?.Trim().ToUpperInvariant();
        if (!Identifiers.IsCompetitionCode(code))
        {
            errors.Add(("code", Identifiers.CompetitionCodeRule));
        }
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            errors.Add(("name", "The competition's name is required."));
        }
        // Each missing one names itself (found by an outside tester: a missing country was reported as the city).
        if (string.IsNullOrWhiteSpace(body.City))
        {
            errors.Add(("city", "The city is required."));
        }
        if (string.IsNullOrWhiteSpace(body.Country))
        {
            errors.Add(("country", "The country is required."));
        }
        if (body.StartsOn is { } s && body.EndsOn is { } e && e < s)
        {
            errors.Add(("endsOn", "The competition cannot end before it starts."));
        }
        // Found by an outside tester: 0001-01-01 and 9999-12-31 were stored.
        foreach (var (field, date) in new[] { ("startsOn", body.StartsOn), ("endsOn", body.EndsOn) })
        {
            if (date is { Year: < 1950 or > 2100 })
            {
                errors.Add((field, "A competition's dates are between 1950 and 2100."));
            }
        }
        if (errors.Count > 0)
        {
            // Values that break the rules are 422, naming each field (docs/scoring.md, "Limits and identifiers").
            return Problems.Unprocessable("The competition was not created", errors);
        }
        // Stored as other names are (docs/security.md, "Files and text"): trimmed, NFC, a blank Chinese name none (found by an
        // outside tester: "  Probe Three  " was stored with its spaces).
        var stored = body with { Code = code, Name = Text.Normalise(body.Name!), NameZh = Text.NormaliseOptional(body.NameZh), City = Text.Normalise(body.City!), Country = Text.Normalise(body.Country!),
            CityZh = Text.NormaliseOptional(body.CityZh), CountryZh = Text.NormaliseOptional(body.CountryZh) };
        // The Chinese pages show the city and country in Chinese: a country left without one takes the WorldSkills member's of
        // that name ("China": 中国; found by an outside tester: "Shanghai, China" on the Chinese landing page).
        if (stored.CountryZh is null && await store.MemberNameZhAsync(stored.Country!, ct) is { } countryZh)
        {
            stored = stored with { CountryZh = countryZh };
        }
        if (await store.CreateAsync(stored, ct))
        {
            return TypedResults.Created($"/api/competitions/{code}", stored);
        }
        var existing = await store.CreatedAsync(code!, ct);
        return existing == stored
            ? TypedResults.Ok(existing)
            : Problems.Conflict("Competition exists", $"A different competition with code '{code}' already exists.", "code");
    }

    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportSkills(string code, HttpRequest request, CompetitionStore store, IGrainFactory grains, CancellationToken ct)
    {
        var (text, encoding) = await Body.ReadTextAsync(request);
        var parsed = encoding is null ? RosterImport.Skills(text!, Body.IsCsv(request)) : new Parsed<RosterImport.SkillImport>([], [encoding]);
        if (parsed.Ok)
        {
            parsed = parsed with { Errors = await TeamSizes.MisfitsAsync(code, parsed, store, grains, ct) };
        }
        if (!parsed.Ok)
        {
            return RowErrors("The skills file was not imported", parsed.Errors);
        }
        if (await store.ImportSkillsAsync(code, parsed.Items, ct) is not { } changed)
        {
            return Problems.UnknownCompetition(code);
        }
        return TypedResults.Ok(new ImportResponse(changed > 0, parsed.Items.Count));
    }

    static Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportCompetitors(string code, int number, HttpRequest request, CompetitionStore store, IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct) =>
        ImportRosterAsync(code, number, request, store, grains, "The competitors file was not imported", async (skill, text, csv) =>
        {
            var existing = skill.AllowSeveralPerMember ? [] : await Event(grains, code, number).GetCompetitors();
            return RosterImport.Competitors(text, csv, await store.MemberCodesAsync(ct), skill.TeamSize ?? 1, skill.AllowSeveralPerMember ? null : existing);
        }, (grain, items, skill) => grain.ImportCompetitors(items, !skill.AllowSeveralPerMember, user.Actor()), ct);

    static Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportExperts(string code, int number, HttpRequest request, CompetitionStore store, IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct) =>
        ImportRosterAsync(code, number, request, store, grains, "The experts file was not imported",
            async (_, text, csv) => RosterImport.Experts(text, csv, await store.MemberCodesAsync(ct)),
            (grain, items, _) => grain.ImportExperts(items, user.Actor()), ct);

    static Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportGroups(string code, int number, HttpRequest request, CompetitionStore store, IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct) =>
        ImportRosterAsync(code, number, request, store, grains, "The marking groups file was not imported",
            (_, text, csv) => Task.FromResult(RosterImport.Groups(text, csv)),
            (grain, items, _) => grain.SetMarkingGroups(items, user.Actor()), ct);

    /// <summary>
    /// One roster import (competitors, experts, marking groups): the skill must exist, the file parses
    /// all-or-nothing with every row's problem, then the event grain applies it (and may refuse rows too).
    /// </summary>
    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportRosterAsync<T>(string code, int number, HttpRequest request, CompetitionStore store, IGrainFactory grains,
        string refusal, Func<SkillRow, string, bool, Task<Parsed<T>>> parse, Func<IEventGrain, List<T>, SkillRow, Task<SetupResult>> apply, CancellationToken ct)
    {
        if (await store.FindSkillAsync(code, number, ct) is not { } skill)
        {
            return Problems.UnknownSkill(code, number);
        }
        var (text, encoding) = await Body.ReadTextAsync(request);
        var parsed = encoding is null ? await parse(skill, text!, Body.IsCsv(request)) : new Parsed<T>([], [encoding]);
        if (!parsed.Ok)
        {
            return RowErrors(refusal, parsed.Errors);
        }
        var result = await apply(Event(grains, code, number), parsed.Items.ToList(), skill);
        return result.Errors.Count > 0
            // The grain numbers entries and names fields by their CSV columns: both said as the file says them.
            ? RowErrors(refusal, result.Errors.Select(e => e with { Row = parsed.RowOf(e.Row), Field = parsed.FieldOf(parsed.RowOf(e.Row), e.Field) }).ToList())
            : TypedResults.Ok(new ImportResponse(result.Changed, result.Count) { Notes = Notes(result) });
    }

    /// <summary>What an accepted import says beside its count (a scheme's groups refitted, a judgement aspect the groups cannot complete).</summary>
    static IReadOnlyList<ImportNote> Notes(SetupResult result) => [.. (result.Notes ?? []).Select(n => new ImportNote(n.Field, n.Code, n.Args, n.Message))];

    static async Task<Results<ContentHttpResult, FileContentHttpResult, ProblemHttpResult>> GetScheme(string code, int number, IGrainFactory grains, HttpRequest request, string? format = null)
    {
        // An unknown format is refused, not answered in JSON as if asked for ("?format=xml", "?format=CSV" read as csv).
        format = format?.ToLowerInvariant();
        if (format is null)
        {
            // Without ?format, an Accept that ranks text/csv above JSON gets the sheet: the contract lists both answers
            // (found by an outside tester: a generated client asking by Accept got JSON).
            request.HttpContext.Response.Headers.Vary = "Accept";
            format = PrefersCsv(request) ? "csv" : null;
        }
        if (format is not null && !AllowedValues.SchemeFormats.Contains(format))
        {
            return Problems.Validation(("format", $"Format '{format}' is not json or csv."));
        }
        var json = await Event(grains, code, number).GetSchemeJson();
        if (json is null)
        {
            return Problems.NotFound("No marking scheme", $"Skill {number} of {code} has no marking scheme yet.", "scheme");
        }
        return format == "csv"
            ? CsvDownload.Of(SchemeCsv.Write(SchemeJson.Parse(json).Scheme!), $"{code.ToUpperInvariant()}-{number:00}-scheme.csv")
            : TypedResults.Text(json, "application/json");
    }

    static bool PrefersCsv(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        return Quality("text/csv") > Math.Max(Quality("application/json"), Quality("*/*"));
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
        if (!LockTargets.IsValid(scheme, target))
        {
            return Problems.Validation(("target", LockTargets.Refusal(target)));
        }
        // A lock's audit row is written with the rule change itself (EventGrain.Rules.cs); a lock already in place changes nothing.
        var locked = await grain.Lock(target!, user.Actor(), user.DeviceId());
        if (!locked)
        {
            await audit.WriteAsync([new AuditEntry(code.ToUpperInvariant(), number, null, null, user.Actor(), user.DeviceId(), "lock:" + target, "already locked", null, null, null, null)]);
        }
        return locked
            ? TypedResults.Ok(await grain.GetSummary())
            : Problems.Conflict("Already locked", $"{target} is already locked.", "target");
    }

    static async Task<Results<Ok<EventSummary>, ProblemHttpResult>> Unlock(string code, int number, string target, HttpRequest request, IGrainFactory grains, AuditLog audit, ClaimsPrincipal user)
    {
        var (body, problem) = await Body.ReadJsonAsync<UnlockRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        // Trimmed as every text is, a byte-order mark with the spaces (found by an outside tester).
        var reason = Domain.Text.TextInput.Normalise(body!.Reason ?? "");
        if (reason.Length == 0)
        {
            return Problems.Validation(("reason", "Unlocking a signed-off criterion needs a reason; it is kept in the audit trail."));
        }
        var grain = Event(grains, code, number);
        var unlocked = await grain.Unlock(target, reason, user.Actor(), user.DeviceId());
        if (!unlocked)
        {
            return Problems.NotFound("Not locked", $"{target} is not locked.", "target");
        }
        return TypedResults.Ok(await grain.GetSummary());
    }

    static async Task<Results<Ok<Visibility>, ProblemHttpResult>> SetVisibility(string code, int number, HttpRequest request, IGrainFactory grains, ClaimsPrincipal user, TimeProvider clock)
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
        if (FreezeTime.Refusal(mode == VisibilityMode.Frozen, body.FrozenAt, clock.GetUtcNow()) is { } refusal)
        {
            return mode == VisibilityMode.Frozen
                ? Problems.Unprocessable("The freeze time is refused", [("frozenAt", refusal)])
                : Problems.Unprocessable("Freeze time without a freeze", [("frozenAt", refusal)]);
        }
        var visibility = await Event(grains, code, number).SetVisibility(mode, body.FrozenAt, user.Actor());
        return TypedResults.Ok(visibility);
    }

    /// <summary>
    /// Publishes a skill's final results when there are any: a scheme, competitors and a decided standing (some raw total
    /// above 0; docs/scoring.md, "Results"). An empty skill was published as final (found by an outside tester). Publishing
    /// again is a no-op while the skill has results; a published skill whose marks were corrected down to no total above 0
    /// has none, and is refused like one never published (found by an outside tester: it answered 200).
    /// </summary>
    static async Task<Results<Ok<Visibility>, ProblemHttpResult>> Publish(string code, int number, IGrainFactory grains, ClaimsPrincipal user)
    {
        var grain = Event(grains, code, number);
        var summary = await grain.GetSummary();
        var missing = !summary.HasScheme ? "no marking scheme"
            : summary.Competitors == 0 ? "no competitors"
            // Recompute, not a read: it is queued behind the totals the skill was sent before this request (a read may run
            // ahead of them; found by an outside tester: a publish right after the deciding marks was refused as having none).
            : !(await grain.Recompute()).Decided ? "no marks above 0 yet"
            : null;
        if (missing is not null)
        {
            return Problems.Conflict("Nothing to publish", $"Skill {number} has {missing}: its results would all be 700 with no medal.", "number");
        }
        return TypedResults.Ok(await grain.Publish(user.Actor()));
    }

    /// <summary>
    /// The audit trail, newest first, paged back with <c>before</c> (the last id of the previous page); a filter given
    /// twice, a limit outside 1..5000 or a <c>before</c> below 1 is refused, never guessed at.
    /// </summary>
    /// <summary>The most audit rows one page holds (<c>?limit=</c>, 500 when left out).</summary>
    public const int AuditMaxPage = 5000;

    static async Task<Results<Ok<IReadOnlyList<AuditLog.AuditRow>>, ProblemHttpResult>> ReadAudit(string code, int number, AuditLog audit, CancellationToken ct,
        string? competitor = null, string? aspect = null, int limit = 500, long? before = null)
    {
        // A parameter given twice is refused before this (Platform/SingleQueryValues.cs).
        var errors = Paging.Faults(null, limit, AuditMaxPage, before).ToList();
        // The filters are ids like any other: a control character (NUL) reached the database as a 500 (found by an outside tester).
        errors.AddRange(new[] { ("competitor", competitor), ("aspect", aspect) }
            .Where(f => f.Item2 is not null && !Domain.Marking.Identifiers.IsValid(f.Item2))
            .Select(f => (f.Item1, Domain.Marking.Identifiers.Rule(f.Item1))));
        return errors.Count > 0
            ? Problems.Validation([.. errors])
            : TypedResults.Ok(await audit.ReadAsync(code.ToUpperInvariant(), number, competitor, aspect, limit, ct, before));
    }
}
