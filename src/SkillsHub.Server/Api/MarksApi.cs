using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SkillsHub.Abstractions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

public sealed record MarkRequest(string? AspectId, bool? Achieved, decimal? Deviation, int[]? Deductions, int? Score);

public sealed record MarksRequest(string? CompetitorId, List<MarkRequest>? Marks);

public sealed record MarksResponse(bool Accepted, bool Replayed, decimal RawTotal, IReadOnlyList<AspectState> Aspects, DateTimeOffset At);

/// <summary>
/// Judges' marks. Tablets resend: every write carries an Idempotency-Key and a repeat returns the first
/// answer. A mark is acknowledged only after the contestant grain's state write returned.
/// </summary>
public static class MarksApi
{
    public static IEndpointRouteBuilder MapMarksApi(this IEndpointRouteBuilder endpoints)
    {
        var skill = endpoints.MapGroup("/api/competitions/{code}/skills/{number:int}").WithTags("Marking");
        skill.MapPost("/marks", PostMarks).RequireAuthorization(Policies.SkillExpert)
            .WithSummary("A batch of marks for one competitor from the signed-in expert's tablet (Idempotency-Key header required).");
        skill.MapGet("/competitors/{competitorId}/sheet", GetSheet).RequireAuthorization(Policies.SkillChief)
            .WithSummary("A competitor's mark sheet with every judge's score (Chief Expert, organisers).");
        endpoints.MapGet("/api/me/assignment", GetAssignment).WithTags("Marking").RequireAuthorization(Policies.Device)
            .WithSummary("The paired expert's skill, marking groups, aspects and the competitors they may mark.");
        endpoints.MapGet("/api/me/sheet/{competitorId}", GetOwnSheet).WithTags("Marking").RequireAuthorization(Policies.Device)
            .WithSummary("A competitor's sheet as the paired expert may see it: completion and spread per aspect, their own scores only.");
        return endpoints;
    }

    static async Task<Results<Ok<MarksResponse>, ProblemHttpResult>> PostMarks(string code, int number, HttpRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        var key = request.Headers["Idempotency-Key"].ToString().Trim();
        if (key.Length is 0 or > 100)
        {
            return Problems.Validation(("Idempotency-Key", "Send an Idempotency-Key header (1-100 characters, unique per batch) so a resent batch is not counted twice."));
        }
        var (body, problem) = await Body.ReadJsonAsync<MarksRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(body!.CompetitorId))
        {
            errors.Add(("competitorId", "Name the competitor the marks are for."));
        }
        if (body.Marks is null || body.Marks.Count == 0)
        {
            errors.Add(("marks", "Send at least one mark."));
        }
        for (var i = 0; i < (body.Marks?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(body.Marks![i].AspectId))
            {
                errors.Add(($"marks[{i}].aspectId", "Every mark names its aspect."));
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }
        var batch = new MarkBatch(key, user.ExpertId()!, user.DeviceId() ?? "", body.CompetitorId!.Trim(),
            body.Marks!.Select(m => new MarkEntry(m.AspectId!.Trim(), m.Achieved, m.Deviation, m.Deductions?.ToList(), m.Score)).ToList());
        var result = await grains.GetGrain<IContestantGrain>(SkillKey.Contestant(code, number, batch.CompetitorId)).Submit(batch);
        return result.Accepted
            ? TypedResults.Ok(new MarksResponse(true, result.Replayed, result.RawTotal, result.Aspects, result.At))
            : Refused(result);
    }

    /// <summary>The first refusal decides the status; all of them are listed, each naming its aspect.</summary>
    static ProblemHttpResult Refused(MarkBatchResult result)
    {
        var first = result.Refusals[0];
        var (status, title) = first.Kind switch
        {
            RefusalKind.NotAssigned => (StatusCodes.Status403Forbidden, "Not assigned"),
            RefusalKind.Compatriot => (StatusCodes.Status403Forbidden, "Compatriot marking not allowed"),
            RefusalKind.UnknownExpert => (StatusCodes.Status403Forbidden, "Unknown expert"),
            RefusalKind.Locked => (StatusCodes.Status409Conflict, "Criterion locked"),
            RefusalKind.SpreadViolation => (StatusCodes.Status409Conflict, "Judgement spread violation"),
            RefusalKind.NoScheme => (StatusCodes.Status409Conflict, "No marking scheme"),
            RefusalKind.UnknownCompetitor => (StatusCodes.Status404NotFound, "Unknown competitor"),
            RefusalKind.UnknownAspect => (StatusCodes.Status422UnprocessableEntity, "Unknown aspect"),
            _ => (StatusCodes.Status422UnprocessableEntity, "Value out of range"),
        };
        var extensions = new Dictionary<string, object?>
        {
            ["kind"] = first.Kind.ToString(),
            ["aspectId"] = first.AspectId,
            ["scores"] = first.Scores,
            ["replayed"] = result.Replayed,
            ["refusals"] = result.Refusals.Select(r => new { aspectId = r.AspectId, kind = r.Kind.ToString(), message = r.Message, scores = r.Scores }).ToList(),
        };
        return TypedResults.Problem(title: title, detail: first.Message, statusCode: status, extensions: extensions);
    }

    static async Task<Ok<ContestantSheet>> GetSheet(string code, int number, string competitorId, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IContestantGrain>(SkillKey.Contestant(code, number, competitorId)).GetSheet());

    static async Task<Results<Ok<JudgeAssignment>, ProblemHttpResult>> GetAssignment(IGrainFactory grains, ClaimsPrincipal user)
    {
        var assignment = await grains.GetGrain<IJudgeGrain>(SkillKey.Judge(user.Competition()!, user.SkillNumber()!.Value, user.ExpertId()!)).GetAssignment();
        return assignment is null
            ? Problems.NotFound("Not registered", "This tablet's expert is no longer registered in the skill.", "expert")
            : TypedResults.Ok(assignment);
    }

    public sealed record OwnAspect(string AspectId, bool Complete, bool SpreadViolation, int ScoresReceived, int? OwnScore, string? Measurement, decimal? Mark);

    public sealed record OwnSheet(string CompetitorId, IReadOnlyList<OwnAspect> Aspects, long Version);

    static async Task<Results<Ok<OwnSheet>, ProblemHttpResult>> GetOwnSheet(string competitorId, IGrainFactory grains, ClaimsPrincipal user)
    {
        var code = user.Competition()!;
        var number = user.SkillNumber()!.Value;
        var expertId = user.ExpertId()!;
        var assignment = await grains.GetGrain<IJudgeGrain>(SkillKey.Judge(code, number, expertId)).GetAssignment();
        if (assignment is null || assignment.Competitors.All(c => c.Id != competitorId))
        {
            return Problems.NotFound("Unknown competitor", $"Competitor '{competitorId}' is not one this expert may mark.", "competitorId");
        }
        var sheet = await grains.GetGrain<IContestantGrain>(SkillKey.Contestant(code, number, competitorId)).GetSheet();
        // Judges score independently: an expert sees the group's progress, never the other judges' scores.
        var aspects = sheet.Aspects.Select(a => new OwnAspect(a.AspectId, a.Complete, a.SpreadViolation, a.Scores.Count,
            a.Scores.FirstOrDefault(s => s.ExpertId == expertId)?.Score, a.Measurement, a.Complete ? a.Mark : null)).ToList();
        return TypedResults.Ok(new OwnSheet(competitorId, aspects, sheet.Version));
    }
}
