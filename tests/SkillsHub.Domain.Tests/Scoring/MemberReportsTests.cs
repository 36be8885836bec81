using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.CompetitionResultsTests;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class MemberReportsTests
{
    [Fact]
    public void MedalPoints_ChinaAtLyon2024_Is187()
    {
        Assert.Equal(187, MemberReports.MedalPoints(gold: 36, silver: 9, bronze: 4, medallions: 8));
    }

    [Fact]
    public void MedalPoints_FromSkillResults_ChinaAtLyon2024_Is187()
    {
        var awards = Enumerable.Repeat(Award.Gold, 36)
            .Concat(Enumerable.Repeat(Award.Silver, 9))
            .Concat(Enumerable.Repeat(Award.Bronze, 4))
            .Concat(Enumerable.Repeat(Award.MedallionForExcellence, 8))
            .Concat(Enumerable.Repeat(Award.None, 2));
        var skills = awards.Select((a, i) => Skill($"S{i:00}", ($"cn{i}", "CN", 750, a))).ToArray();

        var china = Assert.Single(MemberReports.Standings(skills));
        Assert.Equal((36, 9, 4, 8, 187, 59), (china.Gold, china.Silver, china.Bronze, china.Medallions, china.MedalPoints, china.SkillsEntered));
        Assert.Equal(187m / 59, china.AverageMedalPoints);
    }

    [Fact]
    public void PointsFor_Awards_Are4321()
    {
        Assert.Equal([4, 3, 2, 1, 0],
            new[] { Award.Gold, Award.Silver, Award.Bronze, Award.MedallionForExcellence, Award.None }.Select(MemberReports.PointsFor));
    }

    private static readonly SkillResult[] Competition =
    [
        Skill("S01", ("fr1", "FR", 760, Award.Gold), ("kr1", "KR", 740, Award.Silver), ("ch1", "CH", 720, Award.Bronze)),
        Skill("S02", ("kr2", "KR", 780, Award.Gold), ("ch2", "CH", 700, Award.Silver), ("fr2", "FR", 640, Award.Bronze)),
        // A team skill: the team is one competitor and counts once.
        Skill("S03", ("kr-team", "KR", 710, Award.Gold), ("fr-team", "FR", 690, Award.Silver)),
    ];

    private static IReadOnlyList<MemberReport> Reports() =>
        MemberReports.Build(Competition, new Dictionary<string, string> { ["CH"] = "Switzerland", ["FR"] = "France", ["KR"] = "Korea", ["BR"] = "Brazil" });

    [Fact]
    public void FiveReports_AreBuilt()
    {
        Assert.Equal(
            [MemberReportKind.Alphabetical, MemberReportKind.TotalMedalPoints, MemberReportKind.AverageMedalPoints, MemberReportKind.TotalScaledScore, MemberReportKind.AverageScaledScore],
            Reports().Select(r => r.Kind));
    }

    [Fact]
    public void Alphabetical_ListsEveryMemberByName_WithCounts()
    {
        var report = Reports()[0];
        Assert.Equal(["Brazil", "France", "Korea", "Switzerland"], report.Rows.Select(r => r.Standing.Name));
        Assert.All(report.Rows, r => Assert.Null(r.Rank));
        var korea = report.Rows[2].Standing;
        Assert.Equal((3, 2, 1, 0, 0, 11), (korea.SkillsEntered, korea.Gold, korea.Silver, korea.Bronze, korea.Medallions, korea.MedalPoints));
        Assert.Equal(2230L, korea.TotalScaled);
        Assert.Equal(2230m / 3, korea.AverageScaled);
        var brazil = report.Rows[0].Standing;
        Assert.Equal((0, 0, 0m, 0m), (brazil.SkillsEntered, brazil.MedalPoints, brazil.AverageMedalPoints, brazil.AverageScaled));
    }

    [Fact]
    public void TotalMedalPoints_RanksWithTies()
    {
        // KR 4+3+4 = 11, FR 4+2+3 = 9, CH 2+3 = 5, BR 0.
        var report = Reports()[1];
        Assert.Equal([("KR", 1), ("FR", 2), ("CH", 3), ("BR", 4)], report.Rows.Select(r => (r.Standing.MemberCode, r.Rank!.Value)));
    }

    [Fact]
    public void AverageMedalPoints_IsTotalOverSkillsEntered()
    {
        // KR 11/3 = 3.67, FR 9/3 = 3, CH 5/2 = 2.5.
        var report = Reports()[2];
        Assert.Equal(["KR", "FR", "CH", "BR"], report.Rows.Select(r => r.Standing.MemberCode));
        Assert.Equal(2.5m, report.Rows[2].Standing.AverageMedalPoints);
    }

    [Fact]
    public void TotalAndAverageScaledScore_Reports()
    {
        // Totals: KR 2230, FR 2090, CH 1420. Averages: KR 743.3, CH 710, FR 696.7.
        Assert.Equal(["KR", "FR", "CH", "BR"], Reports()[3].Rows.Select(r => r.Standing.MemberCode));
        Assert.Equal(["KR", "CH", "FR", "BR"], Reports()[4].Rows.Select(r => r.Standing.MemberCode));
    }

    [Fact]
    public void EqualValues_ShareARank()
    {
        var skills = new[]
        {
            Skill("S01", ("a", "AA", 760, Award.Gold), ("b", "BB", 760, Award.Gold), ("c", "CC", 700, Award.Bronze)),
        };
        var report = MemberReports.Build(skills)[1];
        Assert.Equal([("AA", 1), ("BB", 1), ("CC", 3)], report.Rows.Select(r => (r.Standing.MemberCode, r.Rank!.Value)));
    }

    [Fact]
    public void AnUndecidedSkill_CountsForNothing_ButItsMembersAreListed()
    {
        // S02 has no raw total above 0: everyone sits at 700 with no medal, which is not a result yet.
        var undecided = new SkillResult("S02", new ScaleParameters(0m, 0m, SpreadEstimator.SampleStandardDeviation),
        [
            new CompetitorResult(new Competitor("kr2", "KR", "S02"), 0m, 700, 1, Award.None, null),
            new CompetitorResult(new Competitor("jp2", "JP", "S02"), 0m, 700, 1, Award.None, null),
        ]);
        var standings = MemberReports.Standings([Skill("S01", ("kr1", "KR", 760, Award.Gold)), undecided]);

        var korea = standings.Single(s => s.MemberCode == "KR");
        Assert.Equal((1, 760L, 760m, 4m), (korea.SkillsEntered, korea.TotalScaled, korea.AverageScaled, korea.AverageMedalPoints));
        var japan = standings.Single(s => s.MemberCode == "JP");
        Assert.Equal((0, 0L, 0m, 0), (japan.SkillsEntered, japan.TotalScaled, japan.AverageScaled, japan.MedalPoints));
    }
}

/// <summary>Found by an outside tester: a report's kind as it answers (TotalMedalPoints) was not a name the path took.</summary>
public sealed class MemberReportKindsTests
{
    [Theory]
    [InlineData("alphabetical", MemberReportKind.Alphabetical)]
    [InlineData("total-medal-points", MemberReportKind.TotalMedalPoints)]
    [InlineData("TotalMedalPoints", MemberReportKind.TotalMedalPoints)]
    [InlineData("totalmedalpoints", MemberReportKind.TotalMedalPoints)]
    [InlineData("AVERAGE-MEDAL-POINTS", MemberReportKind.AverageMedalPoints)]
    [InlineData("total-scaled", MemberReportKind.TotalScaledScore)]
    [InlineData("TotalScaledScore", MemberReportKind.TotalScaledScore)]
    [InlineData("total-scaled-score", MemberReportKind.TotalScaledScore)]
    [InlineData("average-scaled", MemberReportKind.AverageScaledScore)]
    [InlineData("AverageScaledScore", MemberReportKind.AverageScaledScore)]
    public void AReport_IsNamedByItsPathNameOrItsKind_InAnyCase(string name, MemberReportKind kind)
    {
        Assert.True(MemberReportKinds.TryParse(name, out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("medals")]
    [InlineData("total medal points")]
    public void AnythingElse_NamesNoReport(string name) => Assert.False(MemberReportKinds.TryParse(name, out _));

    [Fact]
    public void EveryKind_HasAPathName_AndTheNamesListBoth()
    {
        Assert.Equal(Enum.GetValues<MemberReportKind>(), MemberReportKinds.PathNames.Select(n => MemberReportKinds.TryParse(n, out var k) ? k : (MemberReportKind)(-1)));
        // Path names, the kinds' own names and the two kebab names that are no path name (total-scaled-score, ...), each
        // once, and each one a name the server takes (found by an outside tester: total-scaled-score was not listed).
        Assert.Equal(12, MemberReportKinds.Names.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("total-scaled-score", MemberReportKinds.Names);
        Assert.All(MemberReportKinds.Names, n => Assert.True(MemberReportKinds.TryParse(n, out _), n));
    }
}
