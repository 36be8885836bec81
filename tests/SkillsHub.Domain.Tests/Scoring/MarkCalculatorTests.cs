using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.TestSchemes;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class MarkCalculatorTests
{
    private static readonly Aspect Banded = Measurement("C1.1", 1.00m) with
    {
        Bands = [new ToleranceBand(0.10m, 0.50m), new ToleranceBand(0.05m, 1.00m)],
    };

    private static readonly Aspect WithDeductions = Measurement("A1.1", 1.00m) with
    {
        Deductions = [new Deduction(0.25m, "each breach"), new Deduction(0.40m, "serious breach")],
    };

    private static decimal Mark(Aspect aspect, MeasurementInput input) =>
        Assert.IsType<MarkOutcome.Accepted>(MarkCalculator.Measure(aspect, input)).Mark;

    [Fact]
    public void Measurement_AllOrNothing_GivesMaxOrZero()
    {
        var aspect = Measurement("A1.1", 1.50m);
        Assert.Equal(1.50m, Mark(aspect, new MeasurementAchieved(true)));
        Assert.Equal(0m, Mark(aspect, new MeasurementAchieved(false)));
    }

    [Theory]
    [InlineData("0.00", "1.00")]
    [InlineData("0.05", "1.00")]
    [InlineData("-0.05", "1.00")]
    [InlineData("0.06", "0.50")]
    [InlineData("0.10", "0.50")]
    [InlineData("0.11", "0")]
    public void Measurement_Bands_AwardTheTightestBandTheDeviationFits(string deviation, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Mark(Banded, new MeasuredDeviation(decimal.Parse(deviation, System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Measurement_Deductions_SubtractFromMax()
    {
        Assert.Equal(0.35m, Mark(WithDeductions, new DeductionsTaken([1, 1])));
        Assert.Equal(1.00m, Mark(WithDeductions, new DeductionsTaken([0, 0])));
    }

    [Fact]
    public void Measurement_Deductions_AreClampedAtZero()
    {
        Assert.Equal(0m, Mark(WithDeductions, new DeductionsTaken([3, 1])));
    }

    [Fact]
    public void Measurement_BandAwardAboveMax_IsClampedToMax()
    {
        // An invalid scheme never gets this far, but the clamp is the last line of defence.
        var aspect = Measurement("X", 1m) with { Bands = [new ToleranceBand(1m, 5m)] };
        Assert.Equal(1m, Mark(aspect, new MeasuredDeviation(0m)));
    }

    [Fact]
    public void Measurement_WrongKindOfInput_IsInvalidWithAMessage()
    {
        Assert.Equal(
            "Aspect 'C1.1' expects a measured deviation (it has tolerance bands).",
            Assert.IsType<MarkOutcome.Invalid>(MarkCalculator.Measure(Banded, new MeasurementAchieved(true))).Message);
        Assert.Equal(
            "Aspect 'A1.1' expects deduction counts (it has deductions).",
            Assert.IsType<MarkOutcome.Invalid>(MarkCalculator.Measure(WithDeductions, new MeasuredDeviation(0m))).Message);
        Assert.Equal(
            "Aspect 'A1.1' expects met or not met (it is all-or-nothing).",
            Assert.IsType<MarkOutcome.Invalid>(MarkCalculator.Measure(Measurement("A1.1", 1m), new MeasuredDeviation(0m))).Message);
    }

    [Fact]
    public void Measurement_DeductionCountsOfTheWrongLength_AreInvalid()
    {
        Assert.Equal(
            "Aspect 'A1.1' has 2 deductions; 1 counts were given.",
            Assert.IsType<MarkOutcome.Invalid>(MarkCalculator.Measure(WithDeductions, new DeductionsTaken([1]))).Message);
        Assert.Equal(
            "Aspect 'A1.1' has a negative deduction count.",
            Assert.IsType<MarkOutcome.Invalid>(MarkCalculator.Measure(WithDeductions, new DeductionsTaken([-1, 0]))).Message);
    }

    [Fact]
    public void Measurement_OnAJudgementAspect_IsInvalid()
    {
        Assert.Equal(
            "Aspect 'A1.2' is a judgement aspect; it takes judgement scores, not a measurement.",
            Assert.IsType<MarkOutcome.Invalid>(MarkCalculator.Measure(Judgement("A1.2", 1m), new MeasurementAchieved(true))).Message);
    }
}
