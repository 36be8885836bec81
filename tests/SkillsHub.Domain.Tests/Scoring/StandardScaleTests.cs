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
}
