namespace SkillsHub.Domain.Scoring;

/// <summary>What an expert enters for a measurement aspect.</summary>
public abstract record MeasurementInput
{
    private protected MeasurementInput()
    {
    }
}

/// <summary>All-or-nothing aspects: met (max) or not met (0) [C].</summary>
public sealed record MeasurementAchieved(bool Achieved) : MeasurementInput;

/// <summary>Banded aspects: the absolute deviation measured from the target.</summary>
public sealed record MeasuredDeviation(decimal Deviation) : MeasurementInput;

/// <summary>Deduction aspects: how many times each of the aspect's deductions was taken, in scheme order.</summary>
public sealed record DeductionsTaken(ValueList<int> Counts) : MeasurementInput;

/// <summary>Result of marking one aspect.</summary>
public abstract record MarkOutcome
{
    private protected MarkOutcome()
    {
    }

    /// <summary>An accepted mark, exact in <see cref="ExactMarks"/> units (display rounds to 2 places, ranking does not).</summary>
    public sealed record Accepted(long Units) : MarkOutcome
    {
        public decimal Mark => ExactMarks.ToDecimal(Units);
    }

    /// <summary>A judgement set still waiting for judges; counts for nothing [S].</summary>
    public sealed record Incomplete(string AspectId, int Received, int Required) : MarkOutcome;

    /// <summary>
    /// Two judgement scores more than 1 apart [S]: not accepted, the group must discuss and re-score.
    /// The API answers 409 with this.
    /// </summary>
    public sealed record SpreadViolation(string AspectId, ValueList<int> Scores) : MarkOutcome
    {
        public string Message =>
            $"Aspect '{AspectId}' is not accepted: judgement scores {string.Join(", ", Scores)} differ by more than 1. The judges must discuss and re-score.";
    }

    /// <summary>Input that cannot be a mark for this aspect: <see cref="Reason"/> says why (docs/scoring.md, "Refusals").</summary>
    public sealed record Invalid(string AspectId, string Message, InvalidReason Reason = InvalidReason.OutOfRange) : MarkOutcome;
}

/// <summary>Why input is not a mark: a value outside its range, the wrong kind of value for the aspect, or one judge too many.</summary>
public enum InvalidReason
{
    OutOfRange,
    WrongValue,
    TooManyScores,
}

/// <summary>
/// The scores of one judgement aspect for one competitor: judge id -> score 0..3.
/// </summary>
public sealed class JudgementSet
{
    /// <summary>[C] three judges; [P] five allowed as a SkillsHub configuration.</summary>
    public const int DefaultJudges = 3;

    private readonly KeyValuePair<string, int>[] _scores;

    public JudgementSet(IEnumerable<KeyValuePair<string, int>> scores)
    {
        // Sorted by judge id so messages and results never depend on the order marks arrived in.
        _scores = scores.OrderBy(s => s.Key, StringComparer.Ordinal).ToArray();
    }

    public JudgementSet(params (string JudgeId, int Score)[] scores)
        : this(scores.Select(s => KeyValuePair.Create(s.JudgeId, s.Score)))
    {
    }

    public IReadOnlyList<KeyValuePair<string, int>> Scores => _scores;

    /// <summary>
    /// Allocation-free path for the common case (a complete, accepted set), used when a whole skill is
    /// recomputed; anything else goes through <see cref="Evaluate"/> for its message.
    /// </summary>
    internal bool TryAccept(Aspect aspect, int requiredJudges, out long units)
    {
        units = 0;
        var scores = _scores;
        if (aspect.Type != AspectType.Judgement || scores.Length != requiredJudges)
        {
            return false;
        }

        int min = int.MaxValue, max = int.MinValue, sum = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i].Value;
            min = Math.Min(min, score);
            max = Math.Max(max, score);
            sum += score;
        }

        if (min < 0 || max > 3 || max - min > 1)
        {
            return false;
        }

        units = ExactMarks.Judgement(aspect.MaxMark, sum, requiredJudges);
        return true;
    }

    /// <summary>
    /// Mark = max x sum(scores) / (3 x judges) [S]. The spread rule [S] is checked on whatever scores
    /// are already in, so the second judge to disagree by 2 hears about it at once rather than after
    /// the third judge; that timing is SkillsHub's choice [P], not a WorldSkills rule.
    /// </summary>
    public MarkOutcome Evaluate(Aspect aspect, int requiredJudges = DefaultJudges)
    {
        if (aspect.Type != AspectType.Judgement)
        {
            return new MarkOutcome.Invalid(aspect.Id, $"Aspect '{aspect.Id}' is a measurement aspect; it takes a measurement, not judgement scores.", InvalidReason.WrongValue);
        }

        ScoringOptions.CheckJudges(requiredJudges);
        var scores = _scores;
        if (scores.Length > requiredJudges)
        {
            return new MarkOutcome.Invalid(aspect.Id, $"Aspect '{aspect.Id}' has {scores.Length} judgement scores; the group has {requiredJudges} judges.", InvalidReason.TooManyScores);
        }

        int min = int.MaxValue, max = int.MinValue, sum = 0;
        foreach (var (judge, score) in scores)
        {
            if (score is < 0 or > 3)
            {
                return new MarkOutcome.Invalid(aspect.Id, $"Judge '{judge}' gave aspect '{aspect.Id}' a score of {score}; judgement scores are 0, 1, 2 or 3.");
            }

            min = Math.Min(min, score);
            max = Math.Max(max, score);
            sum += score;
        }

        if (scores.Length >= 2 && max - min > 1)
        {
            return new MarkOutcome.SpreadViolation(aspect.Id, scores.Select(s => s.Value).ToValueList());
        }

        if (scores.Length < requiredJudges)
        {
            return new MarkOutcome.Incomplete(aspect.Id, scores.Length, requiredJudges);
        }

        return new MarkOutcome.Accepted(ExactMarks.Judgement(aspect.MaxMark, sum, requiredJudges));
    }
}

/// <summary>Turns what experts entered into aspect marks.</summary>
public static class MarkCalculator
{
    /// <summary>
    /// Measurement [C]: all-or-nothing by default; bands award the tightest band the deviation fits
    /// (0 outside every band); deductions subtract from max. Always clamped to 0..max.
    /// </summary>
    public static MarkOutcome Measure(Aspect aspect, MeasurementInput input)
    {
        if (aspect.Type != AspectType.Measurement)
        {
            return new MarkOutcome.Invalid(aspect.Id, $"Aspect '{aspect.Id}' is a judgement aspect; it takes judgement scores, not a measurement.", InvalidReason.WrongValue);
        }

        if (TryMeasure(aspect, input, out var simple))
        {
            return new MarkOutcome.Accepted(ExactMarks.ToUnits(simple));
        }

        var max = aspect.MaxMark;
        switch (input)
        {
            case DeductionsTaken taken when aspect.Deductions.Count > 0:
                if (taken.Counts.Count != aspect.Deductions.Count)
                {
                    return new MarkOutcome.Invalid(aspect.Id, $"Aspect '{aspect.Id}' has {aspect.Deductions.Count} deductions; {taken.Counts.Count} counts were given.", InvalidReason.WrongValue);
                }

                var mark = max;
                for (var i = 0; i < taken.Counts.Count; i++)
                {
                    if (taken.Counts[i] < 0)
                    {
                        return new MarkOutcome.Invalid(aspect.Id, $"Aspect '{aspect.Id}' has a negative deduction count.");
                    }

                    mark -= aspect.Deductions[i].Amount * taken.Counts[i];
                }

                return new MarkOutcome.Accepted(ExactMarks.ToUnits(Clamp(mark, max)));

            default:
                return new MarkOutcome.Invalid(aspect.Id, $"Aspect '{aspect.Id}' expects {ExpectedInput(aspect)}.", InvalidReason.WrongValue);
        }
    }

    /// <summary>Allocation-free for all-or-nothing and banded marks (the common case); false sends the caller to <see cref="Measure"/>.</summary>
    internal static bool TryMeasure(Aspect aspect, MeasurementInput input, out decimal mark)
    {
        mark = 0m;
        if (aspect.Type != AspectType.Measurement)
        {
            return false;
        }

        if (input is MeasurementAchieved achieved && aspect.IsAllOrNothing)
        {
            mark = achieved.Achieved ? aspect.MaxMark : 0m;
            return true;
        }

        if (input is MeasuredDeviation deviation && aspect.Bands.Count > 0)
        {
            var distance = Math.Abs(deviation.Deviation);
            ToleranceBand? best = null;
            foreach (var band in aspect.Bands.AsSpan())
            {
                if (distance <= band.Within && (best is null || band.Within < best.Within))
                {
                    best = band;
                }
            }

            mark = Clamp(best?.Award ?? 0m, aspect.MaxMark);
            return true;
        }

        return false;
    }

    private static string ExpectedInput(Aspect aspect) =>
        aspect.Bands.Count > 0 ? "a measured deviation (it has tolerance bands)"
        : aspect.Deductions.Count > 0 ? "deduction counts (it has deductions)"
        : "met or not met (it is all-or-nothing)";

    private static decimal Clamp(decimal mark, decimal max) => Math.Clamp(mark, 0m, max);
}
