using System.Text.Json;
using SkillsHub.Domain.JudgingReport;

namespace SkillsHub.Domain.Tests.JudgingReport;

/// <summary>The hand-worked examples of docs/judging-report.md, one assertion per number worked out there.</summary>
public sealed class JudgingReportTests
{
    static readonly ExpertEntry[] Experts = [new("A", "FR", "Expert A"), new("B", "CN", "Expert B"), new("C", "KR", "Expert C"), new("D", "DE", "Expert D")];

    static ScoreSet Set(string competitor, string member, string aspect, int a, int b, int c, string group = "G1") =>
        new(group, competitor, member, aspect, [new("A", "FR", a), new("B", "CN", b), new("C", "KR", c)]);

    /// <summary>The docs' example: one JP competitor, four aspects, judges A, B, C.</summary>
    static SkillJudgingData Worked() => new("WSC2024/07", 3, Experts,
        [Set("JP-07", "JP", "A1", 2, 2, 3), Set("JP-07", "JP", "A2", 1, 2, 2), Set("JP-07", "JP", "A3", 3, 3, 3), Set("JP-07", "JP", "A4", 1, 1, 2)],
        [new("A", 1, 2, 0), new("C", 0, 0, 3), new("A", 1, 0, 0)]);

    static Rational R(long n, long d = 1) => new(n, d);

    [Fact]
    public void Deviations_MatchTheWorkedExample()
    {
        var report = JudgingReportCalculator.ForSkill(Worked());
        var a = report.Experts.Single(e => e.ExpertId == "A").Deviations!;
        var b = report.Experts.Single(e => e.ExpertId == "B").Deviations!;
        var c = report.Experts.Single(e => e.ExpertId == "C").Deviations!;
        Assert.Equal(4, report.Sets);
        Assert.Equal((4, R(-1, 2), R(1, 2), 1, R(1, 4)), (a.Sets, a.MeanDeviation, a.MeanAbsoluteDeviation, a.OutlierSets, a.OutlierShare));
        Assert.Equal((R(-1, 8), R(3, 8), 0, R(0)), (b.MeanDeviation, b.MeanAbsoluteDeviation, b.OutlierSets, b.OutlierShare));
        Assert.Equal((R(5, 8), R(5, 8), 2, R(1, 2)), (c.MeanDeviation, c.MeanAbsoluteDeviation, c.OutlierSets, c.OutlierShare));
        // Nearest rank: of four sorted deviations the quartiles are the 1st, 2nd and 3rd.
        Assert.Equal((R(-1), R(-1), R(-1, 2), R(0)), (a.Min, a.LowerQuartile, a.Median, a.Max));
        Assert.Equal((R(0), R(0), R(1), R(1)), (c.Min, c.LowerQuartile, c.UpperQuartile, c.Max));
        Assert.Equal(-0.50m, a.MeanDeviation.Round(2));
        Assert.Equal(0.63m, c.MeanDeviation.Round(2));
        Assert.Equal(-0.13m, b.MeanDeviation.Round(2));
    }

    [Fact]
    public void AuditCounts_AreSummedPerExpert_AndAnExpertWithoutSetsIsListedWithoutDeviations()
    {
        var report = JudgingReportCalculator.ForSkill(Worked());
        var a = report.Experts.Single(e => e.ExpertId == "A");
        Assert.Equal((2, 2, 0), (a.SpreadRefusals, a.Rescores, a.Corrections));
        Assert.Equal(3, report.Experts.Single(e => e.ExpertId == "C").Corrections);
        var d = report.Experts.Single(e => e.ExpertId == "D");
        Assert.Null(d.Deviations);
        Assert.Equal(Tendency.None, d.Tendency);
        Assert.Equal(["A", "B", "C", "D"], report.Experts.Select(e => e.ExpertId));
    }

    [Fact]
    public void Alpha_MatchesTheWorkedExample()
    {
        var group = Assert.Single(JudgingReportCalculator.ForSkill(Worked()).Groups);
        Assert.Equal(R(3749, 6048), group.Alpha);
        Assert.Equal(4, group.Sets);
        Assert.Equal((R(-1, 2), R(1, 2)), (group.BandLower, group.BandUpper));
    }

    [Fact]
    public void Outlier_NeedsAUniqueLargestDeviationOfAtLeastOne()
    {
        // 0,1,2: A = -1.5 and C = +1.5 tie for the largest: no outlier. 1,1,1: none. 2,2,3: C at exactly 1.
        var report = JudgingReportCalculator.ForSkill(new("S", 3, Experts,
            [Set("X", "JP", "A1", 0, 1, 2), Set("X", "JP", "A2", 1, 1, 1), Set("X", "JP", "A3", 2, 2, 3), Set("X", "JP", "A4", 2, 3, 3)], []));
        Assert.Equal(1, report.Experts.Single(e => e.ExpertId == "C").Deviations!.OutlierSets);
        // 2,3,3: A at -1 is the unique largest; that is A's only outlier set.
        Assert.Equal((1, R(1, 4)), (report.Experts.Single(e => e.ExpertId == "A").Deviations!.OutlierSets, report.Experts.Single(e => e.ExpertId == "A").Deviations!.OutlierShare));
        Assert.Equal(0, report.Experts.Single(e => e.ExpertId == "B").Deviations!.OutlierSets);
    }

    [Fact]
    public void IncompleteSets_AndRepeatedJudges_DoNotCount()
    {
        var report = JudgingReportCalculator.ForSkill(new("S", 3, Experts,
        [
            new("G1", "X", "JP", "A1", [new("A", "FR", 2), new("B", "CN", 3)]),
            new("G1", "X", "JP", "A2", [new("A", "FR", 2), new("A", "FR", 3), new("B", "CN", 3)]),
            Set("X", "JP", "A3", 2, 2, 2),
        ], []));
        Assert.Equal(1, report.Sets);
        Assert.All(report.Experts.Where(e => e.Deviations is not null), e => Assert.Equal(1, e.Deviations!.Sets));
    }

    [Fact]
    public void Leaning_NeedsSixSets_HalfAPointAndASignificantSignTest()
    {
        // A scores every JP aspect one above B and C: d = +1 on each set.
        var sixSets = Enumerable.Range(1, 6).Select(i => Set("JP-07", "JP", $"A{i}", 3, 2, 2)).ToList();
        var report = JudgingReportCalculator.ForSkill(new("S", 3, Experts, sixSets, []));
        var cell = report.Cells.Single(c => c.ExpertId == "A" && c.MemberCode == "JP");
        Assert.Equal((6, R(1), 6, 0, R(1, 32), true), (cell.Sets, cell.MeanDeviation, cell.Above, cell.Below, cell.PValue, cell.Leaning));
        // With three judges, one judge a point high puts each of the other two half a point low on those sets.
        Assert.Equal(R(-1, 2), report.Cells.Single(c => c.ExpertId == "B" && c.MemberCode == "JP").MeanDeviation);
        Assert.Equal(Tendency.Lenient, report.Experts.Single(e => e.ExpertId == "A").Tendency);

        var five = JudgingReportCalculator.ForSkill(new("S", 3, Experts, sixSets.Take(5).ToList(), []));
        Assert.False(five.Cells.Single(c => c.ExpertId == "A" && c.MemberCode == "JP").Leaning);
        Assert.Equal(Tendency.None, five.Experts.Single(e => e.ExpertId == "A").Tendency);

        // Six sets above (p = 1/32) and seven level: the mean, 6/13, is under half a point, so no leaning.
        var small = sixSets.Concat(Enumerable.Range(7, 7).Select(i => Set("JP-07", "JP", $"A{i}", 2, 2, 2))).ToList();
        var weak = JudgingReportCalculator.ForSkill(new("S", 3, Experts, small, []));
        var weakCell = weak.Cells.Single(c => c.ExpertId == "A" && c.MemberCode == "JP");
        Assert.Equal((R(6, 13), R(1, 32), false), (weakCell.MeanDeviation, weakCell.PValue, weakCell.Leaning));
    }

    [Fact]
    public void Severity_IsFlaggedWithANegativeDirection()
    {
        var sets = Enumerable.Range(1, 8).Select(i => Set("JP-07", "JP", $"A{i}", 1, 2, 2)).ToList();
        var report = JudgingReportCalculator.ForSkill(new("S", 3, Experts, sets, []));
        var a = report.Experts.Single(e => e.ExpertId == "A");
        Assert.Equal(Tendency.Severe, a.Tendency);
        Assert.Equal(R(1, 128), a.TendencyP);
        Assert.True(report.Cells.Single(c => c.ExpertId == "A" && c.MemberCode == "JP").Leaning);
    }

    [Fact]
    public void Cells_NeverPairAnExpertWithTheirOwnMember()
    {
        // Compatriot marking allowed: A (FR) judges an FR competitor; the set counts for A, but no FR cell.
        var report = JudgingReportCalculator.ForSkill(new("S", 3, Experts, [Set("FR-07", "FR", "A1", 3, 2, 2), Set("JP-07", "JP", "A1", 3, 2, 2)], []));
        Assert.DoesNotContain(report.Cells, c => c.ExpertId == "A" && c.MemberCode == "FR");
        Assert.Contains(report.Cells, c => c.ExpertId == "B" && c.MemberCode == "FR");
        Assert.Equal(2, report.Experts.Single(e => e.ExpertId == "A").Deviations!.Sets);
    }

    [Fact]
    public void Groups_AreReportedSeparately()
    {
        var sets = new List<ScoreSet> { Set("JP-07", "JP", "A1", 2, 2, 3), Set("JP-07", "JP", "B1", 1, 2, 2, group: "G2") };
        var report = JudgingReportCalculator.ForSkill(new("S", 3, Experts, sets, []));
        Assert.Equal(["G1", "G2"], report.Groups.Select(g => g.GroupId));
        Assert.All(report.Groups, g => Assert.Equal(1, g.Sets));
        Assert.Equal(R(1), report.Groups[0].Experts.Single(e => e.ExpertId == "C").Deviations.MeanDeviation);
        Assert.Equal(R(1, 2), report.Groups[1].Experts.Single(e => e.ExpertId == "C").Deviations.MeanDeviation);
    }

    /// <summary>The aspects in no marking group come after the named groups (found by an outside tester: "-" sorted first).</summary>
    [Fact]
    public void TheAspectsInNoGroup_AreListedAfterTheNamedGroups()
    {
        var sets = new List<ScoreSet> { Set("JP-07", "JP", "C1", 2, 2, 3, group: ScoreSet.NoGroup), Set("JP-07", "JP", "B1", 1, 2, 2, group: "G2"), Set("JP-07", "JP", "A1", 2, 2, 3, group: "0A") };
        var report = JudgingReportCalculator.ForSkill(new("S", 3, Experts, sets, []));
        Assert.Equal(["0A", "G2", ScoreSet.NoGroup], report.Groups.Select(g => g.GroupId));
    }

    [Fact]
    public void Competition_CollectsFindings_MostSignificantFirst()
    {
        // Skill 07: A a point high on six of ten sets (mean 0.6; B and C -0.3). Skill 06: C a point low on six of eight (mean -0.75).
        var lenient = Enumerable.Range(1, 10).Select(i => i <= 6 ? Set("JP-07", "JP", $"A{i}", 3, 2, 2) : Set("JP-07", "JP", $"A{i}", 2, 2, 2)).ToList();
        var severe = Enumerable.Range(1, 8).Select(i => i <= 6 ? Set("JP-06", "JP", $"A{i}", 2, 2, 1) : Set("JP-06", "JP", $"A{i}", 2, 2, 2)).ToList();
        var report = JudgingReportCalculator.ForCompetition(
        [
            new("WSC2024/07", 3, Experts, lenient, []),
            new("WSC2024/06", 3, Experts, severe, []),
        ]);
        Assert.Equal(["WSC2024/06", "WSC2024/07"], report.Skills.Select(s => s.SkillKey));
        Assert.Equal(
            [("WSC2024/06", "C", FindingKind.Severe, (string?)null), ("WSC2024/06", "C", FindingKind.Leaning, "JP"), ("WSC2024/07", "A", FindingKind.Lenient, null), ("WSC2024/07", "A", FindingKind.Leaning, "JP")],
            report.Findings.Select(f => (f.SkillKey, f.ExpertId, f.Kind, f.MemberCode)));
        Assert.All(report.Findings, f => Assert.Equal(R(1, 32), f.PValue));
        Assert.Equal(R(-3, 4), report.Findings[0].MeanDeviation);
    }

    [Fact]
    public void Json_CarriesTheExactFractionAndARoundedValue()
    {
        var json = JsonSerializer.Serialize(new { d = R(-5, 8), t = Tendency.Lenient });
        Assert.Equal("""{"d":{"value":-0.625,"exact":"-5/8"},"t":"Lenient"}""", json);
        Assert.Equal(R(-5, 8), JsonSerializer.Deserialize<Rational>("""{"value":-0.625,"exact":"-5/8"}"""));
    }
}
