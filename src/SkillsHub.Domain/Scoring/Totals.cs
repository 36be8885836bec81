namespace SkillsHub.Domain.Scoring;

/// <summary>A competitor (a person, or a team: a team is one competitor [C]) in one skill.</summary>
public sealed record Competitor(string Id, string MemberCode, string SkillKey);

/// <summary>Everything entered for one competitor, keyed by aspect id.</summary>
public sealed record MarkSheet(
    string CompetitorId,
    IReadOnlyDictionary<string, MeasurementInput> Measurements,
    IReadOnlyDictionary<string, JudgementSet> Judgements)
{
    public static MarkSheet Empty(string competitorId) =>
        new(competitorId, new Dictionary<string, MeasurementInput>(), new Dictionary<string, JudgementSet>());
}

/// <summary>
/// A competitor's unrounded totals, each made from exact units by one division (docs/scoring.md, "Exact
/// totals and rounding"), so equal totals are equal decimals. Only accepted marks count;
/// <see cref="Pending"/> lists the aspects that have entries but no accepted mark (incomplete, spread
/// violation, invalid input).
/// </summary>
public sealed record CompetitorTotals(
    string CompetitorId,
    decimal Raw,
    IReadOnlyDictionary<string, decimal> Criteria,
    IReadOnlyDictionary<string, decimal> SubCriteria,
    IReadOnlyDictionary<string, decimal> AspectMarks,
    IReadOnlyList<MarkOutcome> Pending)
{
    /// <summary>Raw total rounded for display (2 places); never used for ranking.</summary>
    public decimal RawDisplay => Marks.RoundForDisplay(Raw);
}

public static class CompetitorTotalsCalculator
{
    /// <summary>
    /// Marks every aspect of <paramref name="scheme"/> from <paramref name="sheet"/> and sums them as
    /// exact integer units (<see cref="ExactMarks"/>): a total never depends on the order or the way
    /// its marks were entered, and mathematically equal totals are equal.
    /// </summary>
    public static CompetitorTotals Compute(MarkingScheme scheme, MarkSheet sheet, int judges = JudgementSet.DefaultJudges) =>
        Compute(scheme, SchemeShape.Of(scheme), sheet, judges);

    internal static CompetitorTotals Compute(MarkingScheme scheme, SchemeShape shape, MarkSheet sheet, int judges)
    {
        ScoringOptions.CheckJudges(judges);
        var criteria = new Dictionary<string, decimal>(shape.Criteria, StringComparer.Ordinal);
        var subCriteria = new Dictionary<string, decimal>(shape.SubCriteria, StringComparer.Ordinal);
        var aspectMarks = new Dictionary<string, decimal>(shape.Aspects, StringComparer.Ordinal);
        List<MarkOutcome>? pending = null;
        long raw = 0;

        foreach (var criterion in scheme.Criteria.AsSpan())
        {
            long criterionTotal = 0;
            foreach (var sub in criterion.SubCriteria.AsSpan())
            {
                long subTotal = 0;
                foreach (var aspect in sub.Aspects.AsSpan())
                {
                    if (TryFastMark(aspect, sheet, judges, out var fast))
                    {
                        aspectMarks[aspect.Id] = ExactMarks.ToDecimal(fast);
                        subTotal += fast;
                        continue;
                    }

                    var outcome = Outcome(aspect, sheet, judges);
                    if (outcome is MarkOutcome.Accepted accepted)
                    {
                        aspectMarks[aspect.Id] = accepted.Mark;
                        subTotal += accepted.Units;
                    }
                    else if (outcome is not null)
                    {
                        (pending ??= []).Add(outcome);
                    }
                }

                subCriteria[sub.Id] = ExactMarks.ToDecimal(subTotal);
                criterionTotal += subTotal;
            }

            criteria[criterion.Id] = ExactMarks.ToDecimal(criterionTotal);
            raw += criterionTotal;
        }

        return new CompetitorTotals(sheet.CompetitorId, ExactMarks.ToDecimal(raw), criteria, subCriteria, aspectMarks, (IReadOnlyList<MarkOutcome>?)pending ?? []);
    }

    private static bool TryFastMark(Aspect aspect, MarkSheet sheet, int judges, out long units)
    {
        if (aspect.Type == AspectType.Judgement)
        {
            if (sheet.Judgements.TryGetValue(aspect.Id, out var scores))
            {
                return scores.TryAccept(aspect, judges, out units);
            }
        }
        else if (sheet.Measurements.TryGetValue(aspect.Id, out var input) && MarkCalculator.TryMeasure(aspect, input, out var mark))
        {
            units = ExactMarks.ToUnits(mark);
            return true;
        }

        units = 0;
        return false;
    }

    private static MarkOutcome? Outcome(Aspect aspect, MarkSheet sheet, int judges)
    {
        if (aspect.Type == AspectType.Judgement)
        {
            if (sheet.Judgements.TryGetValue(aspect.Id, out var scores))
            {
                return scores.Evaluate(aspect, judges);
            }
        }
        else if (sheet.Measurements.TryGetValue(aspect.Id, out var input))
        {
            return MarkCalculator.Measure(aspect, input);
        }

        // An entry of the wrong kind surfaces as an Invalid outcome rather than vanishing silently.
        if (aspect.Type == AspectType.Judgement)
        {
            return sheet.Measurements.TryGetValue(aspect.Id, out var wrongInput) ? MarkCalculator.Measure(aspect, wrongInput) : null;
        }

        return sheet.Judgements.TryGetValue(aspect.Id, out var wrongScores) ? wrongScores.Evaluate(aspect, judges) : null;
    }
}

/// <summary>Node counts of a scheme, computed once per skill so per-competitor dictionaries never resize.</summary>
internal readonly record struct SchemeShape(int Criteria, int SubCriteria, int Aspects)
{
    public static SchemeShape Of(MarkingScheme scheme)
    {
        int subs = 0, aspects = 0;
        foreach (var criterion in scheme.Criteria)
        {
            subs += criterion.SubCriteria.Count;
            foreach (var sub in criterion.SubCriteria)
            {
                aspects += sub.Aspects.Count;
            }
        }

        return new SchemeShape(scheme.Criteria.Count, subs, aspects);
    }
}
