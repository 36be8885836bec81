using Hangfire;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

public sealed record ScopeRequest(string? Occupation, int[]? Levels);

public sealed record CreateAgencyRequest(string? Type, string? AgencyCode, string? Province, string? Site, string? Name, ScopeRequest[]? Scope);

public sealed record PromotionRuleRequest(PromotionRule? Rule, Dictionary<string, string>? SkillOccupations);

public sealed record FindingView(long Id, DateTime FoundAt, string Kind, string Subject, string Detail);

/// <summary>Administration: agencies and their filed scope, the occupation catalogue, promotion rules, consistency findings.</summary>
public static class CertificationAdminApi
{
    public static IEndpointRouteBuilder MapCertificationAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/certification").WithTags("Certification: administration").RequireAuthorization(Policies.Admin);
        admin.MapPost("/agencies", CreateAgency).WithSummary("Files an agency: type Y/S, 4-digit code, province, site serial, name, scope (occupation x levels: certificate digits 5..1, 6 for special-grade, 7 for chief; GET /api/agency answers the same numbers).");
        admin.MapGet("/agencies", async (AgencyStore store, CancellationToken ct) => TypedResults.Ok(await store.AgenciesAsync(ct)))
            .WithSummary("Every agency on file with its scope.");
        admin.MapGet("/agencies/{key}", async Task<Results<Ok<AgencyView>, ProblemHttpResult>> (string key, AgencyStore store, CancellationToken ct) =>
            AgencyKey.TryParse(key.Trim().ToUpperInvariant(), out var agencyKey) && await store.AgencyAsync(agencyKey.ToString(), ct) is { } agency
                ? TypedResults.Ok(agency)
                : Problems.NotFound("Unknown agency", $"No agency {key} on file.", "key"))
            .WithSummary("An agency on file with its scope (where its creation's Location points).");
        admin.MapPost("/occupations", ImportOccupations).AcceptsFile("The occupation catalogue (CSV)", "text/csv").WithSummary("Imports the occupation catalogue as CSV (all-or-nothing; processed by a job).");
        admin.MapGet("/imports/{id:guid}", async Task<Results<Ok<ImportView>, ProblemHttpResult>> (Guid id, CertificationStore store, CancellationToken ct) =>
            await store.ImportAsync(id, null, ct) is { } import ? TypedResults.Ok(import) : Problems.NotFound("Unknown import", $"No catalogue import {id}.", "id"))
            .WithSummary("A catalogue import's state (queued, running, succeeded, rejected, failed) and row counts.");
        admin.MapGet("/findings", async (CertificationStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.FindingsAsync(ct)).Select(f => new FindingView(f.Id, f.FoundAt, f.Kind, f.Subject, f.Detail)).ToList()))
            .WithSummary("Anomalies reported by the nightly consistency check (never fixed silently).");
        admin.MapPost("/consistency-check", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted("/api/certification/findings", new JobStarted(jobs.Enqueue<CertificationJobs>(j => j.CheckConsistency(CancellationToken.None)))))
            .WithSummary("Starts the consistency check now (it also runs nightly); its findings appear under /findings.");
        admin.MapPost("/promotions/run", (IBackgroundJobClient jobs) =>
            TypedResults.Accepted((string?)null, new JobStarted(jobs.Enqueue<CertificationJobs>(j => j.Promote(CancellationToken.None)))))
            .WithSummary("Starts the promotion job now: published competition results become promotions, which the agencies filed for them see under /api/agency/promotions (no Location: an administrator has no list of them).");

        endpoints.MapPut("/api/certification/promotion-rules/{competition}", SetPromotionRule).WithTags("Certification: administration").AcceptsJson<PromotionRuleRequest>()
            .RequireAuthorization(Policies.Organiser).WithSummary("Configures how a competition's published results promote competitors.");
        return endpoints;
    }

    /// <summary>
    /// Files an agency (docs/certification.md, "API"): every part of its number prefix, its name and a scope of at least one
    /// occupation with at least one level, each fault a 400 naming its field (<c>province</c>, <c>scope[0].levels</c>);
    /// an occupation not in the catalogue is a 404 naming <c>scope[i].occupation</c>.
    /// </summary>
    static async Task<Results<Created<AgencyView>, ProblemHttpResult>> CreateAgency(CreateAgencyRequest request, AgencyStore store, CancellationToken ct)
    {
        var (filed, faults) = AgencyFiling.Read(request.Type, request.AgencyCode, request.Province, request.Site, request.Name,
            request.Scope?.Select(e => e is null ? null : new ScopeFiling(e.Occupation, e.Levels)).ToList());
        if (filed is null)
        {
            return Problems.Validation([.. faults]);
        }
        var occupations = filed.Scope.Select(e => e.Occupation).Distinct().ToList();
        foreach (var occupation in occupations)
        {
            if (!await store.OccupationExistsAsync(occupation, ct))
            {
                var i = request.Scope!.ToList().FindIndex(e => e?.Occupation?.Trim() == occupation);
                return Problems.NotFound("Unknown occupation", $"Occupation '{occupation}' is not in the catalogue.", $"scope[{i}].occupation");
            }
        }
        var agencyKey = filed.Key;
        if (!await store.CreateAgencyAsync(agencyKey, filed.Name, filed.Scope, ct))
        {
            return Problems.Conflict("Agency exists", $"Agency {agencyKey} is already on file.", "agencyCode");
        }
        return TypedResults.Created($"/api/certification/agencies/{agencyKey}", (await store.AgencyAsync(agencyKey.ToString(), ct))!);
    }

    static async Task<Results<Accepted<Accepted202>, ProblemHttpResult>> ImportOccupations(HttpRequest request, CertificationStore store, IBackgroundJobClient jobs, ClaimsPrincipal user, CancellationToken ct)
    {
        var (content, fileName, problem) = await AgencyApi.ReadUploadAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }
        var id = await store.CreateImportAsync("occupations", null, null, fileName, content!, user.Identity?.Name ?? "admin", ct);
        var jobId = jobs.Enqueue<CertificationJobs>(j => j.Import(id, CancellationToken.None));
        await store.SetImportJobAsync(id, jobId);
        var location = $"/api/certification/imports/{id}";
        return TypedResults.Accepted(location, new Accepted202(id, "queued", location));
    }

    /// <summary>
    /// A rule means what it says (docs/certification.md, "Rules"): bands alone promote by place, award fields alone by award
    /// (unset ones from the national rule), an empty rule <c>{}</c> the national rule; both kinds, unknown awards, appointed
    /// levels, bad or overlapping bands are 422 naming the field. The rule and the skill map are both required (422 naming
    /// <c>rule</c> or <c>skillOccupations</c> when missing or null, and a map naming no skill), as are a band's from, to and
    /// level (400 naming them): a setting without them would map every skill to no occupation and withdraw every promotion
    /// at the next run. Skill maps naming other skills or unknown occupations are 422 naming the key; nothing is stored on
    /// any refusal.
    /// </summary>
    static async Task<Results<NoContent, ProblemHttpResult>> SetPromotionRule(string competition, HttpRequest http, PromotionStore promotions, CancellationToken ct)
    {
        // Read by the server's own reader: levels and awards by name only (Platform/EnumNames.cs), a key given twice refused, a
        // key the rule does not have refused (a misspelt award field would otherwise leave the national rule in force).
        var (request, problem) = await Platform.Body.ReadJsonAsync<PromotionRuleRequest>(http, strict: true);
        if (problem is not null)
        {
            return problem;
        }
        if (Promotions.SettingFaults(request!.Rule, request.SkillOccupations) is { Count: > 0 } faults)
        {
            return faults.Any(f => f.Field.StartsWith("rule", StringComparison.Ordinal))
                ? Problems.Unprocessable("Promotion rule not valid", faults)
                : Problems.Unprocessable("Skill-to-occupation map not valid", faults);
        }
        return await promotions.SetRuleAsync(competition, request.Rule!, request.SkillOccupations!, ct) switch
        {
            null => Problems.NotFound("Unknown competition", $"There is no competition with code '{competition}'.", "competition"),
            { Count: > 0 } mapFaults => Problems.Unprocessable("Skill-to-occupation map not valid", mapFaults),
            _ => TypedResults.NoContent(),
        };
    }
}

/// <summary>A background job started by an administrator: its Hangfire id.</summary>
public sealed record JobStarted(string JobId);
