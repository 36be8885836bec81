using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SkillsHub.Server.Certification;

/// <summary>
/// What a rating run would decide now, decided as the run decides (<see cref="SessionRating"/>) and recorded nowhere: the
/// agency page says it before the officer confirms a rating, whose decisions stay (docs/certification.md, "Jobs"). Found by
/// an outside tester: a candidates file without the years in the occupation had every candidate found ineligible for good,
/// with no word before the confirmation.
/// </summary>
public sealed class RatingPreview(CertificationStore sessions, AgencyStore agencies)
{
    /// <summary>Counts by outcome (passed, failed, ineligible, out-of-scope, awaiting-results) and the reasons of the ineligible, most frequent first.</summary>
    public sealed record RatingPreviewView(int ToDecide, IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<IneligibleReasonCount> IneligibleReasons);

    public sealed record IneligibleReasonCount(string Reason, int Count);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/sessions/{id:long}/rating-preview", Get).Produces(StatusCodes.Status409Conflict)
            .WithSummary("What rating the session now would decide for its undecided candidates, counted and recorded nowhere (the page says it before a rating, which stays).");

    // A run refused now would decide nothing: the preview answers the run's 409 (found by an outside tester: before the exam
    // it counted "1 ineligible" for a run that could not start).
    static async Task<Results<Ok<RatingPreviewView>, ProblemHttpResult>> Get(long id, CertificationStore store, RatingPreview preview, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
        await store.SessionAsync(user.AgencyKey(), id, ct) is not { } session
            ? AgencyApi.NoSession(id)
            : AgencyApi.NotHeldYet(session, clock) is { } notHeld ? notHeld
            : TypedResults.Ok(await preview.CountAsync(id, ct));

    public async Task<RatingPreviewView> CountAsync(long sessionId, CancellationToken ct)
    {
        var session = await sessions.JobSessionAsync(sessionId, ct);
        var rating = await SessionRating.ForAsync(session, agencies, ct);
        var outcomes = new Dictionary<string, int>();
        // Counted by the rule (the reason's code), one candidate's wording kept as its example: the wording carries each
        // candidate's own years ("has 0", "has 1"), and counted by it one rule split into several (found by an outside tester).
        var reasons = new Dictionary<string, (string Example, int Count)>();
        // Read as a run reads, under the session's lock (an import does not land halfway), and nothing written: the
        // transaction ends without a commit.
        await using var batch = await sessions.BeginDecisionsAsync(sessionId, ct);
        for (var lastId = 0L; ;)
        {
            var rows = await sessions.UndecidedAsync(session.Id, session.AgencyKey, session.OccupationCode, lastId, CertificationJobs.ChunkSize, batch, ct);
            if (rows.Count == 0)
            {
                break;
            }
            lastId = rows[^1].Id;
            foreach (var decision in rows.Select(rating.Decide))
            {
                var outcome = SessionRating.OutcomeName(decision.Outcome) ?? "awaiting-results";
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (outcome == "ineligible" && decision.Reasons.FirstOrDefault() is { } reason)
                {
                    var rule = Domain.Certification.RatingDecision.RuleOf(reason);
                    reasons[rule] = reasons.TryGetValue(rule, out var seen) ? (seen.Example, seen.Count + 1) : (reason, 1);
                }
            }
        }
        var decided = outcomes.Where(o => o.Key != "awaiting-results").Sum(o => o.Value);
        return new RatingPreviewView(decided, outcomes, [.. reasons.OrderByDescending(r => r.Value.Count).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new IneligibleReasonCount(r.Value.Example, r.Value.Count))]);
    }
}
