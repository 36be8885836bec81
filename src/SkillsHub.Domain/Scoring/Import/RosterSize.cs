namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// How large a skill's roster may grow (docs/scoring.md, "Setup imports"). A skill has tens of competitors at WorldSkills;
/// every public read of its standings, the hub's snapshot and the feed's events carry all of them, so a roster of
/// hundreds of thousands (found by an outside tester: 49 MB per standings read) is refused with a clear error. Checked
/// where an import is applied, on the roster it would leave, so that files sent one after another cannot add up past it.
/// </summary>
public static class RosterSize
{
    /// <summary>The most competitors (a team counts once) one skill may have.</summary>
    public const int MaxCompetitors = 1000;

    /// <summary>Why the roster the import would leave is too large, or null.</summary>
    public static Fault? CompetitorsFault(IEnumerable<string> storedIds, IEnumerable<string> importedIds)
    {
        var known = storedIds.ToHashSet(StringComparer.Ordinal);
        var total = known.Count + importedIds.Distinct(StringComparer.Ordinal).Count(id => !known.Contains(id));
        return total > MaxCompetitors
            ? new(RowCodes.TooManyCompetitors, $"The skill would have {total} competitors; a skill has at most {MaxCompetitors}.",
                RowCodes.Args(("count", total), ("max", MaxCompetitors)))
            : null;
    }
}
