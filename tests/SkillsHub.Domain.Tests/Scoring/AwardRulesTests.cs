using SkillsHub.Domain.Scoring;

namespace SkillsHub.Domain.Tests.Scoring;

public sealed class AwardRulesTests
{
    private static IReadOnlyList<Placing> Assign(AwardOptions? options, params int[] scaled) =>
        AwardRules.Assign(scaled.Select((s, i) => new ScaledCompetitor($"c{i + 1}", 50m + i, s)), options);

    private static Award[] Awards(params int[] scaled) => Assign(null, scaled).Select(p => p.Award).ToArray();

    [Fact]
    public void NoTies_GoldSilverBronze_ThenMedallionsAt700()
    {
        Assert.Equal(
            [Award.Gold, Award.Silver, Award.Bronze, Award.MedallionForExcellence, Award.MedallionForExcellence, Award.None],
            Awards(780, 760, 740, 720, 700, 699));
    }

    [Fact]
    public void TiedGold_SharesGold_AndSkipsSilver()
    {
        var placings = Assign(null, 780, 780, 740, 720);
        Assert.Equal([1, 1, 3, 4], placings.Select(p => p.Place));
        Assert.Equal([Award.Gold, Award.Gold, Award.Bronze, Award.MedallionForExcellence], placings.Select(p => p.Award));
    }

    [Fact]
    public void ThreeTiedGolds_LeaveNoSilverOrBronze()
    {
        Assert.Equal([Award.Gold, Award.Gold, Award.Gold, Award.MedallionForExcellence], Awards(780, 780, 780, 760));
    }

    [Fact]
    public void TiedSilver_SharesSilver_AndSkipsBronze()
    {
        var placings = Assign(null, 780, 760, 760, 740);
        Assert.Equal([1, 2, 2, 4], placings.Select(p => p.Place));
        Assert.Equal([Award.Gold, Award.Silver, Award.Silver, Award.MedallionForExcellence], placings.Select(p => p.Award));
    }

    [Fact]
    public void TiedBronze_SharesBronze()
    {
        var placings = Assign(null, 780, 760, 740, 740, 720);
        Assert.Equal([1, 2, 3, 3, 5], placings.Select(p => p.Place));
        Assert.Equal([Award.Gold, Award.Silver, Award.Bronze, Award.Bronze, Award.MedallionForExcellence], placings.Select(p => p.Award));
    }

    [Fact]
    public void Tie_IsOnScaledScore_RawOnlyOrdersTheListing()
    {
        var placings = AwardRules.Assign([new ScaledCompetitor("low", 60.10m, 750), new ScaledCompetitor("high", 60.20m, 750)]);
        Assert.Equal(["high", "low"], placings.Select(p => p.CompetitorId));
        Assert.All(placings, p => Assert.Equal((1, Award.Gold), (p.Place, p.Award)));
    }

    [Fact]
    public void TieWindow_SharesAPlaceWithinThatManyPointsOfTheGroupLeader()
    {
        var options = new AwardOptions { TieWindow = 2 };
        var placings = Assign(options, 780, 778, 777, 770);
        // 778 is within 2 of 780; 777 is 3 below the leader, so it starts place 3.
        Assert.Equal([1, 1, 3, 4], placings.Select(p => p.Place));
        Assert.Equal([Award.Gold, Award.Gold, Award.Bronze, Award.MedallionForExcellence], placings.Select(p => p.Award));
    }

    [Fact]
    public void MedallionThreshold_IsConfigurable()
    {
        var placings = Assign(new AwardOptions { MedallionThreshold = 720 }, 780, 760, 740, 720, 719);
        Assert.Equal([Award.MedallionForExcellence, Award.None], placings.Skip(3).Select(p => p.Award));
    }

    [Fact]
    public void Medallists_BelowTheThreshold_StillGetTheirMedal()
    {
        Assert.Equal([Award.Gold, Award.Silver, Award.Bronze, Award.None], Awards(690, 680, 670, 660));
    }

    [Fact]
    public void NegativeTieWindow_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Assign(new AwardOptions { TieWindow = -1 }, 700));
    }

    /// <summary>
    /// Found by outside checkers: a skill with no marks ranked everyone first at 700, so all of them held gold in the
    /// medal table and the feed; so did a skill whose only mark was worth 0. Until some raw total is above 0 the standings
    /// give no award.
    /// </summary>
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 0, 0.25)]
    public void AwardsWait_ForARawTotalAbove0(double a, double b, double c)
    {
        CompetitorRaw Raw(string id, double raw) => new(new Competitor(id, id[..2], "S"), (decimal)raw);
        var ranked = SkillResults.Rank("S", [Raw("FR-1", a), Raw("DE-1", b), Raw("KR-1", c)]);
        if (c == 0)
        {
            Assert.All(ranked.Standings, r => Assert.Equal((1, 700, Award.None), (r.Place, r.Scaled, r.Award)));
        }
        else
        {
            Assert.Equal(Award.Gold, ranked.Standings.Single(r => r.Competitor.Id == "KR-1").Award);
        }
        // Equal totals above 0 follow the tie rule as written: all gold.
        Assert.All(SkillResults.Rank("S", [Raw("FR-1", 5), Raw("DE-1", 5)]).Standings, r => Assert.Equal(Award.Gold, r.Award));
    }
}
