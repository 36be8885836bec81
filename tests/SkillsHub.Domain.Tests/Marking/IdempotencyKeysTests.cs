using SkillsHub.Domain.Marking;

namespace SkillsHub.Domain.Tests.Marking;

/// <summary>Idempotency keys are 1-100 printable ASCII characters (docs/scoring.md); found by an outside tester.</summary>
public sealed class IdempotencyKeysTests
{
    [Theory]
    [InlineData("k")]
    [InlineData("3f2b1c9e-7a44-4c1e-9a0d-5b6f1e2d3c4b")]
    [InlineData("tablet 7 batch 12")]
    [InlineData("~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./")]
    public void PrintableAscii_IsAKey(string key) => Assert.True(IdempotencyKeys.IsValid(key));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("\u202E")]          // right-to-left override
    [InlineData("k\u200Bk")]        // zero-width space
    [InlineData("été")]
    [InlineData("ｋｅｙ")]           // full-width
    [InlineData("a\tb")]
    [InlineData("a\u007Fb")]        // DEL
    [InlineData("a\u0000b")]
    public void AnythingElse_IsRefused(string? key) => Assert.False(IdempotencyKeys.IsValid(key));

    [Fact]
    public void AHundredCharacters_AndNoMore() =>
        Assert.Equal((true, false), (IdempotencyKeys.IsValid(new string('k', 100)), IdempotencyKeys.IsValid(new string('k', 101))));
}
