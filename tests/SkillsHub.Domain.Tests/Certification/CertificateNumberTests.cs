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
    public void IdNumbers_AreMaskedButTheLastFour(string id, string masked) => Assert.Equal(masked, IdNumbers.Mask(id));

    [Theory]
    [InlineData("11010519491231002X", true)]
    [InlineData("11010119900307651X", true)]
    [InlineData("110101199003076515", false)]
    [InlineData("11010119900307651", false)]
    public void ResidentId_CheckDigit(string id, bool valid) => Assert.Equal(valid, IdNumbers.IsValidResidentId(id));

    [Theory]
    [InlineData("6-28-01-03", true)]
    [InlineData("4-04-05-05", true)]
    [InlineData("9-28-01-03", false)]
    [InlineData("6-28-1-03", false)]
    [InlineData("6280103", false)]
    public void OccupationCode_Format(string code, bool valid) => Assert.Equal(valid, OccupationCode.TryParse(code, out _));
}
