using SkillsHub.Abstractions;
using SkillsHub.Domain.Marking;

namespace SkillsHub.Grains;

/// <summary>Whether a batch may be applied at all: the roster, the expert's time on the skill and the marking rules (docs/scoring.md).</summary>
public sealed partial class ContestantGrain
{
    IReadOnlyList<MarkRefusal> Check(MarkingRules rules, MarkBatch batch, IReadOnlySet<string> stale, DateTimeOffset now)
    {
        var marks = batch.Marks;
        if (_scheme is null)
        {
            return [new MarkRefusal(null, RefusalKind.NoScheme, "This skill has no marking scheme yet.")];
        }
        if (!rules.Competitors.TryGetValue(_competitorId, out var competitor))
        {
            return [new MarkRefusal(null, RefusalKind.UnknownCompetitor, $"Competitor '{_competitorId}' is not registered in skill {_skill} of {_competition}.")];
        }
        if (!rules.Experts.TryGetValue(batch.ExpertId, out var expert))
        {
            return [new MarkRefusal(null, RefusalKind.UnknownExpert, $"Expert '{batch.ExpertId}' is not registered in skill {_skill} of {_competition}.")];
        }
        // Made before the expert, once taken off the skill, was named again: made while they were not on it, or before a removal
        // it did not reach the server ahead of (a tablet kept it and sent it once paired again; found by an outside tester).
        // They mark again. The text says what is known, not which of the two it was (an outside tester: it said "was not on
        // the skill when this was made" of a mark made before the removal).
        if (batch.CreatedAt is { } made && rules.ExpertsNamedAgainAt?.TryGetValue(expert.Id, out var back) == true && made < back)
        {
            return [new MarkRefusal(null, RefusalKind.UnknownExpert,
                $"Expert '{expert.Id}' was taken off skill {_skill} of {_competition} and named again at {back:u}; this mark was made before that ({made:u}), so it is not counted. Enter the mark again.")];
        }
        // A stamp too far ahead of the server's clock would outrank later corrections: refused, and so in the trail like
        // every refusal (found by an outside tester: it was a bare 422 before the grain, and the trail never showed it).
        if (MarkOrder.IsAhead(batch.CreatedAt, now))
        {
            return [new MarkRefusal(null, RefusalKind.ClockAhead,
                $"The batch is stamped {batch.CreatedAt:u}, ahead of the server's clock ({now:u}) by more than {MarkOrder.MaxClockLead.TotalMinutes} minutes: set the tablet's clock right and send it again.")];
        }
        if (marks.Count == 0)
        {
            return [new MarkRefusal(null, RefusalKind.WrongValue, "The batch holds no marks.")];
        }
        var context = new MarkingContext(_scheme, rules.Judges, rules.AllowCompatriots, expert.Id, expert.MemberCode, competitor.MemberCode,
            rules.Groups.Select(g => g.Assignment()).ToList(),
            rules.Locks.Select(l => l.Target).ToHashSet(StringComparer.Ordinal));
        var proposed = marks.Select(m => new ProposedMark(m.AspectId, m.Achieved, m.Deviation, m.Deductions, m.Score)).ToList();
        return MarkRules.Check(context, proposed, ScoresOf, stale)
            .Select(r => new MarkRefusal(r.AspectId, KindOf(r.Reason), r.Message, r.Scores?.ToArray()))
            .ToList();
    }

    /// <summary>The wire kind of a Domain refusal, name by name (the two enums' numbers need not agree).</summary>
    static RefusalKind KindOf(RefusalReason reason) => reason switch
    {
        RefusalReason.NotAssigned => RefusalKind.NotAssigned,
        RefusalReason.Compatriot => RefusalKind.Compatriot,
        RefusalReason.Locked => RefusalKind.Locked,
        RefusalReason.DayLocked => RefusalKind.DayLocked,
        RefusalReason.UnknownAspect => RefusalKind.UnknownAspect,
        RefusalReason.OutOfRange => RefusalKind.OutOfRange,
        RefusalReason.SpreadViolation => RefusalKind.SpreadViolation,
        RefusalReason.DuplicateAspect => RefusalKind.DuplicateAspect,
        RefusalReason.WrongValue => RefusalKind.WrongValue,
        RefusalReason.TooManyScores => RefusalKind.TooManyScores,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "A Domain refusal without a wire kind."),
    };
}
