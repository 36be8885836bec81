using SkillsHub.Abstractions;
using SkillsHub.Domain.Marking;
using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

/// <summary>One aspect's value. A property the body does not have is refused, naming it (docs/scoring.md, "Marks through the API").</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record MarkRequest(string? AspectId, bool? Achieved = null, decimal? Deviation = null, int[]? Deductions = null, int? Score = null);

/// <summary>
/// A batch of marks for one competitor. <c>createdAt</c> (when the tablet created the batch) and
/// <c>deviceSequence</c> (the tablet's own counter) order an expert's batches (docs/scoring.md, "Order"). A property the
/// body does not have is refused, naming it: a misspelt stamp (<c>created_at</c>) read as none let an hour-old batch
/// overwrite a colleague's newer entry (found by an outside tester).
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record MarksRequest(string? CompetitorId, List<MarkRequest>? Marks, DateTimeOffset? CreatedAt = null, long? DeviceSequence = null);

/// <summary>
/// <c>outcome</c> is "accepted", or "superseded" when every entry was older than the expert's stored one
/// (nothing changed); <c>superseded</c> lists such aspects. <c>rawTotal</c>, the competitor's whole raw total, only to the
/// skill's jury (a Chief Expert's tablet); null to an expert, whose tablet sees only its groups' aspects (found by an
/// outside tester: any expert read a competitor's live total, also while the skill was hidden or frozen).
/// </summary>
public sealed record MarksResponse(bool Accepted, bool Replayed, string Outcome, decimal? RawTotal, IReadOnlyList<AspectState> Aspects, IReadOnlyList<string> Superseded, DateTimeOffset At);

/// <summary>
/// Judges' marks. Tablets resend: every write carries an Idempotency-Key, answered for the life of the
/// competition (docs/scoring.md, "Idempotency"). A mark is acknowledged only after its transaction
/// committed. Bounds are checked here, before any grain is called.
/// </summary>
public static class MarksApi
{
    /// <summary>Largest marks body accepted (docs/scoring.md, "Limits").</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Most entries in one batch (and never more than the scheme's aspects, checked by the grain).</summary>
    public const int MaxMarksPerBatch = 200;

    public static IEndpointRouteBuilder MapMarksApi(this IEndpointRouteBuilder endpoints)
    {
        var skill = endpoints.MapGroup("/api/competitions/{code}/skills/{number:skill}").WithTags("Marking");
        skill.MapPost("/marks", PostMarks).RequireAuthorization(Policies.SkillExpert).AcceptsJson<MarksRequest>()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .WithSummary("A batch of marks for one competitor from the signed-in expert's tablet (Idempotency-Key header required; body at most 64 KB, at most 200 marks).");
        skill.MapGet("/competitors/{competitorId}/sheet", GetSheet).RequireAuthorization(Policies.SkillChief)
            .WithSummary("A competitor's mark sheet with every judge's score (Chief Expert, organisers).");
        endpoints.MapGet("/api/me/assignment", GetAssignment).WithTags("Marking").RequireAuthorization(Policies.Device)
            .WithSummary("The paired expert's skill, marking groups, aspects and the competitors they may mark.");
        endpoints.MapGet("/api/me/sheet/{competitorId}", GetOwnSheet).WithTags("Marking").RequireAuthorization(Policies.Device)
            .WithSummary("A competitor's sheet as the paired expert may see it: the aspects their groups mark, with completion, spread and marks, their own scores only, and those aspects' total per criterion.");
        return endpoints;
    }

    static async Task<Results<Ok<MarksResponse>, ProblemHttpResult>> PostMarks(string code, int number, HttpRequest request, IGrainFactory grains, ClaimsPrincipal user, Observability.SkillsHubMetrics metrics)
    {
        // Every answer is counted by outcome and timed (docs/operations.md, "Metrics").
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = await SubmitMarks(code, number, request, grains, user);
        metrics.MarkAnswered(Outcome(answer.Result), started);
        return answer;
    }

    /// <summary>The metrics outcome of an answer: replayed, superseded, accepted, refused (a domain refusal) or invalid (bad request).</summary>
    static string Outcome(IResult result) => result switch
    {
        Ok<MarksResponse> ok when ok.Value!.Replayed => "replayed",
        Ok<MarksResponse> ok when ok.Value!.Outcome == "superseded" => "superseded",
        Ok<MarksResponse> => "accepted",
        ProblemHttpResult problem when problem.ProblemDetails.Extensions.ContainsKey("kind") => "refused",
        _ => "invalid",
    };

    static async Task<Results<Ok<MarksResponse>, ProblemHttpResult>> SubmitMarks(string code, int number, HttpRequest request, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return Problems.TooLarge("body", MaxBodyBytes);
        }
        var keys = request.Headers["Idempotency-Key"];
        if (keys.Count > 1)
        {
            // Two header lines are two keys, not one key "a,b" (found by outside testers: such a batch was taken as new).
            return Problems.Validation(("Idempotency-Key", "Send one Idempotency-Key header, not " + keys.Count + ". " + IdempotencyKeys.Rule));
        }
        var key = keys.ToString().Trim();
        if (!IdempotencyKeys.IsValid(key))
        {
            return Problems.Validation(("Idempotency-Key", IdempotencyKeys.Rule));
        }
        var (body, problem) = await Body.ReadJsonAsync<MarksRequest>(request);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new List<(string, string)>();
        if (!Identifiers.IsValid(body!.CompetitorId?.Trim()))
        {
            errors.Add(("competitorId", "Name the competitor the marks are for. " + Identifiers.Rule("competitor")));
        }
        if (body.Marks is null || body.Marks.Count == 0)
        {
            errors.Add(("marks", "Send at least one mark."));
        }
        else if (body.Marks.Count > MaxMarksPerBatch)
        {
            return Problems.Unprocessable("Too many marks in one batch",
                [("marks", $"A batch holds at most {MaxMarksPerBatch} marks (one competitor's aspects); {body.Marks.Count} were sent.")]);
        }
        for (var i = 0; i < (body.Marks?.Count ?? 0) && errors.Count < 20; i++)
        {
            if (!Identifiers.IsValid(body.Marks![i].AspectId?.Trim()))
            {
                errors.Add(($"marks[{i}].aspectId", "Every mark names its aspect. " + Identifiers.Rule("aspect")));
            }
        }
        if (body.DeviceSequence is < 0)
        {
            errors.Add(("deviceSequence", "The device sequence is a number from 0 up."));
        }
        if (errors.Count > 0)
        {
            return Problems.Unprocessable("The marks are not valid", errors);
        }
        var batch = new MarkBatch(key, user.ExpertId()!, user.DeviceId() ?? "", body.CompetitorId!.Trim(),
            body.Marks!.Select(m => new MarkEntry(m.AspectId!.Trim(), m.Achieved, m.Deviation, m.Deductions?.ToList(), m.Score)).ToList(),
            body.CreatedAt, body.DeviceSequence);
        var result = await grains.GetGrain<IContestantGrain>(SkillKey.Contestant(code, number, batch.CompetitorId)).Submit(batch);
        if (result.Refusals.Count > 0)
        {
            return Refused(result);
        }
        return TypedResults.Ok(new MarksResponse(result.Accepted, result.Replayed, result.IsSuperseded ? "superseded" : "accepted",
            user.IsJury(code, number) ? result.RawTotal : null, result.Aspects, result.Superseded ?? [], result.At));
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
            RefusalKind.Locked or RefusalKind.DayLocked => (StatusCodes.Status409Conflict, "Locked"),  // a criterion, or a marking day
            RefusalKind.SpreadViolation => (StatusCodes.Status409Conflict, "Judgement spread violation"),
            RefusalKind.NoScheme => (StatusCodes.Status409Conflict, "No marking scheme"),
            RefusalKind.UnknownCompetitor => (StatusCodes.Status404NotFound, "Unknown competitor"),
            RefusalKind.UnknownAspect => (StatusCodes.Status422UnprocessableEntity, "Unknown aspect"),
            RefusalKind.KeyReused => (StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused with a different request"),
            RefusalKind.DuplicateAspect => (StatusCodes.Status422UnprocessableEntity, "Aspect twice in one batch"),
            RefusalKind.WrongValue => (StatusCodes.Status422UnprocessableEntity, "Wrong kind of value"),
            RefusalKind.TooManyScores => (StatusCodes.Status422UnprocessableEntity, "All judges have scored"),
            RefusalKind.ClockAhead => (StatusCodes.Status422UnprocessableEntity, "Stamped ahead of the server's clock"),
            _ => (StatusCodes.Status422UnprocessableEntity, "Value out of range"),
        };
        var extensions = new Dictionary<string, object?>
        {
            ["kind"] = first.Kind.ToString(),
            ["code"] = ProblemCodes.Refusal(first.Kind.ToString()),
            ["aspectId"] = first.AspectId,
            // The field at fault: always named (a compatriot or unassigned competitor is the batch's competitorId).
            ["field"] = first.Kind switch
            {
                RefusalKind.UnknownCompetitor or RefusalKind.Compatriot => "competitorId",
                RefusalKind.KeyReused => "Idempotency-Key",
                RefusalKind.UnknownExpert => "Authorization",
                RefusalKind.NoScheme => "scheme",
                RefusalKind.ClockAhead => "createdAt",
                _ => first.AspectId is null ? "marks" : "aspectId",
            },
            ["scores"] = first.Scores,
            ["replayed"] = result.Replayed,
            ["refusals"] = result.Refusals.Select(r => new { aspectId = r.AspectId, kind = r.Kind.ToString(), message = r.Message, scores = r.Scores }).ToList(),
        };
        return TypedResults.Problem(title: title, detail: first.Message, statusCode: status, extensions: extensions);
    }

    static async Task<Results<Ok<ContestantSheet>, ProblemHttpResult>> GetSheet(string code, int number, string competitorId, IGrainFactory grains)
    {
        if (!Identifiers.IsValid(competitorId))
        {
            // A route value outside its rule is 400 naming it, as every route value is (Hosting/RouteValueCheck.cs).
            return Problems.Validation(("competitorId", Identifiers.Rule("competitor")));
        }
        return await grains.GetGrain<IContestantGrain>(SkillKey.Contestant(code, number, competitorId)).GetSheet() is { } sheet
            ? TypedResults.Ok(sheet)
            : Problems.NotFound("Unknown competitor", $"Competitor '{competitorId}' is not registered in skill {number} of {code.ToUpperInvariant()}.", "competitorId");
    }

    /// <summary>The expert's assignment, with the skill's name in both languages for the tablet's header (the grain holds the rules, the store the names).</summary>
    static async Task<Results<Ok<JudgeAssignment>, ProblemHttpResult>> GetAssignment(IGrainFactory grains, CompetitionStore competitions, ClaimsPrincipal user, CancellationToken ct)
    {
        var (code, number) = (user.Competition()!, user.SkillNumber()!.Value);
        var assignment = await grains.GetGrain<IJudgeGrain>(SkillKey.Judge(code, number, user.ExpertId()!)).GetAssignment();
        if (assignment is null)
        {
            return Problems.NotFound("Not registered", "This tablet's expert is no longer registered in the skill.", "expert");
        }
        var skill = await competitions.FindSkillAsync(code, number, ct);
        return TypedResults.Ok(assignment with { SkillName = skill?.Name, SkillNameZh = skill?.NameZh });
    }

    /// <summary>
    /// One aspect as the expert's tablet shows it. <c>OwnMeasurement</c>: the measurement on file was entered by this expert
    /// (from any of their tablets), so every tablet of theirs counts it among the expert's own marks (found by an outside
    /// tester: a replacement tablet counted only its own and the expert's scores).
    /// </summary>
    public sealed record OwnAspect(string AspectId, bool Complete, bool SpreadViolation, int ScoresReceived, int? OwnScore, string? Measurement, decimal? Mark, bool OwnMeasurement = false);

    /// <summary>
    /// The sheet as the expert's tablet shows it: the aspects the expert's groups mark, and <c>CriterionTotals</c>, the
    /// exact total of those aspects in each criterion (complete ones counting), rounded once for display: a sum of the
    /// rounded aspect marks drifts by up to 0.005 an aspect (found by an outside tester: 5.04 shown for 5.00).
    /// </summary>
    public sealed record OwnSheet(string CompetitorId, IReadOnlyList<OwnAspect> Aspects, long Version, IReadOnlyDictionary<string, decimal> CriterionTotals);

    static async Task<Results<Ok<OwnSheet>, ProblemHttpResult>> GetOwnSheet(string competitorId, IGrainFactory grains, ClaimsPrincipal user)
    {
        if (!Identifiers.IsValid(competitorId))
        {
            // A route value outside its rule is 400 naming it, as every route value is (Hosting/RouteValueCheck.cs).
            return Problems.Validation(("competitorId", Identifiers.Rule("competitor")));
        }
        var code = user.Competition()!;
        var number = user.SkillNumber()!.Value;
        var expertId = user.ExpertId()!;
        var assignment = await grains.GetGrain<IJudgeGrain>(SkillKey.Judge(code, number, expertId)).GetAssignment();
        if (assignment is null || assignment.Competitors.All(c => c.Id != competitorId))
        {
            return Problems.NotFound("Unknown competitor", $"Competitor '{competitorId}' is not one this expert may mark.", "competitorId");
        }
        // On the expert's assignment, so on the roster: the sheet is there.
        var sheet = (await grains.GetGrain<IContestantGrain>(SkillKey.Contestant(code, number, competitorId)).GetSheet())!;
        // Only the aspects the expert's groups mark: another group's marks are not the expert's to see, least of all while the
        // skill is hidden or frozen (found by an outside tester: every aspect's mark and measurement was shown). Judges
        // score independently: an expert sees the group's progress, never the other judges' scores.
        var own = assignment.AspectIds.ToHashSet(StringComparer.Ordinal);
        var marked = sheet.Aspects.Where(a => own.Contains(a.AspectId)).ToList();
        var aspects = marked.Select(a => new OwnAspect(a.AspectId, a.Complete, a.SpreadViolation, a.Scores.Count,
            a.Scores.FirstOrDefault(s => s.ExpertId == expertId)?.Score, a.Measurement, a.Complete ? a.Mark : null,
            a.Measurement is not null && a.LastExpertId == expertId)).ToList();
        // Each criterion's total over those aspects, exact and rounded once.
        var criterionOf = assignment.SchemeJson is null ? [] : Domain.Scoring.Import.SchemeJson.Parse(assignment.SchemeJson).Scheme!.Criteria
            .SelectMany(c => c.SubCriteria.SelectMany(sub => sub.Aspects.Select(a => (Aspect: a.Id, Criterion: c.Id))))
            .ToDictionary(x => x.Aspect, x => x.Criterion, StringComparer.Ordinal);
        var totals = marked.Where(a => a.Complete && criterionOf.ContainsKey(a.AspectId)).GroupBy(a => criterionOf[a.AspectId], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Domain.Scoring.Marks.RoundForDisplay(Domain.Scoring.ExactMarks.Sum(g.Select(a => a.ExactMark ?? 0m))), StringComparer.Ordinal);
        return TypedResults.Ok(new OwnSheet(competitorId, aspects, sheet.Version, totals));
    }
}
