namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// WorldSkills' one competitor (or team) per member per skill (docs/scoring.md, "Competitors per member"), checked
/// where a competitors file is parsed and again where it is applied, so two files sent at once cannot both pass.
/// </summary>
public static class OnePerMember
{
    /// <summary>
    /// Each imported competitor (its index in <paramref name="imported"/>) whose member already has another competitor:
    /// a stored one the import does not list, or one listed earlier in the import. <c>Holder</c> is that competitor's id.
    /// </summary>
    public static IEnumerable<(int Index, string Member, string Holder)> Conflicts(IEnumerable<(string Id, string Member)> stored, IReadOnlyList<(string Id, string Member)> imported)
    {
        var importedIds = imported.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var byMember = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kept in stored.Where(c => !importedIds.Contains(c.Id)))
        {
            byMember.TryAdd(kept.Member, kept.Id);
        }
        for (var i = 0; i < imported.Count; i++)
        {
            if (!byMember.TryAdd(imported[i].Member, imported[i].Id))
            {
                yield return (i, imported[i].Member, byMember[imported[i].Member]);
            }
        }
    }

    /// <summary>The refusal of one conflict, with its code and arguments for the pages.</summary>
    public static Fault Refusal(string member, string holder) =>
        new(RowCodes.OnePerMember, $"Member {member} already has competitor '{holder}' in this skill; a member enters one competitor or team per skill.",
            RowCodes.Args(("member", member), ("competitor", holder)));
}
