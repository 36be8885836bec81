using SkillsHub.Domain.Certification;
using SkillsHub.Domain.Text;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The problems an import found: every one counted, the first <see cref="MaxListed"/> kept with their line and field for
/// the report, which says how many more there are (docs/certification.md, "Imports"). Found by an outside tester: a
/// file with more problems than the report holds left some out of the count, and the report did not say it was cut.
/// </summary>
public sealed class ImportProblems
{
    public const int MaxListed = 10_000;

    readonly List<LineError> _listed = [];

    public IReadOnlyList<LineError> Listed => _listed;

    /// <summary>Every problem found, listed or not.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Counts the problem and lists it while the report has room, with any control character of the file that its message,
    /// field or arguments quote shown as a visible picture (<see cref="TextInput.Visible"/>): the report is stored in
    /// PostgreSQL, which refuses a NUL. What the file gave is quoted back at most <see cref="MaxQuoted"/> characters long
    /// (found by an outside tester: a 64 MB column name came back three times over in the import's status).
    /// </summary>
    public void Add(LineError error)
    {
        Count++;
        if (_listed.Count < MaxListed)
        {
            _listed.Add(error with
            {
                Field = Quoted(error.Field),
                Message = Quoted(error.Message),
                Args = error.Args?.ToDictionary(a => a.Key, a => Quoted(a.Value)),
            });
        }
    }

    /// <summary>The longest text a report quotes (a field, a message, an argument); longer text ends in "…".</summary>
    public const int MaxQuoted = 300;

    static string Quoted(string text)
    {
        var visible = TextInput.Visible(text);
        if (visible.Length <= MaxQuoted)
        {
            return visible;
        }
        var cut = char.IsHighSurrogate(visible[MaxQuoted - 2]) ? MaxQuoted - 2 : MaxQuoted - 1;
        return visible[..cut] + "…";
    }

    public void AddRange(IEnumerable<LineError> errors)
    {
        foreach (var error in errors)
        {
            Add(error);
        }
    }

    /// <summary>Problems counted, but not fetched one by one (a database check reads its first <see cref="MaxListed"/>).</summary>
    public void AddUnlisted(int count) => Count += count;
}
