using SkillsHub.Domain.JudgingReport;

namespace SkillsHub.Domain.Tests.JudgingReport;

public sealed class SignTestTests
{
    [Theory]
    [InlineData(6, 0, 1, 32)] // 2 * (1/2)^6
    [InlineData(0, 6, 1, 32)]
    [InlineData(5, 1, 7, 32)] // 2 * (1 + 6) / 64
    [InlineData(10, 2, 79, 2048)] // 2 * (1 + 12 + 66) / 4096
    [InlineData(3, 3, 1, 1)] // 2 * 42/64 > 1: capped
    [InlineData(0, 0, 1, 1)]
    [InlineData(1, 0, 1, 1)]
    [InlineData(9, 1, 11, 512)] // 2 * (1 + 10) / 1024
    public void TwoSided_IsTheExactBinomialTail(int above, int below, long numerator, long denominator) =>
        Assert.Equal(new Rational(numerator, denominator), SignTest.TwoSided(above, below));

    [Fact]
    public void TwoSided_MatchesTheTextbookTable_ForTwentyTrials()
    {
        // P(X <= 5) for Binomial(20, 1/2) = 21700/1048576; two-sided 0.0414 (5 of 20 is significant at 5 %, 6 of 20 is not).
        Assert.Equal(0.0414m, SignTest.TwoSided(5, 15).Round(4));
        Assert.True(SignTest.TwoSided(5, 15) < new Rational(1, 20));
        Assert.False(SignTest.TwoSided(6, 14) < new Rational(1, 20));
    }
}

public sealed class KrippendorffAlphaTests
{
    /// <summary>
    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with missing data:
    /// four observers, twelve units, values 1..5 ('*' = no value). Published: nominal 0.743, ordinal
    /// 0.815, interval 0.849.
    /// </summary>
    static readonly int?[][] Observers =
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
        [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];

    static IEnumerable<IReadOnlyList<int>> Units() =>
        Enumerable.Range(0, 12).Select(u => (IReadOnlyList<int>)Observers.Select(o => o[u]).OfType<int>().ToList());

    [Theory]
    [InlineData(AlphaMetric.Nominal, 0.743)]
    [InlineData(AlphaMetric.Ordinal, 0.815)]
    [InlineData(AlphaMetric.Interval, 0.849)]
    public void Alpha_MatchesThePublishedExample(AlphaMetric metric, double published) =>
        Assert.Equal((decimal)published, KrippendorffAlpha.Compute(Units(), metric)!.Value.Round(3));

    [Fact]
    public void Alpha_OrdinalWorkedExample_IsExact()
    {
        // docs/judging-report.md: units (2,2,3), (1,2,2), (3,3,3), (1,1,2) -> 3749/6048.
        int[][] units = [[2, 2, 3], [1, 2, 2], [3, 3, 3], [1, 1, 2]];
        Assert.Equal(new Rational(3749, 6048), KrippendorffAlpha.Compute(units, AlphaMetric.Ordinal));
    }

    [Fact]
    public void Alpha_IsOne_WhenEveryUnitIsUnanimous() =>
        Assert.Equal(Rational.One, KrippendorffAlpha.Compute([[0, 0, 0], [3, 3, 3], [2, 2, 2]], AlphaMetric.Ordinal));

    [Fact]
    public void Alpha_IsUndefined_WithoutVariationOrPairs()
    {
        Assert.Null(KrippendorffAlpha.Compute([[2, 2, 2], [2, 2, 2]], AlphaMetric.Ordinal));
        Assert.Null(KrippendorffAlpha.Compute([[1], [3]], AlphaMetric.Ordinal));
        Assert.Null(KrippendorffAlpha.Compute([], AlphaMetric.Ordinal));
    }

    [Fact]
    public void Alpha_IsNegative_WhenJudgesSystematicallyDisagree() =>
        Assert.True(KrippendorffAlpha.Compute([[0, 3], [3, 0], [0, 3], [3, 0]], AlphaMetric.Ordinal) < Rational.Zero);
}

public sealed class RationalTests
{
    [Fact]
    public void Normalises_AndCompares()
    {
        Assert.Equal(new Rational(1, 2), new Rational(-3, -6));
        Assert.Equal("-1/2", new Rational(2, -4).ToString());
        Assert.Equal("3", new Rational(6, 2).ToString());
        Assert.True(new Rational(1, 3) < new Rational(1, 2));
        Assert.Equal(new Rational(5, 6), new Rational(1, 2) + new Rational(1, 3));
        Assert.Equal(Rational.Zero, default);
        Assert.Equal("0", default(Rational).ToString());
        Assert.Throws<DivideByZeroException>(() => new Rational(1, 0));
    }

    [Theory]
    [InlineData(2, 3, 0.67)]
    [InlineData(-2, 3, -0.67)]
    [InlineData(1, 8, 0.13)] // half away from zero
    [InlineData(-1, 8, -0.13)]
    [InlineData(1, 200, 0.01)]
    public void Rounds_ToTwoPlaces(long n, long d, double expected) =>
        Assert.Equal((decimal)expected, new Rational(n, d).Round(2));
}
