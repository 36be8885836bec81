namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// Result of importing a scheme. The whole import is rejected when anything is wrong [C]:
/// <see cref="Scheme"/> is then null and <see cref="Problems"/> lists every problem.
/// </summary>
public sealed record SchemeImport(MarkingScheme? Scheme, IReadOnlyList<SchemeProblem> Problems)
{
    public bool IsValid => Scheme is not null && Problems.Count == 0;

    /// <param name="fieldName">How the file names a field the validator names by property (a CSV sheet's column), if it differs.</param>
    /// <param name="followsFromParse">Whether a validator's problem only repeats one the reading reported (not listed then).</param>
    internal static SchemeImport From(MarkingScheme scheme, List<SchemeProblem> parseProblems, Func<object, int?> rowOf, Func<string, string>? fieldName = null,
        Func<SchemeProblem, bool>? followsFromParse = null)
    {
        parseProblems.AddRange(SchemeValidator.Validate(scheme, rowOf)
            .Where(p => followsFromParse is null || !followsFromParse(p))
            .Select(p => fieldName is null ? p : p with { Field = fieldName(p.Field) }));
        var ordered = parseProblems
            .Select((p, i) => (p, i))
            .OrderBy(x => x.p.Row ?? int.MaxValue)
            .ThenBy(x => x.i)
            .Select(x => x.p)
            .ToArray();
        return new SchemeImport(ordered.Length == 0 ? scheme : null, ordered);
    }
}
