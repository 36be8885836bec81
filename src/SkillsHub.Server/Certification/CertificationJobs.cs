using System.ComponentModel;
using System.Text.Json;
using Hangfire;
using Hangfire.Server;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Jobs;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The certification jobs. Each is batch-oriented (one job decides or certifies a whole session in
/// chunks), idempotent (a re-run only picks up what is still undone; certificates are unique per
/// evaluation in the schema too) and retried by Hangfire on failure. Progress goes to job_progress
/// (<see cref="JobProgressStore"/>, the agency page) and to the job's "Progress" parameter (the Hangfire
/// dashboard). The jobs hold no SQL: they call the stores (progress, sessions, agencies, certificates, promotions).
/// </summary>
public sealed class CertificationJobs(CertificationStore sessions, AgencyStore agencies, CertificateStore certificates, PromotionStore promotions,
    ImportProcessor imports, IPublishedResultsSource results, JobProgressStore progress, ILogger<CertificationJobs> logger)
{
    /// <summary>Evaluations per batch (one transaction each).</summary>
    public const int ChunkSize = CertificateStore.ChunkSize;

    [DisplayName("Certification import {0}")]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task Import(Guid importId, CancellationToken ct) => imports.ProcessAsync(importId, ct);

    [DisplayName("Rate session (run {0})")]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task Rate(Guid runId, PerformContext? context, CancellationToken ct) => RunAsync(runId, async sessionId =>
    {
        var session = await sessions.JobSessionAsync(sessionId, ct);
        var rating = await SessionRating.ForAsync(session, agencies, ct);
        var total = await sessions.EvaluationCountAsync(session.Id, ct);
        // Processed: the candidates dealt with, decided (by any run) or looked at by this one and found awaiting their
        // results, so a run that ends has processed every one (found by an outside tester: a run that left candidates
        // awaiting results ended "succeeded" at 1 of 4; the summary says how many await results).
        var awaitingSeen = 0;
        await ProgressAsync(runId, await sessions.DecidedCountAsync(session.Id, ct), total, context, ct);
        var lastId = 0L;
        while (true)
        {
            // What the batch reads and the decisions it writes are one transaction under the session's lock: an import
            // waits for it, and a candidate's marks cannot change between the two (found by an outside tester: results
            // imported during a run were stored after the run had rated on the old ones).
            await using var batch = await sessions.BeginDecisionsAsync(session.Id, ct);
            var rows = await sessions.UndecidedAsync(session.Id, session.AgencyKey, session.OccupationCode, lastId, ChunkSize, batch, ct);
            if (rows.Count == 0)
            {
                break;
            }
            lastId = rows[^1].Id;
            var ids = new List<long>(rows.Count);
            var outcomes = new List<string>(rows.Count);
            var reasons = new List<string>(rows.Count);
            foreach (var r in rows)
            {
                var decision = rating.Decide(r);
                if (SessionRating.OutcomeName(decision.Outcome) is not { } outcome)
                {
                    // Not a decision: the candidate stays undecided until a later run (docs/certification.md, "Jobs").
                    awaitingSeen++;
                    continue;
                }
                ids.Add(r.Id);
                outcomes.Add(outcome);
                reasons.Add(JsonSerializer.Serialize(decision.Reasons));
            }
            await sessions.RecordDecisionsAsync(session.Id, [.. ids], [.. outcomes], [.. reasons], runId, batch, ct);
            await batch.CommitAsync(ct);
            await ProgressAsync(runId, await sessions.DecidedCountAsync(session.Id, ct) + awaitingSeen, total, context, ct);
        }
        var counts = new Dictionary<string, int>(await sessions.OutcomeCountsAsync(session.Id, ct));
        if (await sessions.UnratedCountAsync(session.Id, ct) is > 0 and var awaiting)
        {
            counts["awaiting-results"] = awaiting;
        }
        return JsonSerializer.Serialize(counts);
    }, ct);

    [DisplayName("Issue certificates (run {0})")]
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task Issue(Guid runId, PerformContext? context, CancellationToken ct) => RunAsync(runId, async sessionId =>
    {
        var total = await sessions.PassedCountAsync(sessionId, ct);
        var issuedNow = 0;
        while (true)
        {
            var batch = await certificates.IssueBatchAsync(sessionId, runId, null, ct);
            if (batch == 0)
            {
                break;
            }
            issuedNow += batch;
            await ProgressAsync(runId, await sessions.CertifiedCountAsync(sessionId, ct), total, context, ct);
        }
        var issued = await sessions.CertifiedCountAsync(sessionId, ct);
        await ProgressAsync(runId, issued, total, context, ct);
        return JsonSerializer.Serialize(new { issued, issuedByThisRun = issuedNow, passed = total });
    }, ct);

    /// <summary>One evaluation per job: the baseline the benchmark compares batch issuance with.</summary>
    [DisplayName("Issue one certificate (evaluation {0})")]
    [AutomaticRetry(Attempts = 3)]
    public async Task IssueOne(long evaluationId, CancellationToken ct) =>
        await certificates.IssueBatchAsync(await sessions.SessionOfEvaluationAsync(evaluationId, ct), null, evaluationId, ct);

    /// <summary>One batch of a session's certificates (<see cref="CertificateStore.IssueBatchAsync"/>); how many were issued.</summary>
    public Task<int> IssueBatchAsync(long sessionId, Guid? runId, long? onlyEvaluation, CancellationToken ct) =>
        certificates.IssueBatchAsync(sessionId, runId, onlyEvaluation, ct);

    /// <summary>
    /// Recurring: brings every skill's promotions in line with its current published results and rule (never a frozen or
    /// provisional board): new ones recorded, ones no longer justified withdrawn (docs/certification.md, "Withdrawn
    /// promotions"). Competitions are isolated: one that fails (an unusable stored rule, a database error) is logged and
    /// skipped, the others go on.
    /// </summary>
    [DisplayName("Competition promotions")]
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(600)]
    public async Task Promote(CancellationToken ct)
    {
        var (added, withdrawn) = (0, 0);
        // A skill with nothing justified and no promotion recorded has nothing to reconcile (most skills, most runs).
        var recorded = await promotions.SkillsWithPromotionsAsync(ct);
        foreach (var competition in (await promotions.SkillPromotionsAsync(ct)).GroupBy(s => s.Competition))
        {
            if (competition.First().Fault is { } fault)
            {
                logger.LogError("Promotions for competition {Competition} skipped: its promotion rule is not usable ({Fault})", competition.Key, fault);
                continue;
            }
            try
            {
                foreach (var skill in competition)
                {
                    var published = await results.GetFinalAsync(skill.Competition, skill.Skill, skill.SkillName, ct);
                    if (published is null)
                    {
                        continue; // standings unreadable now: neither promote nor withdraw on a guess
                    }
                    var why = !published.Results.Published ? "the skill's results are no longer published"
                        : skill.Occupation is null ? "the skill maps to no occupation"
                        : $"not justified by the published results (sequence {published.Sequence}) under the competition's promotion rule";
                    var justified = Promotions.Decide(published.Results, skill.Rule, skill.Occupation);
                    if (justified.Count == 0 && !recorded.Contains((skill.Competition, skill.Skill)))
                    {
                        continue;
                    }
                    var (a, w) = await promotions.ReconcileAsync(skill.Competition, skill.Skill, justified, published.Sequence, why, ct);
                    added += a;
                    withdrawn += w;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Promotions for competition {Competition} failed; the other competitions go on", competition.Key);
            }
        }
        if (added > 0 || withdrawn > 0)
        {
            logger.LogInformation("Recorded {Added} and withdrew {Withdrawn} competition promotion(s)", added, withdrawn);
        }
    }

    /// <summary>Nightly: reports anomalies (never fixes them) into consistency_findings and the log.</summary>
    [DisplayName("Certification consistency check")]
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(600)]
    public async Task<int> CheckConsistency(CancellationToken ct)
    {
        var runId = Guid.NewGuid();
        var list = await certificates.InconsistenciesAsync(ct);
        foreach (var f in list)
        {
            await certificates.RecordFindingAsync(runId, f.Kind, f.Subject, f.Detail, ct);
            logger.LogWarning("Certification consistency finding {Kind} on {Subject}: {Detail}", f.Kind, f.Subject, f.Detail);
        }
        logger.LogInformation("Certification consistency check {RunId}: {Count} finding(s)", runId, list.Count);
        return list.Count;
    }

    /// <summary>
    /// A session's run: marks it running (nothing when it already succeeded: a retry), does <paramref name="work"/>, and
    /// records its summary, or the failure with its code before Hangfire retries.
    /// </summary>
    async Task RunAsync(Guid runId, Func<long, Task<string>> work, CancellationToken ct)
    {
        if (await progress.StartAsync(runId, null, ct) is not { } run)
        {
            return;
        }
        try
        {
            var summary = await work(run.SessionId ?? throw new InvalidOperationException($"Run {runId} names no session."));
            await progress.FinishAsync(runId, "succeeded", summary, null, null, complete: false, ct);
        }
        catch (CertificationRefusedException e)
        {
            // A refusal (the year's serials used up) is the same on every attempt: the run fails, and is not retried.
            await progress.FailAsync(runId, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await progress.FailAsync(runId, e);
            throw;
        }
    }

    async Task ProgressAsync(Guid runId, int processed, int total, PerformContext? context, CancellationToken ct)
    {
        await progress.ReportAsync(runId, processed, total, ct);
        context?.SetJobParameter("Progress", $"{processed}/{total}");
    }
}
