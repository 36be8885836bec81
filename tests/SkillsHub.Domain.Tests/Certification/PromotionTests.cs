using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

public sealed class PromotionTests
{
    const string Welder = "6-18-02-04";

    static SkillResults Results(bool published) => new("NSC2025", 12, "Welding", published,
    [
        new(1, "c1", "Li Wei", "CN", "Gold"),
        new(2, "c2", "Wang Fang", "CN", "Silver"),
        new(4, "c4", "Zhao Lei", "CN", "MedallionForExcellence"),
        new(9, "c9", "Sun Li", "CN", "None"),
    ]);

    [Fact]
    public void UnpublishedResults_PromoteNobody()
    {
        Assert.Empty(Promotions.Decide(Results(published: false), PromotionRule.National, Welder));
    }

    [Fact]
    public void NationalRule_ExcellenceOrBetter_IsLevel2()
    {
        var promotions = Promotions.Decide(Results(published: true), PromotionRule.National, Welder);

        Assert.Equal(["c1", "c2", "c4"], promotions.Select(p => p.CompetitorId));
        Assert.All(promotions, p => Assert.Equal(SkillLevel.Level2, p.Level));
        Assert.All(promotions, p => Assert.Equal(Welder, p.Occupation));
    }

    [Fact]
    public void NationalRule_AlreadyLevel2_IsLevel1_AndLevel1HoldersGetNothing()
    {
        var held = new Dictionary<string, SkillLevel> { ["c1"] = SkillLevel.Level2, ["c2"] = SkillLevel.Level1 };
        var promotions = Promotions.Decide(Results(published: true), PromotionRule.National, Welder, id => held.TryGetValue(id, out var l) ? l : null);

        Assert.Equal([("c1", SkillLevel.Level1), ("c4", SkillLevel.Level2)], promotions.Select(p => (p.CompetitorId, p.Level)));
    }

    [Fact]
    public void PlaceBands_AreConfiguredPerCompetition()
    {
        var rule = new PromotionRule { MinimumAward = null, Bands = [new(1, 2, SkillLevel.Level2), new(3, 20, SkillLevel.Level3)] };
        var promotions = Promotions.Decide(Results(published: true), rule, Welder);

        Assert.Equal([("c1", SkillLevel.Level2), ("c2", SkillLevel.Level2), ("c4", SkillLevel.Level3), ("c9", SkillLevel.Level3)],
            promotions.Select(p => (p.CompetitorId, p.Level)));
    }

    [Theory]
    [InlineData(null, SkillLevel.Level2)]
    [InlineData(SkillLevel.Level4, SkillLevel.Level2)]
    [InlineData(SkillLevel.Level3, SkillLevel.Level2)]
    [InlineData(SkillLevel.Level2, SkillLevel.Level1)]
    [InlineData(SkillLevel.Level1, null)]
    [InlineData(SkillLevel.Chief, null)]
    public void LevelOnIssue_NationalRule_AlreadyLevel2IsLevel1_HigherGetsNothing(SkillLevel? held, SkillLevel? expected) =>
        Assert.Equal(expected, Promotions.LevelOnIssue(PromotionRule.National, SkillLevel.Level2, held));

    [Theory]
    [InlineData(null, SkillLevel.Level3)]
    [InlineData(SkillLevel.Level4, SkillLevel.Level3)]
    [InlineData(SkillLevel.Level3, null)]
    [InlineData(SkillLevel.Level2, null)]
    public void LevelOnIssue_PlaceBands_NeverMoveUp(SkillLevel? held, SkillLevel? expected)
    {
        var rule = new PromotionRule { MinimumAward = null, Bands = [new(1, 20, SkillLevel.Level3)] };
        Assert.Equal(expected, Promotions.LevelOnIssue(rule, SkillLevel.Level3, held));
    }

    [Fact]
    public void UnmappedSkill_PromotesNobody() => Assert.Empty(Promotions.Decide(Results(true), PromotionRule.National, null));

    [Fact]
    public void SkillMapping_FromTheCatalogue_LowestCodeWins()
    {
        var map = Promotions.SkillMapping([("6-18-01-07", "CNC Milling"), ("6-18-01-02", "CNC Milling"), ("6-18-02-04", "Welding"), ("4-04-05-05", null)]);
        Assert.Equal("6-18-01-02", map["cnc milling"]);
        Assert.Equal(2, map.Count);
    }
}
