using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.TestSchemes;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class JudgementSetTests
{
    private static readonly Aspect Aspect2 = Judgement("A1.2", 2.00m);

    [Fact]
    public void Judgement_Max2_Scores223_Is1Point5556()
    {
        var outcome = new JudgementSet(("J1", 2), ("J2", 2), ("J3", 3)).Evaluate(Aspect2);
        var mark = Assert.IsType<MarkOutcome.Accepted>(outcome).Mark;
        Assert.Equal(1.5556m, Math.Round(mark, 4));
        Assert.Equal(1.56m, Marks.RoundForDisplay(mark));
    }

    [Fact]
    public void Judgement_AllThrees_GivesExactlyMax()
    {
        var outcome = new JudgementSet(("J1", 3), ("J2", 3), ("J3", 3)).Evaluate(Aspect2);
        Assert.Equal(2.00m, Assert.IsType<MarkOutcome.Accepted>(outcome).Mark);
    }

    [Fact]
    public void Judgement_WithFiveJudges_DividesByFifteen()
    {
        var set = new JudgementSet(("J1", 2), ("J2", 2), ("J3", 3), ("J4", 3), ("J5", 2));
        var mark = Assert.IsType<MarkOutcome.Accepted>(set.Evaluate(Judgement("X", 3m), requiredJudges: 5)).Mark;
        Assert.Equal(2.4m, mark);
    }

    [Fact]
    public void Judgement_WithSpreadOverOne_IsRejectedNamingAspectAndScores()
    {
        var outcome = new JudgementSet(("J1", 1), ("J2", 2), ("J3", 3)).Evaluate(Aspect2);
        var violation = Assert.IsType<MarkOutcome.SpreadViolation>(outcome);
        Assert.Equal("A1.2", violation.AspectId);
        Assert.Equal([1, 2, 3], violation.Scores);
        Assert.Equal(
            "Aspect 'A1.2' is not accepted: judgement scores 1, 2, 3 differ by more than 1. The judges must discuss and re-score.",
            violation.Message);
    }

    [Fact]
    public void Judgement_SpreadIsCheckedBeforeTheSetIsComplete()
    {
        var outcome = new JudgementSet(("J1", 0), ("J2", 2)).Evaluate(Aspect2);
        Assert.Equal([0, 2], Assert.IsType<MarkOutcome.SpreadViolation>(outcome).Scores);
    }

    [Fact]
    public void Judgement_ScoresAreListedInJudgeOrder_NotArrivalOrder()
    {
        var outcome = new JudgementSet(("J3", 3), ("J1", 1), ("J2", 2)).Evaluate(Aspect2);
        Assert.Equal([1, 2, 3], Assert.IsType<MarkOutcome.SpreadViolation>(outcome).Scores);
    }

    [Fact]
    public void Judgement_WithSpreadOfExactlyOne_IsAccepted()
    {
        Assert.IsType<MarkOutcome.Accepted>(new JudgementSet(("J1", 1), ("J2", 2), ("J3", 2)).Evaluate(Aspect2));
    }

    [Fact]
    public void Judgement_IncompleteSet_CountsForNothing()
    {
        var outcome = new JudgementSet(("J1", 3), ("J2", 3)).Evaluate(Aspect2);
        Assert.Equal(new MarkOutcome.Incomplete("A1.2", 2, 3), outcome);
    }

    [Fact]
    public void Judgement_ScoreOutsideZeroToThree_IsInvalid()
    {
        var outcome = new JudgementSet(("J1", 4), ("J2", 3), ("J3", 3)).Evaluate(Aspect2);
        Assert.Equal(
            "Judge 'J1' gave aspect 'A1.2' a score of 4; judgement scores are 0, 1, 2 or 3.",
            Assert.IsType<MarkOutcome.Invalid>(outcome).Message);
    }

    [Fact]
    public void Judgement_MoreScoresThanJudges_IsInvalid()
    {
        var outcome = new JudgementSet(("J1", 3), ("J2", 3), ("J3", 3), ("J4", 3)).Evaluate(Aspect2);
        Assert.Equal(
            "Aspect 'A1.2' has 4 judgement scores; the group has 3 judges.",
            Assert.IsType<MarkOutcome.Invalid>(outcome).Message);
    }

    [Fact]
    public void Judgement_OnAMeasurementAspect_IsInvalid()
    {
        var outcome = new JudgementSet(("J1", 3)).Evaluate(Measurement("A1.1", 1m));
        Assert.Equal(
            "Aspect 'A1.1' is a measurement aspect; it takes a measurement, not judgement scores.",
            Assert.IsType<MarkOutcome.Invalid>(outcome).Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Judgement_GroupSizeOtherThanThreeOrFive_IsAConfigurationError(int judges)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new JudgementSet(("J1", 3)).Evaluate(Aspect2, judges));
    }
}
