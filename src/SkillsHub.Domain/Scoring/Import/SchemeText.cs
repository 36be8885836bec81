using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// The text rule (docs/security.md) over a whole scheme read from JSON: every text field is checked
/// with <see cref="TextInput"/> (names and descriptions may hold line breaks; the title, ids and marking days may
/// not) and the scheme comes back NFC-normalised. Problems name the node's id and the JSON field.
/// </summary>
internal static class SchemeText
{
    public static MarkingScheme Checked(MarkingScheme scheme, List<SchemeProblem> problems)
    {
        string Line(string value, string? id, string field) => Text(value, id, field, multiline: false, problems);
        string Prose(string value, string? id, string field) => Text(value, id, field, multiline: true, problems);

        return new MarkingScheme(
            Line(scheme.Title, null, "title"),
            scheme.Criteria.Select(c => new Criterion(
                Line(c.Id, c.Id, "id"),
                Prose(c.Name, c.Id, "name"),
                c.SubCriteria.Select(s => new SubCriterion(
                    Line(s.Id, s.Id, "id"),
                    Prose(s.Name, s.Id, "name"),
                    s.Aspects.Select(a => a with
                    {
                        Id = Line(a.Id, a.Id, "id"),
                        Description = Prose(a.Description, a.Id, "description"),
                        MarkingDay = Line(a.MarkingDay, a.Id, "markingDay"),
                        ExtraDescription = Prose(a.ExtraDescription, a.Id, "extraDescription"),
                        Requirement = Prose(a.Requirement, a.Id, "requirement"),
                        Descriptors = a.Descriptors.Select(d => Prose(d, a.Id, "descriptors")).ToValueList(),
                        Bands = a.Bands.Select(b => b with { Description = Prose(b.Description, a.Id, "bands") }).ToValueList(),
                        Deductions = a.Deductions.Select(d => d with { Description = Prose(d.Description, a.Id, "deductions") }).ToValueList(),
                    }).ToValueList())).ToValueList())).ToValueList());
    }

    private static string Text(string value, string? id, string field, bool multiline, List<SchemeProblem> problems)
    {
        if (TextInput.FaultOf(value, multiline) is { } fault)
        {
            problems.Add(new(null, id, field, fault));
            return value;
        }
        return TextInput.Normalise(value);
    }
}
