namespace SkillsHub.Domain.Scoring;

/// <summary>
/// Marks computed exactly (docs/scoring.md, "Exact totals and rounding"). Every mark SkillsHub can
/// award is a whole number of 1/4500 marks: measurement marks, bands and deductions have at most two
/// decimal places (1/100), and a judgement mark is max x sum / (3 x judges) with 3 or 5 judges, so its
/// denominator divides 100 x 9 or 100 x 15, both of which divide 4500. Sums and comparisons are done
/// on these integer units; a decimal is made once, by one division, so equal totals are equal decimals.
/// </summary>
public static class ExactMarks
{
    public const long UnitsPerMark = 4500;

    /// <summary>Units of a mark with at most two decimal places (a max mark, band award, deduction).</summary>
    public static long ToUnits(decimal twoPlaceMark)
    {
        var units = twoPlaceMark * UnitsPerMark;
        if (decimal.Truncate(units) != units)
        {
            throw new ArgumentException($"{twoPlaceMark} is not a whole number of 1/{UnitsPerMark} marks.", nameof(twoPlaceMark));
        }

        return (long)units;
    }

    /// <summary>Judgement mark [S]: max x sum(scores) / (3 x judges), exactly, in units.</summary>
    public static long Judgement(decimal maxMark, int sumOfScores, int judges) =>
        ToUnits(maxMark) * sumOfScores / (3L * judges);

    /// <summary>
    /// The exact sum of exact marks (each a <see cref="ToDecimal"/> of its units): each is taken back to its units, so the
    /// sum is the one its units give, however its decimals were cut.
    /// </summary>
    public static decimal Sum(IEnumerable<decimal> exactMarks) =>
        ToDecimal(exactMarks.Sum(m => (long)Math.Round(m * UnitsPerMark, MidpointRounding.AwayFromZero)));

    /// <summary>The one division from units to a decimal: the same units always give the same decimal.</summary>
    public static decimal ToDecimal(long units) => (decimal)units / UnitsPerMark;
}
