using System.Globalization;
using SkillsHub.Domain.Scoring;

namespace SkillsHub.Domain.Marking;

public enum RefusalReason
{
    NotAssigned,
    Compatriot,
    /// <summary>The aspect's criterion is locked.</summary>
    Locked,
    UnknownAspect,
    OutOfRange,
    SpreadViolation,
    DuplicateAspect,
    WrongValue,
    TooManyScores,
    /// <summary>The aspect's marking day is locked (its criterion is not): said as a day, not a criterion.</summary>
    DayLocked,
}

public sealed record Refusal(string? AspectId, RefusalReason Reason, string Message, IReadOnlyList<int>? Scores = null);

/// <summary>One expert's proposed mark: exactly one of the value fields is set.</summary>
public sealed record ProposedMark(string AspectId, bool? Achieved = null, decimal? Deviation = null, IReadOnlyList<int>? Deductions = null, int? Score = null);

/// <summary>A marking group: which criteria, sub-criteria or aspects (by id) which experts mark.</summary>
public sealed record Assignment(IReadOnlyCollection<string> Targets, IReadOnlyCollection<string> ExpertIds)
{
    /// <summary>Whether the group marks the aspect: it names the aspect, its sub-criterion or its criterion.</summary>
    public bool Marks(Criterion criterion, SubCriterion sub, Aspect aspect) =>
        Targets.Contains(aspect.Id) || Targets.Contains(sub.Id) || Targets.Contains(criterion.Id);
}

public sealed record MarkingContext(
    MarkingScheme Scheme,
    int Judges,
    bool AllowCompatriots,
    string ExpertId,
    string ExpertMember,
    string CompetitorMember,
    IReadOnlyCollection<Assignment> Assignments,
    IReadOnlySet<string> Locks);

/// <summary>
/// Who may write which mark (docs/scoring.md): the compatriot rule [S] (a per-skill flag may allow it),
/// assignment to marking groups [P], locks on criteria or marking days [P], value ranges and the
/// judgement spread rule [S]. A batch is all-or-nothing: every problem is reported, nothing is applied.
/// </summary>
public static class MarkRules
{
    /// <summary>
    /// Every problem of the batch. A mark in <paramref name="stale"/> was created before the entry it would replace
    /// (docs/scoring.md, "Order"): it changes nothing, so it is held to every rule but the judgement spread, which only a
    /// score that is applied can break (found by an outside tester: stale marks skipped the rules, so a compatriot's or a
    /// locked criterion's mark was answered "superseded" and the rest of its batch stored).
    /// </summary>
    public static IReadOnlyList<Refusal> Check(MarkingContext context, IReadOnlyList<ProposedMark> marks, Func<string, IReadOnlyDictionary<string, int>> currentScores,
        IReadOnlySet<string>? stale = null)
    {
        var refusals = new List<Refusal>();
        if (!context.AllowCompatriots && string.Equals(context.ExpertMember, context.CompetitorMember, StringComparison.Ordinal))
        {
            refusals.Add(new Refusal(null, RefusalReason.Compatriot,
                $"Expert '{context.ExpertId}' represents {context.ExpertMember} and may not mark a competitor of the same member (compatriot marking is off in this skill)."));
            return refusals;
        }

        var index = Index(context.Scheme);
        // An aspect sent twice is refused as such, first: its values contradict each other, so neither is checked (found
        // by an outside tester: two scores for one judgement aspect were answered as a spread violation).
        var twice = marks.GroupBy(m => m.AspectId, StringComparer.Ordinal).Where(g => g.Count() > 1 && index.ContainsKey(g.Key)).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        refusals.AddRange(twice.Select(id => new Refusal(id, RefusalReason.DuplicateAspect, $"Aspect '{id}' appears more than once in one batch.")));
        foreach (var mark in marks)
        {
            if (!index.TryGetValue(mark.AspectId, out var place))
            {
                refusals.Add(new Refusal(mark.AspectId, RefusalReason.UnknownAspect, $"Aspect '{mark.AspectId}' is not in this skill's marking scheme."));
                continue;
            }
            if (twice.Contains(mark.AspectId))
            {
                continue;
            }
            var (criterion, sub, aspect) = place;
            if (!context.Assignments.Any(g => g.ExpertIds.Contains(context.ExpertId) && g.Marks(criterion, sub, aspect)))
            {
                refusals.Add(new Refusal(aspect.Id, RefusalReason.NotAssigned, $"Expert '{context.ExpertId}' is not assigned to a marking group that marks aspect '{aspect.Id}'."));
                continue;
            }
            if (context.Locks.Contains(criterion.Id) || context.Locks.Contains(aspect.MarkingDay))
            {
                var criterionLocked = context.Locks.Contains(criterion.Id);
                var what = criterionLocked ? $"criterion {criterion.Id}" : $"marking day {aspect.MarkingDay}";
                refusals.Add(new Refusal(aspect.Id, criterionLocked ? RefusalReason.Locked : RefusalReason.DayLocked, $"Aspect '{aspect.Id}' cannot change: {what} is locked after sign-off. The Chief Expert or the organiser must unlock it with a reason."));
                continue;
            }
            if (Value(aspect, mark, context, stale?.Contains(aspect.Id) == true ? _ => new Dictionary<string, int>() : currentScores) is { } refusal)
            {
                refusals.Add(refusal);
            }
        }
        return refusals;
    }

    static Refusal? Value(Aspect aspect, ProposedMark mark, MarkingContext context, Func<string, IReadOnlyDictionary<string, int>> currentScores)
    {
        var given = (mark.Achieved.HasValue ? 1 : 0) + (mark.Deviation.HasValue ? 1 : 0) + (mark.Deductions is not null ? 1 : 0) + (mark.Score.HasValue ? 1 : 0);
        if (given != 1)
        {
            return new Refusal(aspect.Id, RefusalReason.WrongValue, $"Aspect '{aspect.Id}' needs exactly one value (achieved, deviation, deductions or score); {given} were given.");
        }
        if (aspect.Type == AspectType.Judgement)
        {
            if (mark.Score is not { } score)
            {
                return new Refusal(aspect.Id, RefusalReason.WrongValue, $"Aspect '{aspect.Id}' is a judgement aspect: send the expert's own score 0, 1, 2 or 3.");
            }
            var current = currentScores(aspect.Id);
            if (!current.ContainsKey(context.ExpertId) && current.Count >= context.Judges)
            {
                // Said of the scores stored, not of the set the refused score would make (an outside tester: "has 4 judgement
                // scores" of an aspect that had 3).
                var judges = string.Join(", ", current.Keys.Order(StringComparer.Ordinal).Select(j => $"'{j}'"));
                return new Refusal(aspect.Id, RefusalReason.TooManyScores,
                    $"Aspect '{aspect.Id}' already has its {current.Count} judgement scores, from {judges}; expert '{context.ExpertId}' is not one of them.");
            }
            var scores = new Dictionary<string, int>(current, StringComparer.Ordinal) { [context.ExpertId] = score };
            var outcome = new JudgementSet(scores).Evaluate(aspect, context.Judges);
            return outcome switch
            {
                MarkOutcome.Invalid invalid => new Refusal(aspect.Id, ReasonOf(invalid), invalid.Message),
                MarkOutcome.SpreadViolation spread => new Refusal(aspect.Id, RefusalReason.SpreadViolation, spread.Message, spread.Scores.ToArray()),
                _ => null,
            };
        }
        if (mark.Score is not null)
        {
            return new Refusal(aspect.Id, RefusalReason.WrongValue, $"Aspect '{aspect.Id}' is a measurement aspect (max {aspect.MaxMark.ToString("0.00", CultureInfo.InvariantCulture)}): send achieved, a deviation or deductions, not a judgement score.");
        }
        return MarkCalculator.Measure(aspect, ToInput(mark)) is MarkOutcome.Invalid bad
            ? new Refusal(aspect.Id, ReasonOf(bad), bad.Message)
            : null;
    }

    static RefusalReason ReasonOf(MarkOutcome.Invalid invalid) => invalid.Reason switch
    {
        InvalidReason.WrongValue => RefusalReason.WrongValue,
        InvalidReason.TooManyScores => RefusalReason.TooManyScores,
        _ => RefusalReason.OutOfRange,
    };

    public static MeasurementInput ToInput(ProposedMark mark) =>
        mark.Achieved is { } achieved ? new MeasurementAchieved(achieved)
        : mark.Deviation is { } deviation ? new MeasuredDeviation(deviation)
        : new DeductionsTaken((mark.Deductions ?? []).ToValueList());

    static Dictionary<string, (Criterion, SubCriterion, Aspect)> Index(MarkingScheme scheme)
    {
        var index = new Dictionary<string, (Criterion, SubCriterion, Aspect)>(StringComparer.Ordinal);
        foreach (var c in scheme.Criteria)
        {
            foreach (var s in c.SubCriteria)
            {
                foreach (var a in s.Aspects)
                {
                    index[a.Id] = (c, s, a);
                }
            }
        }
        return index;
    }
}
