using System.Numerics;

namespace SkillsHub.Domain.Scoring;

/// <summary>
/// The scale's median and squared spread as exact integers, so a scaled score that lands exactly on .5 is rounded half
/// to even by the rule and not by the last digit of a <c>decimal</c> (docs/scoring.md, "Standard scale in detail"). Values are
/// held in one common unit, an eighth of <see cref="Denominator"/>'s part of a mark: a raw total made from whole
/// 1/4500-mark units (<see cref="ExactMarks"/>) and any decimal of up to 28 places are whole numbers of it, and so are
/// the median of such values and the median of their distances from it.
/// </summary>
/// <param name="Median">The median raw total, in the common unit.</param>
/// <param name="SquareNumerator">The spread squared, in the common unit, is <c>SquareNumerator / SquareDenominator</c>.</param>
/// <param name="SquareDenominator">Positive.</param>
public sealed record ExactSpread(BigInteger Median, BigInteger SquareNumerator, BigInteger SquareDenominator)
{
    /// <summary>9 x 10^28: the least common multiple of 4,500 and 10^28.</summary>
    static readonly BigInteger Denominator = 9 * BigInteger.Pow(10, 28);

    /// <summary>
    /// The value of <paramref name="raw"/> in the common unit. A raw total is made from whole 1/4500-mark units by one
    /// division, which a decimal holds to about 28 digits; such a value is taken as the whole number of units it was made
    /// from. Any other decimal is taken as exactly the number it is.
    /// </summary>
    public static BigInteger ToCommon(decimal raw)
    {
        var units = decimal.Round(raw * ExactMarks.UnitsPerMark);
        if (Math.Abs((raw * ExactMarks.UnitsPerMark) - units) <= 1e-15m)
        {
            return 8 * new BigInteger(units) * (Denominator / ExactMarks.UnitsPerMark);
        }

        var (mantissa, power) = Fraction(raw);
        return 8 * mantissa * (Denominator / power);
    }

    /// <summary>The exact parts of <see cref="StandardScale.Parameters"/> for values already in the common unit, sorted.</summary>
    internal static ExactSpread Of(BigInteger[] sorted, SpreadEstimator estimator)
    {
        var median = MedianOfSorted(sorted);
        if (estimator == SpreadEstimator.ScaledMedianAbsoluteDeviation)
        {
            var deviations = sorted.Select(v => BigInteger.Abs(v - median)).Order().ToArray();
            var mad = MedianOfSorted(deviations);
            // 1.4826 x MAD, squared: (14826 x MAD)^2 / 10^8.
            return new(median, BigInteger.Pow(14826 * mad, 2), BigInteger.Pow(10, 8));
        }

        // Sample variance: (n x sum of squares - square of the sum) / (n (n - 1)).
        var n = sorted.Length;
        BigInteger sum = 0, squares = 0;
        foreach (var v in sorted)
        {
            sum += v;
            squares += v * v;
        }

        return new(median, (n * squares) - (sum * sum), (BigInteger)n * (n - 1));
    }

    /// <summary>A value in the common unit as marks, rounded to the decimal's precision once.</summary>
    internal static decimal ToMarks(BigInteger value)
    {
        var perMark = 8 * Denominator;
        var whole = BigInteger.DivRem(value, perMark, out var remainder);
        // The part below one mark, to 28 places, rounded half away from zero.
        var scale = BigInteger.Pow(10, 28);
        var fraction = ((2 * remainder * scale) + (remainder.Sign * perMark)) / (2 * perMark);
        return (decimal)whole + ((decimal)fraction / 10000000000000000000000000000m);
    }

    internal static BigInteger MedianOfSorted(BigInteger[] sorted)
    {
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// Compares <c>700 + K (raw - median) / s</c> with <paramref name="halves"/> / 2, exactly: negative, zero or positive.
    /// With <c>C = halves - 1400</c> the question is <c>2 K d</c> against <c>C s</c>; both sides have known signs,
    /// and when the signs agree their squares are compared, where <c>s^2</c> is a fraction of integers.
    /// </summary>
    internal int CompareScaled(BigInteger raw, decimal k, long halves)
    {
        var (kNumerator, kDenominator) = Fraction(k);
        var a = 2 * kNumerator * (raw - Median);
        var b = (halves - (2L * StandardScale.Centre)) * kDenominator;
        if (a.Sign != b.Sign)
        {
            return a.Sign.CompareTo(b.Sign);
        }

        if (a.IsZero)
        {
            return 0;
        }

        var bySquares = (a * a * SquareDenominator).CompareTo(b * b * SquareNumerator);
        return a.Sign > 0 ? bySquares : -bySquares;
    }

    /// <summary>A decimal as the fraction it is: its 96-bit integer over 10 to its scale.</summary>
    static (BigInteger Numerator, BigInteger Denominator) Fraction(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        return (value < 0 ? -magnitude : magnitude, BigInteger.Pow(10, value.Scale));
    }
}
