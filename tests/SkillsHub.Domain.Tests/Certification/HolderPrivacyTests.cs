using SkillsHub.Domain.Certification;

namespace SkillsHub.Domain.Tests.Certification;

public sealed class HolderPrivacyTests
{
    [Fact]
    public void NameMatches_IgnoresCaseSpacingAndUnicodeForm()
    {
        Assert.True(HolderPrivacy.NameMatches(" john  SMITH ", "John Smith"));
        Assert.True(HolderPrivacy.NameMatches("Jose\u0301", "Jos\u00E9"));
        Assert.True(HolderPrivacy.NameMatches("\uFF3A\uFF48\uFF41\uFF4E\uFF47\u3000\uFF33\uFF41\uFF4E", "Zhang San")); // full-width letters and space
        Assert.Equal(HolderPrivacy.NameKey("Zhang San"), HolderPrivacy.NameKey("\uFF3A\uFF48\uFF41\uFF4E\uFF47 \uFF33\uFF41\uFF4E"));
        Assert.False(HolderPrivacy.NameMatches("John Smyth", "John Smith"));
        Assert.False(HolderPrivacy.NameMatches("", "John Smith"));
        Assert.False(HolderPrivacy.NameMatches(null, "John Smith"));
    }

    /// <summary>
    /// A name registered with a character that shows nothing prints without it on the certificate, and the printed name is
    /// a proof (found by an outside tester: 王五 was refused for 王\u00AD五); the reverse too. An accent is no such character.
    /// </summary>
    [Theory]
    [InlineData("王\u00AD五")] // soft hyphen
    [InlineData("赵\u200D六")] // zero-width joiner
    [InlineData("钱\u200B七")] // zero-width space
    [InlineData("孙\u2060八")] // word joiner
    [InlineData("李\uFE0F九")] // variation selector 16
    [InlineData("葛\U000E0100亮")] // variation selector 17, beyond the first plane
    [InlineData("Wang\u034F Wu")] // combining grapheme joiner
    public void NameMatches_WithoutWhatShowsNothing(string registered)
    {
        var printed = SkillsHub.Domain.Text.TextInput.WithoutWhatShowsNothing(registered);
        Assert.NotEqual(registered, printed);
        Assert.True(HolderPrivacy.NameMatches(printed, registered));
        Assert.True(HolderPrivacy.NameMatches(registered, printed));
        Assert.True(HolderPrivacy.ProofHolds(printed, null, registered, "110101198707070015"));
        Assert.False(HolderPrivacy.NameMatches("Jose\u0301", "Jose"));
    }

    [Theory]
    [InlineData("John Smith", null, true)]
    [InlineData(null, "651x", true)]
    [InlineData("John Smith", "651X", true)]
    [InlineData("John Smith", "9999", false)]
    [InlineData("John Smyth", "651X", false)]
    [InlineData(" ", "", false)]
    [InlineData(null, null, false)]
    public void ProofHolds_EveryPartGivenMustMatch(string? name, string? idLast4, bool holds) =>
        Assert.Equal(holds, HolderPrivacy.ProofHolds(name, idLast4, "John Smith", "11010119900307651X"));

    [Fact]
    public void IdLast4Matches_NeedsExactlyTheLastFour()
    {
        Assert.True(HolderPrivacy.IdLast4Matches("651x", "11010119900307651X"));
        Assert.False(HolderPrivacy.IdLast4Matches("51X", "11010119900307651X"));
        Assert.False(HolderPrivacy.IdLast4Matches("6510", "11010119900307651X"));
        Assert.False(HolderPrivacy.IdLast4Matches(null, "11010119900307651X"));
        // Full-width, as a Chinese input method types it.
        Assert.True(HolderPrivacy.IdLast4Matches("６５１Ｘ", "11010119900307651X"));
    }

    /// <summary>An ending that cannot be one is refused before it counts as an attempt; none given is no fault.</summary>
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("651X", true)]
    [InlineData(" 651x ", true)]
    [InlineData("６５１Ｘ", true)]
    [InlineData("AB12", true)]
    [InlineData("1", false)]
    [InlineData("51X", false)]
    [InlineData("12345", false)]
    [InlineData("12-4", false)]
    [InlineData("1 34", false)]
    [InlineData("١٢٣٤", false)]
    public void IdLast4Fault_OnlyForWhatCannotBeAnEnding(string? given, bool fine) =>
        Assert.Equal(fine, HolderPrivacy.IdLast4Fault(given) is null);
}

public sealed class RegistryTokenTests
{
    static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Token_Is128Bits_Stable_AndBoundToTheNumberAndKey()
    {
        var token = RegistryToken.For(Key, "S000031000001255000001");
        Assert.Equal(22, token.Length);
        Assert.Equal(16, Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "==").Length);
        Assert.Equal(token, RegistryToken.For(Key, "S000031000001255000001"));
        Assert.NotEqual(token, RegistryToken.For(Key, "S000031000001255000002"));
        Assert.NotEqual(token, RegistryToken.For([.. Key.Reverse()], "S000031000001255000001"));
        Assert.True(RegistryToken.Matches(Key, "S000031000001255000001", token));
        Assert.False(RegistryToken.Matches(Key, "S000031000001255000002", token));
        Assert.False(RegistryToken.Matches(Key, "S000031000001255000001", null));
        Assert.False(RegistryToken.Matches(Key, "S000031000001255000001", token[..^1]));
    }
}
