using SkillsHub.Domain.Scoring;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class StandardScaleTests
{
    [Fact]
    public void Median_OfEvenCount_IsTheMeanOfTheTwoMiddleValues()
    {
        Assert.Equal(55m, StandardScale.Median([70m, 40m, 50m, 60m]));
        Assert.Equal(50m, StandardScale.Median([70m, 40m, 50m]));
    }

    [Fact]
    public void MedianRawTotal_Gets700()
    {
        var scaled = StandardScale.Scale([40m, 50m, 60m]);
        Assert.Equal(700, scaled[1]);
    }

    [Fact]
    public void Scale_UsesTheSampleStandardDeviation()
    {
        // Sample SD of 40, 50, 60 is 10, so +-10 raw is +-100 scaled.
        Assert.Equal([600, 700, 800], StandardScale.Scale([40m, 50m, 60m]));
        Assert.Equal(10m, StandardScale.Parameters([40m, 50m, 60m]).Spread);
    }

    [Fact]
    public void Scale_K_IsConfigurable()
    {
        Assert.Equal([650, 700, 750], StandardScale.Scale([40m, 50m, 60m], new ScaleOptions { K = 50m }));
    }

    [Fact]
    public void Scale_RoundsHalfToEven()
    {
        // Median 50, spread 10, K 1: every 5 raw marks is half a point.
        var parameters = new ScaleParameters(Median: 50m, Spread: 10m, SpreadEstimator.SampleStandardDeviation);
        var options = new ScaleOptions { K = 1m };
        Assert.Equal(700, StandardScale.Scale(55m, parameters, options)); // 700.5 -> 700
        Assert.Equal(702, StandardScale.Scale(65m, parameters, options)); // 701.5 -> 702
        Assert.Equal(698, StandardScale.Scale(35m, parameters, options)); // 698.5 -> 698
    }

    [Fact]
    public void Scale_IsClampedToMinAndMax()
    {
        var parameters = new ScaleParameters(50m, 1m, SpreadEstimator.SampleStandardDeviation);
        Assert.Equal(1000, StandardScale.Scale(100m, parameters));
        Assert.Equal(0, StandardScale.Scale(0m, parameters));
        Assert.Equal(900, StandardScale.Scale(100m, parameters, new ScaleOptions { Max = 900 }));
        Assert.Equal(300, StandardScale.Scale(0m, parameters, new ScaleOptions { Min = 300 }));
    }

    [Fact]
    public void EveryoneTied_Gets700()
    {
        Assert.Equal([700, 700, 700], StandardScale.Scale([55.5m, 55.5m, 55.5m]));
        Assert.True(StandardScale.Parameters([55.5m, 55.5m]).IsFlat);
    }

    [Fact]
    public void FewerThanTwoCompetitors_Get700()
    {
        Assert.Equal([700], StandardScale.Scale([12.34m]));
        Assert.Empty(StandardScale.Scale([]));
    }

    [Fact]
    public void MadEstimator_Uses1Point4826TimesTheMedianAbsoluteDeviation()
    {
        var options = new ScaleOptions { SpreadEstimator = SpreadEstimator.ScaledMedianAbsoluteDeviation };
        var parameters = StandardScale.Parameters([40m, 50m, 60m, 90m, 10m], options);
        // Median 50, absolute deviations 10, 0, 10, 40, 40 -> MAD 10.
        Assert.Equal(14.826m, parameters.Spread);
        Assert.Equal(SpreadEstimator.ScaledMedianAbsoluteDeviation, parameters.Estimator);
        Assert.Equal(767, StandardScale.Scale(60m, parameters, options)); // 700 + 100 x 10 / 14.826 = 767.45
    }

    [Fact]
    public void MadEstimator_FallsBackToStandardDeviation_WhenMadIsZeroButTotalsDiffer()
    {
        var options = new ScaleOptions { SpreadEstimator = SpreadEstimator.ScaledMedianAbsoluteDeviation };
        var parameters = StandardScale.Parameters([50m, 50m, 50m, 60m], options);
        Assert.Equal(SpreadEstimator.SampleStandardDeviation, parameters.Estimator);
        Assert.Equal(5m, parameters.Spread);
        Assert.Equal([700, 700, 700, 900], StandardScale.Scale([50m, 50m, 50m, 60m], options));
    }

    [Fact]
    public void Sqrt_IsExactToDecimalPrecision()
    {
        Assert.Equal(1.4142135623730950488016887242m, StandardScale.Sqrt(2m));
        Assert.Equal(12m, StandardScale.Sqrt(144m));
        Assert.Equal(0m, StandardScale.Sqrt(0m));
    }

    [Fact]
    public void Options_WithNonPositiveK_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StandardScale.Parameters([1m, 2m], new ScaleOptions { K = 0m }));
    }
    /// <summary>Raw totals made as the engine makes them: whole 1/4500-mark units, one division.</summary>
    static decimal[] Raws(params long[] units) => [.. units.Select(ExactMarks.ToDecimal)];

    [Fact]
    public void Scale_ExactlyOnAHalf_IsRoundedHalfToEven_ByTheExactValue()
    {
        // Raw totals 2/75, 266/25, 32/3, 886/75 and 338/25: median 32/3, sample SD exactly 16/3. So 266/25 scales to
        // exactly 699.5 and 886/75 to exactly 721.5; decimal arithmetic lands a hair to one side of each.
        long[] units = [120, 47880, 48000, 53160, 60840];
        Assert.Equal([500, 700, 700, 722, 754], StandardScale.Scale(Raws(units)));

        // Scaling every total by the same factor changes no scaled score.
        for (var factor = 2; factor <= 9; factor++)
        {
            Assert.Equal([500, 700, 700, 722, 754], StandardScale.Scale(Raws([.. units.Select(u => u * factor)])));
        }
    }

    [Fact]
    public void AnExactHalf_DecidesAMedal()
    {
        // 266/25 is exactly 699.5, so 700: tied with the median competitor for third place, a bronze.
        string[] ids = ["C0", "C1", "C2", "C3", "C4"];
        var raws = Raws(120, 47880, 48000, 53160, 60840);
        var result = SkillResults.Rank("X-01", [.. ids.Select((id, i) => new CompetitorRaw(new Competitor(id, "M" + i, "X-01"), raws[i]))]);
        var c1 = result.Standings.Single(r => r.Competitor.Id == "C1");
        Assert.Equal((700, 3, Award.Bronze), (c1.Scaled, c1.Place, c1.Award));
    }

    [Fact]
    public void Scale_NeverDependsOnTheUnitOfTheTotals()
    {
        // Exact arithmetic makes 700 + K (raw - median) / s the same for totals all multiplied by one factor.
        var random = new Random(20261203);
        for (var round = 0; round < 300; round++)
        {
            var units = Enumerable.Range(0, random.Next(2, 9)).Select(_ => (long)random.Next(0, 60) * 150).ToArray();
            var expected = StandardScale.Scale(Raws(units));
            foreach (var factor in new[] { 3, 7, 11 })
            {
                Assert.Equal(expected, StandardScale.Scale(Raws([.. units.Select(u => u * factor)])));
            }
        }
    }

    [Fact]
    public void Scale_WithTheMedianAbsoluteDeviation_RoundsAnExactHalfToEven()
    {
        // MAD 2,000,000 units, so s = 1.4826 x 2,000,000 units; 14,826 units above the median is exactly 700.5.
        var options = new ScaleOptions { SpreadEstimator = SpreadEstimator.ScaledMedianAbsoluteDeviation };
        long[] units = [0, 3_000_000, 5_000_000, 5_014_826, 7_000_000, 10_000_000];
        // Median (5,000,000 + 5,014,826) / 2 = 5,007,413: deviations 5,007,413, 2,007,413, 7,413, 7,413, 1,992,587,
        // 4,992,587; their median (1,992,587 + 2,007,413) / 2 = 2,000,000. 5,014,826 is 7,413 above the median: 700.25.
        var parameters = StandardScale.Parameters(Raws(units), options);
        Assert.Equal(SpreadEstimator.ScaledMedianAbsoluteDeviation, parameters.Estimator);
        // 7,413 units above the median is 100 x 7,413 / 2,965,200 = exactly 0.25; 22,239 units (a further 14,826) 0.75.
        Assert.Equal(700, StandardScale.Scale(ExactMarks.ToDecimal(5_007_413 + 14_826), parameters, options)); // 700.5
        Assert.Equal(702, StandardScale.Scale(ExactMarks.ToDecimal(5_007_413 + (3 * 14_826)), parameters, options)); // 701.5
        Assert.Equal(698, StandardScale.Scale(ExactMarks.ToDecimal(5_007_413 - (3 * 14_826)), parameters, options)); // 698.5
    }

    [Fact]
    public void Median_IsMadeFromTheExactTotals()
    {
        // The mean of two middle totals is made by one division from units, like every total, and keeps no trailing zeros.
        Assert.Equal(ExactMarks.ToDecimal(286_305), StandardScale.Parameters(Raws(286_300, 286_310)).Median);
        Assert.Equal("50", StandardScale.Parameters([40m, 50m, 60m]).Median.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("50.25", StandardScale.Parameters([50m, 50.5m]).Median.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
