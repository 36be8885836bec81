namespace SkillsHub.Domain.Certification;

/// <summary>Exam marks out of 100; null when the candidate did not sit that part.</summary>
public readonly record struct ExamScores(decimal? Theory, decimal? Practical, decimal? Review = null)
{
    /// <summary>
    /// The parts the level needs that have no score yet ("theory", "practical", "review"): results not uploaded, not a
    /// fail. A part the candidate did not sit is entered as 0 (docs/certification.md, "Jobs").
    /// </summary>
    public IReadOnlyList<string> Missing(SkillLevel level)
    {
        var missing = new List<string>(3);
        if (Theory is null)
        {
            missing.Add("theory");
        }
        if (Practical is null)
        {
            missing.Add("practical");
        }
        if (level.NeedsReview() && Review is null)
        {
            missing.Add("review");
        }
        return missing;
    }
}

public enum RatingOutcome
{
    Passed,
    Failed,
    Ineligible,
    OutOfScope,

    /// <summary>
    /// Eligible, but a result the level needs is not uploaded yet: not a decision. A rating run records nothing for such
    /// a candidate, who is rated once the results are in (found by an outside tester: candidates without results were
    /// failed, and their results could then never be entered; later, one whose theory and practical came in two files
    /// was failed by a run between the two).
    /// </summary>
    AwaitingResults,
}

/// <summary>A rating decision with its reasons (codes the page translates; details for people).</summary>
public sealed record RatingDecision(RatingOutcome Outcome, IReadOnlyList<string> Reasons)
{
    public bool Passed => Outcome == RatingOutcome.Passed;

    /// <summary>A reason's rule: its code, before the candidate's own wording ("l5-work-years: needs 1 year ...").</summary>
    public static string RuleOf(string reason) => reason.Split(": ", 2)[0];

    /// <summary>An ineligible decision's reason: the rule's code, then the candidate's wording (<see cref="RuleOf"/> reads it back).</summary>
    internal static string IneligibleReason(EligibilityResult eligibility) => eligibility.Code + ": " + eligibility.Detail;
}

public static class Rating
{
    /// <summary>Each part passes at 60 (docs/certification.md).</summary>
    public const decimal PassMark = 60m;

    /// <summary>The parts failed ("theory", "practical", "review"); empty when all needed parts passed.</summary>
    public static IReadOnlyList<string> FailedParts(SkillLevel level, ExamScores scores)
    {
        var failed = new List<string>(3);
        if (!(scores.Theory >= PassMark))
        {
            failed.Add("theory");
        }
        if (!(scores.Practical >= PassMark))
        {
            failed.Add("practical");
        }
        if (level.NeedsReview() && !(scores.Review >= PassMark))
        {
            failed.Add("review");
        }
        return failed;
    }

    /// <summary>
    /// Decides one candidate of a session: the agency's scope first (no rating outside it), then
    /// eligibility, then the exam parts; an eligible candidate missing a score the level needs awaits results (the
    /// reasons name the missing parts).
    /// </summary>
    public static RatingDecision Decide(Agency agency, string occupation, SkillLevel level, CandidateProfile candidate, ExamScores scores, DateOnly examDate, EligibilityYears? years = null)
    {
        if (agency.EvaluationRefusal(occupation, level) is { } refusal)
        {
            return new RatingDecision(RatingOutcome.OutOfScope, [refusal]);
        }
        var eligibility = Eligibility.Check(level, candidate, examDate, years);
        if (!eligibility.Eligible)
        {
            return new RatingDecision(RatingOutcome.Ineligible, [RatingDecision.IneligibleReason(eligibility)]);
        }
        if (scores.Missing(level) is { Count: > 0 } missing)
        {
            return new RatingDecision(RatingOutcome.AwaitingResults, missing);
        }
        var failed = FailedParts(level, scores);
        return failed.Count == 0
            ? new RatingDecision(RatingOutcome.Passed, ["eligible " + eligibility.Code])
            : new RatingDecision(RatingOutcome.Failed, failed);
    }
}
