using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.TestSchemes;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class CompetitorTotalsTests
{
    private static MarkSheet Sheet(
        string id,
        Dictionary<string, MeasurementInput>? measurements = null,
        Dictionary<string, JudgementSet>? judgements = null) =>
        new(id, measurements ?? [], judgements ?? []);

    [Fact]
    public void Totals_AreSummedPerSubCriterionCriterionAndCompetitor()
    {
        var sheet = Sheet("c1",
            new() { ["A1.1"] = new MeasurementAchieved(true), ["B1.1"] = new MeasuredDeviation(0.08m) },
            new() { ["A1.2"] = new JudgementSet(("J1", 2), ("J2", 2), ("J3", 3)), ["B1.2"] = new JudgementSet(("J1", 3), ("J2", 3), ("J3", 3)) });
        var totals = CompetitorTotalsCalculator.Compute(Simple(), sheet);

        var a12 = 20m * 7 / 9;
        Assert.Equal(40m + a12, totals.SubCriteria["A1"]);
        Assert.Equal(40m + a12, totals.Criteria["A"]);
        Assert.Equal(25m, totals.Criteria["B"]);
        Assert.Equal(65m + a12, totals.Raw);
        Assert.Equal(80.56m, totals.RawDisplay);
        Assert.Empty(totals.Pending);
    }

    [Fact]
    public void Totals_IgnoreIncompleteAndRejectedJudgements_AndListThemAsPending()
    {
        var sheet = Sheet("c1",
            new() { ["A1.1"] = new MeasurementAchieved(true) },
            new() { ["A1.2"] = new JudgementSet(("J1", 3), ("J2", 3)), ["B1.2"] = new JudgementSet(("J1", 0), ("J2", 3), ("J3", 3)) });
        var totals = CompetitorTotalsCalculator.Compute(Simple(), sheet);

        Assert.Equal(40m, totals.Raw);
        Assert.Equal(["A1.1"], totals.AspectMarks.Keys);
        Assert.Collection(
            totals.Pending,
            p => Assert.Equal(new MarkOutcome.Incomplete("A1.2", 2, 3), p),
            p => Assert.Equal("B1.2", Assert.IsType<MarkOutcome.SpreadViolation>(p).AspectId));
    }

    [Fact]
    public void Totals_OfAnEmptySheet_AreZero()
    {
        var totals = CompetitorTotalsCalculator.Compute(Simple(), MarkSheet.Empty("c1"));
        Assert.Equal(0m, totals.Raw);
        Assert.Equal(0m, totals.Criteria["A"]);
        Assert.Empty(totals.Pending);
    }

    [Fact]
    public void Totals_EntryOfTheWrongKind_IsPendingAndCountsNothing()
    {
        var sheet = Sheet("c1", new() { ["A1.2"] = new MeasurementAchieved(true) }, new() { ["A1.1"] = new JudgementSet(("J1", 3)) });
        var totals = CompetitorTotalsCalculator.Compute(Simple(), sheet);
        Assert.Equal(0m, totals.Raw);
        Assert.All(totals.Pending, p => Assert.IsType<MarkOutcome.Invalid>(p));
        Assert.Equal(2, totals.Pending.Count);
    }

    [Fact]
    public void Ranking_UsesUnroundedTotals_EvenWhenDisplayedTotalsAreEqual()
    {
        var scheme = Scheme(
            Criterion("A", Sub("A1", Judgement("A1.1", 0.10m), Measurement("A1.2", 0.08m), Measurement("A1.3", 99.82m))));
        var judged = Sheet("judged", new() { ["A1.3"] = new MeasurementAchieved(true) }, new() { ["A1.1"] = new JudgementSet(("J1", 2), ("J2", 2), ("J3", 3)) });
        var measured = Sheet("measured", new() { ["A1.2"] = new MeasurementAchieved(true), ["A1.3"] = new MeasurementAchieved(true) });
        var competitors = new[] { new Competitor("judged", "FR", "S1"), new Competitor("measured", "KR", "S1") };

        var result = SkillResults.Compute("S1", scheme, competitors, [judged, measured]);

        // 99.82 + 0.0778 = 99.8978 and 99.82 + 0.08 = 99.90 both display as 99.90; the unrounded totals decide.
        Assert.Equal(["measured", "judged"], result.Standings.Select(s => s.Competitor.Id));
        Assert.All(result.Standings, s => Assert.Equal(99.90m, s.RawDisplay));
        Assert.Equal([1, 2], result.Standings.Select(s => s.Place));
    }
}
