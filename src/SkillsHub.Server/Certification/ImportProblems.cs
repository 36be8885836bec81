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
    /// PostgreSQL, which refuses a NUL.
    /// </summary>
    public void Add(LineError error)
    {
        Count++;
        if (_listed.Count < MaxListed)
        {
            _listed.Add(error with
            {
                Field = TextInput.Visible(error.Field),
                Message = TextInput.Visible(error.Message),
                Args = error.Args?.ToDictionary(a => a.Key, a => TextInput.Visible(a.Value)),
            });
        }
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
