using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Domain.Tests.Scoring;

/// <summary>A skill's roster stops at <see cref="RosterSize.MaxCompetitors"/>, counted on what an import would leave.</summary>
public sealed class RosterSizeTests
{
    static IEnumerable<string> Ids(int from, int count) => Enumerable.Range(from, count).Select(i => $"C-{i}");

    [Fact]
    public void NewCompetitors_CountOnTopOfTheStoredOnes()
    {
        var fault = RosterSize.CompetitorsFault(Ids(1, 600), Ids(601, 401));
        Assert.Equal(RowCodes.TooManyCompetitors, fault!.Code);
        Assert.Equal(("1001", "1000"), (fault.Args["count"], fault.Args["max"]));
        Assert.Null(RosterSize.CompetitorsFault(Ids(1, 600), Ids(601, 400)));
    }

    [Fact]
    public void StoredCompetitorsListedAgain_AndRepeats_AddNone()
    {
        Assert.Null(RosterSize.CompetitorsFault(Ids(1, 1000), Ids(1, 1000)));
        Assert.Null(RosterSize.CompetitorsFault(Ids(1, 999), ["C-1000", "C-1000"]));
        Assert.NotNull(RosterSize.CompetitorsFault(Ids(1, 1000), ["C-1001"]));
    }
}
