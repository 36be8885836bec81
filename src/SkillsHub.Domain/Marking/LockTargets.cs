using SkillsHub.Domain.Scoring;

namespace SkillsHub.Domain.Marking;

/// <summary>
/// What a Chief Expert may lock after sign-off (docs/scoring.md, "Locks"): a criterion of the
/// skill's scheme by its id ("A") or a marking day its aspects name ("C1"). <see cref="MarkRules"/>
/// refuses marks under either kind of lock.
/// </summary>
public static class LockTargets
{
    /// <summary>True when <paramref name="target"/> names a criterion or a marking day of <paramref name="scheme"/>.</summary>
    public static bool IsValid(MarkingScheme? scheme, string? target) =>
        !string.IsNullOrEmpty(target) && scheme is not null &&
        (scheme.Criteria.Any(c => c.Id == target) || scheme.Aspects.Any(a => a.MarkingDay == target));

    /// <summary>Why <paramref name="target"/> cannot be locked: none given is said as such (found by an outside tester: "'' is neither ...").</summary>
    public static string Refusal(string? target) => string.IsNullOrWhiteSpace(target)
        ? "Name the criterion (\"A\") or the marking day (\"C1\") to lock."
        : $"'{target}' is neither a criterion nor a marking day of this skill's scheme.";
}
