using SkillsHub.Domain;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

public sealed class CertificateNumberTests
{
    static readonly AgencyKey Agency = AgencyKey.Parse("Y000123000001");

    [Fact]
    public void Format_Is22Characters_InTheDocumentedOrder()
    {
        var number = CertificateNumber.Format(Agency, 2019, SkillLevel.Level5, 1);

        Assert.Equal("Y000123000001195000001", number);
        Assert.Equal(22, number.Length);
    }

    [Fact]
    public void Parse_RoundTripsEveryPart()
    {
        var parsed = CertificateNumber.Parse("S000044123456251000042");

        Assert.Equal(AgencyType.S, parsed.Agency.Type);
        Assert.Equal(("0000", "44", "123456"), (parsed.Agency.AgencyCode, parsed.Agency.Province, parsed.Agency.Site));
        Assert.Equal((25, SkillLevel.Level1, 42), (parsed.Year, parsed.Level, parsed.Serial));
        Assert.Equal("S000044123456251000042", parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Y00012300000119500000")]    // 21 characters
    [InlineData("Y0001230000011950000011")]  // 23 characters
    [InlineData("X000123000001195000001")]   // type neither Y nor S
    [InlineData("Y000123000001196000001")]   // level digit 6
    [InlineData("Y000123000001190000001")]   // level digit 0
    [InlineData("Y000123000001195000000")]   // serial 0
    [InlineData("Y0001230000A1195000001")]   // letter in the site serial
    public void TryParse_RejectsMalformedNumbers(string text) => Assert.False(CertificateNumber.TryParse(text, out _));

    [Fact]
    public void Format_RejectsSerialsOutsideSixDigits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateNumber.Format(Agency, 25, SkillLevel.Level3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateNumber.Format(Agency, 25, SkillLevel.Level3, 1_000_000));
    }

    [Fact]
    public void Format_RefusesLevelsWithoutADigit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateNumber.Format(Agency, 25, SkillLevel.SpecialGrade, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CertificateNumber.Format(Agency, 25, SkillLevel.Apprentice, 1));
    }

    [Fact]
    public void LevelDigits_Are5ForJuniorTo1ForSeniorTechnician()
    {
        Assert.Equal([5, 4, 3, 2, 1], SkillLevels.Evaluated.Select(l => l.Digit()));
        Assert.Equal("一级/高级技师", SkillLevels.FromDigit(1).ChineseName());
    }

    [Fact]
    public void Serials_AreDistinctForDistinctInputs()
    {
        var numbers = Enumerable.Range(1, 10_000).Select(s => CertificateNumber.Format(Agency, 25, SkillLevel.Level4, s)).ToHashSet();
        Assert.Equal(10_000, numbers.Count);
    }

    [Theory]
    [InlineData("11010119900307651X", "**************651X")]
    [InlineData("E1234567", "****4567")]
    [InlineData("1234", "****")]
    [InlineData("E1234", "***34")]
    [InlineData("E12345", "***345")]
    [InlineData("E123456", "****456")]
    public void IdNumbers_AreMaskedButTheLastFour(string id, string masked) => Assert.Equal(masked, IdNumbers.Mask(id));

    [Theory]
    [InlineData("11010519491231002X", true)]
    [InlineData("11010119900307651X", true)]
    [InlineData("110101199003076515", false)]
    [InlineData("11010119900307651", false)]
    public void ResidentId_CheckDigit(string id, bool valid) => Assert.Equal(valid, IdNumbers.IsValidResidentId(id));

    /// <summary>Found by an outside tester: a resident ID with birth month 13 and a correct check digit was accepted.</summary>
    [Theory]
    [InlineData("11010119900307651X", null)]
    [InlineData("11010519491231002X", null)]
    [InlineData("310101199013011231", RowCodes.ResidentIdImpossible)] // month 13
    [InlineData("110101199002301230", RowCodes.ResidentIdImpossible)] // 30 February
    [InlineData("110101189901011230", RowCodes.ResidentIdImpossible)] // 1899
    [InlineData("990101199001011230", RowCodes.ResidentIdImpossible)] // no region 99
    [InlineData("110101199003076515", RowCodes.ResidentIdCheckDigit)]
    public void ResidentId_RegionAndBirthDate_MustBePossible(string id, string? code)
    {
        // The cases are written with any check digit; give each the right one so only region and date are tested.
        if (code == RowCodes.ResidentIdImpossible)
        {
            id = WithCheckCharacter(id[..17]);
        }
        Assert.Equal(code, IdNumbers.FaultOf("resident", id)?.Code);
    }

    /// <summary>The 17 digits with their ISO 7064 MOD 11-2 check character, as a card carries them.</summary>
    static string WithCheckCharacter(string first17)
    {
        ReadOnlySpan<int> weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * weights[i];
        }
        return first17 + "10X98765432"[sum % 11];
    }

    /// <summary>Found by an outside tester: a holder born 2099-12-31 was certified. A birth date after today is impossible.</summary>
    [Theory]
    [InlineData("11010120261202", null)] // born today
    [InlineData("11010120261203", RowCodes.ResidentIdImpossible)]
    [InlineData("11010120991231", RowCodes.ResidentIdImpossible)]
    public void ResidentId_BornAfterToday_IsImpossible(string first14, string? code)
    {
        var id = WithCheckCharacter(first14 + "123");
        Assert.Equal(code, IdNumbers.FaultOf("resident", id, new DateOnly(2026, 12, 2))?.Code);
        Assert.Null(IdNumbers.FaultOf("resident", id)); // without a today, the date alone is checked
    }

    [Theory]
    [InlineData("6-28-01-03", true)]
    [InlineData("4-04-05-05", true)]
    [InlineData("9-28-01-03", false)]
    [InlineData("6-28-1-03", false)]
    [InlineData("6280103", false)]
    public void OccupationCode_Format(string code, bool valid) => Assert.Equal(valid, OccupationCode.TryParse(code, out _));
}
