namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// A skill's competitors, and its experts, are each one id whatever its case (docs/scoring.md, "Setup imports"): "X-FR"
/// and "x-fr" would be two experts that read alike in the console, the audit trail and the judging report (found by an
/// outside tester). An imported id that is one on file (or taken off the skill) but for its case is refused, naming the
/// one on file; within one file the two are the same id listed twice.
/// </summary>
public static class IdCase
{
    /// <summary>Each imported id (its index in <paramref name="imported"/>) that differs from one on file only in case.</summary>
    public static IEnumerable<(int Index, Fault Fault)> Clashes(IEnumerable<string> onFile, IReadOnlyList<string> imported)
    {
        var known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in onFile)
        {
            known.TryAdd(id, id);
        }
        for (var i = 0; i < imported.Count; i++)
        {
            if (known.TryGetValue(imported[i], out var stored) && !string.Equals(stored, imported[i], StringComparison.Ordinal))
            {
                yield return (i, new Fault(RowCodes.IdCaseClash, $"Id '{imported[i]}' is '{stored}', already on file, in another case: write it as '{stored}'.",
                    RowCodes.Args(("id", imported[i]), ("onFile", stored))));
            }
        }
    }
}
