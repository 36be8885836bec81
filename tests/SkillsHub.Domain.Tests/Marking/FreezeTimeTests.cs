using SkillsHub.Domain.Marking;

namespace SkillsHub.Domain.Tests.Marking;

/// <summary>Found by an outside tester: a freeze dated in the past published the marks entered since, under the earlier time.</summary>
public sealed class FreezeTimeTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 2, 6, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, true)]
    [InlineData(0, true)]
    [InlineData(-59, true)] // a console's clock a little behind: counts as now
    [InlineData(-61, false)]
    [InlineData(-1200, false)]
    [InlineData(1800, true)] // later: live until then
    [InlineData(60 * 86400, true)]
    [InlineData(60 * 86400 + 1, false)] // years ahead (9999) left spectators live for good under a "Frozen" console
    public void AFreezeIsNowOrLater(int? secondsFromNow, bool accepted) =>
        Assert.Equal(accepted, FreezeTime.Refusal(secondsFromNow is { } s ? Now.AddSeconds(s) : null, Now) is null);

    /// <summary>Found by an outside tester: Live or Hidden with a freeze time dropped the time without a word.</summary>
    [Theory]
    [InlineData(false, null, true)]
    [InlineData(false, 1800, false)]
    [InlineData(false, 0, false)]
    [InlineData(false, -1200, false)]
    [InlineData(true, 1800, true)]
    [InlineData(true, -1200, false)]
    public void AFreezeTime_GoesWithAFreezeOnly(bool freezes, int? secondsFromNow, bool accepted) =>
        Assert.Equal(accepted, FreezeTime.Refusal(freezes, secondsFromNow is { } s ? Now.AddSeconds(s) : null, Now) is null);
}
