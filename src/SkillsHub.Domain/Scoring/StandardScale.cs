namespace SkillsHub.Domain.Scoring;

/// <summary>The median and spread a skill was scaled with, so a report can show its working.</summary>
public sealed record ScaleParameters(decimal Median, decimal Spread, SpreadEstimator Estimator)
{
    /// <summary>
    /// The same median and spread exactly, when they were computed from the raw totals (<see cref="StandardScale.Parameters"/>):
    /// a scaled score within a hair of .5 is then rounded by the exact value. Null for parameters read back from storage.
    /// </summary>
    public ExactSpread? Exact { get; init; }

    /// <summary>True when everyone got <see cref="StandardScale.Centre"/>: all tied, or fewer than two competitors.</summary>
    public bool IsFlat => Spread == 0;
}

/// <summary>
/// Places raw totals on the standard scale: the skill's median raw total sits at 700 [S]; the rest
/// is SkillsHub's configurable default [P], see <see cref="ScaleOptions"/>.
/// </summary>
public static class StandardScale
{
    public const int Centre = 700;

    private const decimal MadToSigma = 1.4826m;

    /// <summary>
    /// Median and spread of the skill's raw totals. Everyone tied, or fewer than two competitors,
    /// gives spread 0 (everyone 700). [P] If the configured estimator is 0 although totals differ (MAD
    /// when more than half are tied), SkillsHub falls back to the sample standard deviation, which is
    /// then positive, so different totals still get different scores.
    /// </summary>
    public static ScaleParameters Parameters(IReadOnlyList<decimal> rawTotals, ScaleOptions? options = null)
    {
        options ??= ScaleOptions.Default;
        options.Check();
        var sorted = rawTotals.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        if (n == 0)
        {
            return new(0m, 0m, options.SpreadEstimator);
        }

        var exact = rawTotals.Select(ExactSpread.ToCommon).Order().ToArray();
        var median = ExactSpread.ToMarks(ExactSpread.MedianOfSorted(exact));
        if (n < 2 || sorted[0] == sorted[n - 1])
        {
            return new(median, 0m, options.SpreadEstimator);
        }

        if (options.SpreadEstimator == SpreadEstimator.ScaledMedianAbsoluteDeviation)
        {
            var mad = MadToSigma * MedianAbsoluteDeviation(sorted, median);
            if (mad > 0)
            {
                return new(median, mad, SpreadEstimator.ScaledMedianAbsoluteDeviation)
                {
                    Exact = ExactSpread.Of(exact, SpreadEstimator.ScaledMedianAbsoluteDeviation),
                };
            }
        }

        return new(median, SampleStandardDeviation(sorted), SpreadEstimator.SampleStandardDeviation)
        {
            Exact = ExactSpread.Of(exact, SpreadEstimator.SampleStandardDeviation),
        };
    }

    /// <summary>
    /// <c>700 + K x (raw - median) / s</c>, rounded half to even, clamped to Min..Max; 700 (clamped)
    /// when the spread is 0. The decimal value is off by a few units in its 28th digit; when it lies within a hair of
    /// .5, the exact value decides which side of .5 it is on, or that it is exactly .5 (docs/scoring.md, "Standard
    /// scale in detail").
    /// </summary>
    public static int Scale(decimal raw, ScaleParameters parameters, ScaleOptions? options = null)
    {
        options ??= ScaleOptions.Default;
        if (parameters.Spread == 0)
        {
            return Math.Clamp(Centre, options.Min, options.Max);
        }

        var value = Centre + (options.K * (raw - parameters.Median) / parameters.Spread);
        var rounded = Math.Round(value, 0, MidpointRounding.ToEven);
        var floor = decimal.Floor(value);
        if (parameters.Exact is { } exact && Math.Abs(value - floor - 0.5m) < 1e-12m)
        {
            var half = (long)floor * 2 + 1;
            var side = exact.CompareScaled(ExactSpread.ToCommon(raw), options.K, half);
            rounded = side < 0 ? floor : side > 0 ? floor + 1 : Math.Round(floor + 0.5m, 0, MidpointRounding.ToEven);
        }

        return (int)Math.Clamp(rounded, options.Min, options.Max);
    }

    /// <summary>Scaled scores aligned with <paramref name="rawTotals"/>.</summary>
    public static int[] Scale(IReadOnlyList<decimal> rawTotals, ScaleOptions? options = null)
    {
        options ??= ScaleOptions.Default;
        var parameters = Parameters(rawTotals, options);
        var scaled = new int[rawTotals.Count];
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] = Scale(rawTotals[i], parameters, options);
        }

        return scaled;
    }

    /// <summary>Median; for an even count the mean of the two middle values.</summary>
    public static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted.Length == 0 ? 0m : MedianOfSorted(sorted);
    }

    private static decimal MedianOfSorted(decimal[] sorted)
    {
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static decimal MedianAbsoluteDeviation(decimal[] sorted, decimal median)
    {
        var deviations = new decimal[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            deviations[i] = Math.Abs(sorted[i] - median);
        }

        Array.Sort(deviations);
        return MedianOfSorted(deviations);
    }

    /// <summary>Sample (n - 1) standard deviation, entirely in decimal.</summary>
    public static decimal SampleStandardDeviation(IReadOnlyList<decimal> values)
    {
        var n = values.Count;
        if (n < 2)
        {
            return 0m;
        }

        var sum = 0m;
        foreach (var value in values)
        {
            sum += value;
        }

        var mean = sum / n;
        var squares = 0m;
        foreach (var value in values)
        {
            var d = value - mean;
            squares += d * d;
        }

        return Sqrt(squares / (n - 1));
    }

    /// <summary>
    /// Square root in decimal: a double estimate refined by Newton's iteration in decimal until it
    /// stops changing, so the scale does not inherit double's 15-16 digits.
    /// </summary>
    public static decimal Sqrt(decimal value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (value == 0)
        {
            return 0m;
        }

        var x = (decimal)Math.Sqrt((double)value);
        for (var i = 0; i < 8; i++)
        {
            var next = (x + (value / x)) / 2;
            if (next == x)
            {
                break;
            }

            x = next;
        }

        return x;
    }
}
