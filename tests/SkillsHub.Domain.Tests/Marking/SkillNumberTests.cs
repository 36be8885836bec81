using SkillsHub.Domain.Marking;

namespace SkillsHub.Domain.Tests.Marking;

/// <summary>
/// Found by an outside tester: results.csv writes skill numbers with two digits ("01"), as the routes do, but the skills
/// import refused "01" as "not a whole number". A file reads back what an export writes.
/// </summary>
public sealed class SkillNumberTests
{
    [Theory]
    [InlineData("01", 1)]
    [InlineData("07", 7)]
    [InlineData(" 42 ", 42)]
    [InlineData("99", 99)]
    [InlineData("00", 0)]
    [InlineData("-3", -3)]
    [InlineData("100", 100)]
    public void ASkillNumber_IsReadWithItsLeadingZeros(string text, int number) => Assert.Equal(number, Identifiers.ReadSkillNumber(text));

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+7")]
    [InlineData("7.0")]
    [InlineData("1 2")]
    [InlineData("seven")]
    [InlineData("٠٧")]
    [InlineData("1234567890")]
    [InlineData("0012")]
    [InlineData("007")]
    public void AnythingElse_IsNotASkillNumber(string text) => Assert.Null(Identifiers.ReadSkillNumber(text));

    [Fact]
    public void TheRangeRuleStillDecides()
    {
        Assert.True(Identifiers.IsSkillNumber(Identifiers.ReadSkillNumber("01")));
        Assert.False(Identifiers.IsSkillNumber(Identifiers.ReadSkillNumber("00")));
        Assert.False(Identifiers.IsSkillNumber(Identifiers.ReadSkillNumber("100")));
    }
}
