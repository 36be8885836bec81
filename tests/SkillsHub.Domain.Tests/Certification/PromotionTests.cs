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

    /// <summary>
    /// Found by an outside checker: a gold team of two yielded one promotion, so only one member could ever be
    /// certified. Each member of a team is promoted on their own (docs/certification.md, "Teams").
    /// </summary>
    [Fact]
    public void EachMemberOfATeam_IsPromotedOnTheirOwn()
    {
        var rows = PublishedRow.ForEachPerson(1, "T1", "Zhang & Wang", "CN", "Gold", ["Zhang Wei", "Wang Li"])
            .Concat(PublishedRow.ForEachPerson(2, "c2", "Li Na", "CN", "Silver", ["Li Na"])).ToList();
        var promotions = Promotions.Decide(new SkillResults("NSC2025", 4, "Team welding", true, rows), PromotionRule.National, Welder);

        Assert.Equal([("T1#1", "Zhang Wei"), ("T1#2", "Wang Li"), ("c2", "Li Na")], promotions.Select(p => (p.CompetitorId, p.Name)));
        Assert.All(promotions, p => Assert.Equal(SkillLevel.Level2, p.Level));
    }

    /// <summary>
    /// Found by an outside tester: a competitor of one person whose display name is a label ("China (demo)") had a
    /// promotion, and so a certificate, in that label. The person's name it is; the competitor's when no person is listed.
    /// </summary>
    [Fact]
    public void ACompetitorOfOnePerson_IsPromotedInThePersonsName_NotTheDisplayName()
    {
        var rows = PublishedRow.ForEachPerson(1, "CN-07", "China (demo)", "CN", "Gold", ["Demo Competitor CN"])
            .Concat(PublishedRow.ForEachPerson(2, "c2", "Li Na", "CN", "Silver", [])).ToList();
        var promotions = Promotions.Decide(new SkillResults("NSC2025", 4, "Welding", true, rows), PromotionRule.National, Welder);

        Assert.Equal([("CN-07", "Demo Competitor CN"), ("c2", "Li Na")], promotions.Select(p => (p.CompetitorId, p.Name)));
    }

    [Fact]
    public void UnpublishedResults_PromoteNobody()
    {
        Assert.Empty(Promotions.Decide(Results(published: false), PromotionRule.National, Welder));
    }

    [Fact]
    public void ARuleWithNullBands_IsAnAwardRule_AndSaysWhatIsWrong()
    {
        var rule = System.Text.Json.JsonSerializer.Deserialize<PromotionRule>("""{"bands": null, "minimumAward": "Platinum"}""",
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Empty(rule.Bands);
        Assert.False(rule.ByPlace());
        Assert.Equal(["minimumAward"], rule.Faults().Select(f => f.Field));
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

    /// <summary>Found by an outside checker: a place rule promoted everyone of a published skill with no marks (all tied first at 700).</summary>
    [Fact]
    public void ResultsThatAwardNothing_PromoteNobody_WhateverTheRule()
    {
        var undecided = new SkillResults("NSC2025", 12, "Welding", true, [new(1, "c1", "Li Wei", "CN", "None"), new(1, "c2", "Wang Fang", "CN", "None")]);
        var bands = new PromotionRule { Bands = [new(1, 3, SkillLevel.Level2)] };

        Assert.Empty(Promotions.Decide(undecided, bands, Welder));
        Assert.Empty(Promotions.Decide(undecided, PromotionRule.National, Welder));
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

    [Fact]
    public void BandsAlone_PromoteByPlace_NotByTheNationalAward()
    {
        // What a client sends: bands only. The award fields stay unset, so the bands decide (not the national award).
        var rule = new PromotionRule { Bands = [new(1, 1, SkillLevel.Level2), new(2, 3, SkillLevel.Level3)] };
        Assert.Empty(rule.Faults());
        var promotions = Promotions.Decide(Results(published: true), rule, Welder);
        Assert.Equal([("c1", SkillLevel.Level2), ("c2", SkillLevel.Level3)], promotions.Select(p => (p.CompetitorId, p.Level)));
    }

    [Fact]
    public void AwardFieldsAlone_FillTheRestFromTheNationalRule()
    {
        var rule = new PromotionRule { MinimumAward = "Silver" };
        Assert.Empty(rule.Faults());
        Assert.Equal([("c1", SkillLevel.Level2), ("c2", SkillLevel.Level2)], Promotions.Decide(Results(true), rule, Welder).Select(p => (p.CompetitorId, p.Level)));
        Assert.Empty(PromotionRule.National.Faults());
    }

    public static TheoryData<PromotionRule, string> InvalidRules => new()
    {
        { new PromotionRule { MinimumAward = "MedallionForExcellence", Bands = [new(1, 3, SkillLevel.Level3)] }, "minimumAward" },
        { new PromotionRule { AwardLevel = SkillLevel.Level3, Bands = [new(1, 3, SkillLevel.Level3)] }, "awardLevel" },
        { new PromotionRule { MinimumAward = "Platinum" }, "minimumAward" },
        { new PromotionRule { MinimumAward = "None" }, "minimumAward" },
        { new PromotionRule { MinimumAward = "Bronze", AwardLevel = SkillLevel.Chief }, "awardLevel" },
        { new PromotionRule { AwardLevel = SkillLevel.SpecialGrade }, "awardLevel" },
        { new PromotionRule { AwardLevel = (SkillLevel)42 }, "awardLevel" },
        { new PromotionRule { AwardLevel = SkillLevel.Level2, AlreadyHeldLevel = SkillLevel.Level3 }, "alreadyHeldLevel" },
        { new PromotionRule { AlreadyHeldLevel = SkillLevel.Chief }, "alreadyHeldLevel" },
        { new PromotionRule { Bands = [new(1, 5, SkillLevel.Level2), new(5, 10, SkillLevel.Level3)] }, "bands[1]" },
        { new PromotionRule { Bands = [new(6, 10, SkillLevel.Level3), new(1, 6, SkillLevel.Level2)] }, "bands[0]" },
        { new PromotionRule { Bands = [new(5, 1, SkillLevel.Level2)] }, "bands[0]" },
        { new PromotionRule { Bands = [new(0, 1, SkillLevel.Level2)] }, "bands[0]" },
        { new PromotionRule { Bands = [new(1, 1, SkillLevel.Level2), new(2, 2, SkillLevel.Chief)] }, "bands[1]" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void MeaninglessRules_AreFaulted_NamingTheField(PromotionRule rule, string field) =>
        Assert.Contains(field, rule.Faults().Select(f => f.Field));
}

/// <summary>
/// Found by an outside tester: a promotion setting without its rule or its skill map (or with a map naming no skill)
/// was stored, and the next run withdrew every promotion of the competition. Both parts are required.
/// </summary>
public sealed class PromotionSettingTests
{
    static readonly Dictionary<string, string> Map = new() { ["7"] = "6-18-01-02" };

    public static TheoryData<string, PromotionRule?, Dictionary<string, string>?, string[]> Settings => new()
    {
        { "neither part", null, null, ["rule", "skillOccupations"] },
        { "no rule", null, Map, ["rule"] },
        { "no map", PromotionRule.National, null, ["skillOccupations"] },
        { "a map naming no skill", PromotionRule.National, [], ["skillOccupations"] },
        { "a meaningless rule and no map", new PromotionRule { MinimumAward = "Platinum" }, null, ["rule.minimumAward", "skillOccupations"] },
        { "the national rule with a map", PromotionRule.National, Map, [] },
        { "bands with a map", new PromotionRule { Bands = [new(1, 1, SkillLevel.Level3)] }, Map, [] },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void ARuleAndAMapNamingASkill_AreBothRequired(string setting, PromotionRule? rule, Dictionary<string, string>? map, string[] fields) =>
        Assert.True(fields.Order().SequenceEqual(Promotions.SettingFaults(rule, map).Select(f => f.Field).Order()), setting);

    /// <summary>A band read without its from, to or level would stand for place 0 or the apprentice level: JSON that leaves one out is refused.</summary>
    [Theory]
    [InlineData("""{"to": 1, "level": "Level3"}""", "from")]
    [InlineData("""{"from": 1, "level": "Level3"}""", "to")]
    [InlineData("""{"from": 1, "to": 1}""", "level")]
    public void ABandWithoutAPart_IsNotRead(string json, string missing)
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        var refused = Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<PlaceBand>(json, options));
        Assert.Contains($"'{missing}'", refused.Message);
    }

    /// <summary>A map's key names a skill by its number as skill numbers are written (7, 07), else by its name in any case.</summary>
    [Theory]
    [InlineData("7", true)]
    [InlineData("07", true)]
    [InlineData(" 7 ", true)]
    [InlineData("CNC Milling", true)]
    [InlineData("cnc milling", true)]
    [InlineData("007", false)]
    [InlineData("+7", false)]
    [InlineData("17", false)]
    [InlineData("CNC", false)]
    public void AMapKey_NamesASkill_ByNumberAsWrittenOrByName(string key, bool names)
    {
        Assert.Equal(names, Promotions.KeyNamesSkill(key, 7, "CNC Milling"));
        var map = new Dictionary<string, string> { [key] = "6-18-01-02", ["12"] = "6-18-02-04" };
        Assert.Equal(names ? "6-18-01-02" : null, Promotions.OccupationOf(7, "CNC Milling", map));
        Assert.Equal("6-18-02-04", Promotions.OccupationOf(12, "Welding", map));
    }
}
