using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Tests.Scoring;

namespace SkillsHub.Domain.Tests.Marking;

public class LockTargetsTests
{
    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    [InlineData("C1")]
    public void CriteriaAndMarkingDays_AreLockTargets(string target) =>
        Assert.True(LockTargets.IsValid(TestSchemes.Simple(), target));

    [Theory]
    [InlineData("A1")]
    [InlineData("A1.1")]
    [InlineData("C2")]
    [InlineData("a")]
    [InlineData("")]
    [InlineData(null)]
    public void SubCriteria_Aspects_OtherDaysAndBlanks_AreNot(string? target) =>
        Assert.False(LockTargets.IsValid(TestSchemes.Simple(), target));

    [Fact]
    public void WithoutAScheme_NothingCanBeLocked() =>
        Assert.False(LockTargets.IsValid(null, "A"));

    [Fact]
    public void TheRefusal_NamesTheTarget() =>
        Assert.Contains("'Z9'", LockTargets.Refusal("Z9"), StringComparison.Ordinal);

    /// <summary>None given is asked for, not "'' is neither a criterion nor a marking day" (found by an outside tester).</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoTarget_IsAskedFor(string? target) =>
        Assert.StartsWith("Name the criterion", LockTargets.Refusal(target), StringComparison.Ordinal);
}
