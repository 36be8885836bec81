using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.TestSchemes;

namespace SkillsHub.Domain.Tests.Marking;

/// <summary>
/// Whether the marking groups can complete every judgement aspect (docs/scoring.md, "Marking groups and judges"). Found by
/// an outside tester: a 5-judge skill took a group of 3 experts, and the aspect could never be complete.
/// </summary>
public sealed class JudgementCoverageTests
{
    static readonly MarkingScheme Scheme = Scheme(
        Criterion("A", Sub("A1", Measurement("A1.1", 40m), Judgement("A1.2", 10m))),
        Criterion("B", Sub("B1", Judgement("B1.1", 50m))));

    static readonly Dictionary<string, string> Members = new(StringComparer.Ordinal)
    {
        ["E-FR"] = "FR", ["E-KR"] = "KR", ["E-JP"] = "JP", ["E-CN"] = "CN", ["E-DE"] = "DE", ["E-BR"] = "BR",
    };

    static Assignment Group(string targets, string experts) => new(targets.Split(';'), experts.Split(';'));

    [Theory]
    [InlineData(3, "E-FR;E-KR", 2)]
    [InlineData(5, "E-FR;E-KR;E-JP", 3)]
    [InlineData(5, "E-FR;E-KR;E-JP;E-CN", 4)]
    public void AGroupSmallerThanTheJudges_CanNeverCompleteItsJudgements(int judges, string experts, int count)
    {
        var found = JudgementCoverage.Find(Scheme, [Group("B", experts)], judges, allowCompatriots: true, Members, []);
        Assert.Equal([new JudgementCoverage.Shortfall("B1.1", count, judges, null)], found);
    }

    [Fact]
    public void GroupsMarkingOneAspect_CountTheirExpertsOnce_AndMeasurementsNeedNoJudges()
    {
        // B1 by two groups of two, one expert in both: three experts, enough for 3 judges. A1.1 is a measurement.
        Assert.Empty(JudgementCoverage.Find(Scheme, [Group("B1", "E-FR;E-KR"), Group("B1.1", "E-KR;E-JP"), Group("A1.1;A1.2", "E-CN;E-DE;E-BR")], 3, true, Members, []));
        Assert.Equal(["A1.2"], JudgementCoverage.Find(Scheme, [Group("A", "E-CN;E-DE"), Group("B", "E-FR;E-KR;E-JP")], 3, true, Members, []).Select(s => s.AspectId));
    }

    [Fact]
    public void AnAspectNoGroupMarks_IsLeftForTheGroupsToCome()
    {
        Assert.Empty(JudgementCoverage.Find(Scheme, [Group("A1.1", "E-FR")], 3, true, Members, ["FR"]));
        Assert.Empty(JudgementCoverage.Find(Scheme, [], 5, false, Members, ["FR"]));
    }

    [Fact]
    public void WithoutCompatriotMarking_ACompetitorsOwnMembersExpertsStepAside()
    {
        // Exactly three judges for three: the French expert may not judge the French competitor, so FR has two.
        var groups = new[] { Group("A;B", "E-FR;E-KR;E-JP") };
        Assert.Equal(
            [new JudgementCoverage.Shortfall("A1.2", 2, 3, "FR"), new JudgementCoverage.Shortfall("B1.1", 2, 3, "FR")],
            JudgementCoverage.Find(Scheme, groups, 3, allowCompatriots: false, Members, ["FR", "CN", "FR"]));
        // Allowed to mark compatriots, or a fourth expert: enough.
        Assert.Empty(JudgementCoverage.Find(Scheme, groups, 3, allowCompatriots: true, Members, ["FR", "CN"]));
        Assert.Empty(JudgementCoverage.Find(Scheme, [Group("A;B", "E-FR;E-KR;E-JP;E-DE")], 3, false, Members, ["FR", "KR", "JP", "DE"]));
    }
}
