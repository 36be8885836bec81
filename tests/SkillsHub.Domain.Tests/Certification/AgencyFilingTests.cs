using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

/// <summary>
/// Found by an outside tester: an agency was filed with an empty scope, an occupation filed with no level was dropped
/// without a word, and a province no region has was accepted. Each fault names its field.
/// </summary>
public sealed class AgencyFilingTests
{
    const string Welder = "6-18-02-04";

    static IReadOnlyList<(string Field, string Message)> Faults(string type = "S", string province = "31", IReadOnlyList<ScopeFiling?>? scope = null, bool noScope = false) =>
        AgencyFiling.Read(type, "0000", province, "000001", "Agency", noScope ? null : scope ?? [new ScopeFiling(Welder, [5])]).Faults;

    [Fact]
    public void AWellFormedFiling_IsRead()
    {
        var (filed, faults) = AgencyFiling.Read(" y ", "0001", "44", "000901", " Site ", [new ScopeFiling(Welder, [5, 7, 5])]);
        Assert.Empty(faults);
        Assert.Equal(("Y000144000901", "Site"), (filed!.Key.ToString(), filed.Name));
        Assert.Equal([(Welder, SkillLevel.Level5), (Welder, SkillLevel.Chief)], filed.Scope);
    }

    public static TheoryData<string, IReadOnlyList<ScopeFiling?>?, string> Scopes => new()
    {
        { "an empty scope", [], "scope" },
        { "an entry without levels", [new ScopeFiling(Welder, [5]), new ScopeFiling("6-18-01-02", null)], "scope[1].levels" },
        { "an entry with no level", [new ScopeFiling(Welder, [])], "scope[0].levels" },
        { "a null entry", [null], "scope[0]" },
        { "a level outside the ladder", [new ScopeFiling(Welder, [5, 0])], "scope[0].levels[1]" },
        { "an appointed level for a social agency", [new ScopeFiling(Welder, [6])], "scope[0].levels[0]" },
        { "no occupation", [new ScopeFiling(null, [5])], "scope[0].occupation" },
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public void AScopeThatFilesNothing_IsFaulted_NamingTheEntry(string scope, IReadOnlyList<ScopeFiling?>? entries, string field) =>
        Assert.True(Faults(scope: entries).Select(f => f.Field).SequenceEqual([field]), scope);

    [Fact]
    public void NoScopeAtAll_IsFaulted() => Assert.Equal(["scope"], Faults(noScope: true).Select(f => f.Field));

    [Theory]
    [InlineData("99")]
    [InlineData("00")]
    [InlineData("10")]
    [InlineData("47")]
    [InlineData("3")]
    [InlineData("３１")]
    public void AProvinceNoRegionHas_IsFaulted(string province) => Assert.Equal(["province"], Faults(province: province).Select(f => f.Field));

    [Theory]
    [InlineData("11")]
    [InlineData("31")]
    [InlineData("46")]
    [InlineData("65")]
    [InlineData("71")]
    [InlineData("81")]
    [InlineData("82")]
    public void EveryProvinceLevelRegion_MayFile(string province) => Assert.Empty(Faults(province: province));

    /// <summary>
    /// One list of regions for agencies and resident IDs, and beside it the 83 of a Taiwan resident's residence permit,
    /// which no agency is filed under (found by an outside tester: it was refused while Hong Kong's 81 and Macao's 82 passed).
    /// </summary>
    [Fact]
    public void TheProvincesAreThoseOfResidentIds_AndResidencePermitsToo()
    {
        for (var code = 0; code < 100; code++)
        {
            var id = $"{code:00}0101199003076519";
            Assert.Equal(Regions.IsProvince(code) || code == 83, IdNumbers.HasPossibleRegionAndBirthDate(id));
        }
        Assert.False(Regions.IsProvince(83));
        Assert.NotEmpty(Faults(province: "83"));
    }

    /// <summary>A session's type of work, given, has a letter or a digit: a dash for none made another exam (found by an outside tester).</summary>
    [Theory]
    [InlineData("—", false)]
    [InlineData("--", false)]
    [InlineData(" - / ", false)]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("  ", true)]
    [InlineData("焊工", true)]
    [InlineData("C12 weld", true)]
    [InlineData("Ｃ", true)]
    public void ATypeOfWork_HasALetterOrADigit(string? workType, bool accepted) =>
        Assert.Equal(accepted, AgencyRules.WorkTypeFaults(workType).Count == 0);
}
