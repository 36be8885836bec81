using SkillsHub.Server.Platform;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>If-None-Match read for the middlewares that compare strongly (Platform/EntityTags.cs): pure, no node.</summary>
public sealed class EntityTagsTests
{
    [Theory]
    // A base64 hash may hold "W/" inside its quotes: only the prefix goes (a CI run's API document had such an ETag, and
    // its revalidation got 200 instead of 304).
    [InlineData("W/\"dfJeycOHSW/kyTa/cAHxvA==\"", "\"dfJeycOHSW/kyTa/cAHxvA==\"")]
    [InlineData("W/\"a\", \"bW/c\", W/\"W/\"", "\"a\", \"bW/c\", \"W/\"")]
    [InlineData("\"strong\"", "\"strong\"")]
    [InlineData("*", "*")]
    public void WeakTags_LoseOnlyTheirPrefix(string sent, string expected) => Assert.Equal(expected, EntityTags.WeakAsStrong(sent));

    [Theory]
    [InlineData("unquoted")]
    [InlineData("W/unquoted")]
    // "*" is a condition only alone (RFC 9110, 13.1.2; an outside tester found these read as "*").
    [InlineData("x*")]
    [InlineData("**")]
    [InlineData("W/*")]
    [InlineData("\"x\", *")]
    public void AValueRfc9110DoesNotAllow_IsNoCondition(string sent) => Assert.Null(EntityTags.WeakAsStrong(sent));

    [Fact]
    public void AWeakTagWithWInside_StillMatchesItsAnswer()
    {
        const string etag = "W/\"dfJeycOHSW/kyTa/cAHxvA==\"";
        Assert.True(EntityTags.NoneMatchFails(EntityTags.WeakAsStrong(etag), etag));
        Assert.False(EntityTags.NoneMatchFails(EntityTags.WeakAsStrong("W/\"dfJeycOHSkyTa/cAHxvA==\""), etag));
    }
}
