namespace SkillsHub.Server.Competitions;

/// <summary>
/// How a setup import's refusals name a field (docs/scoring.md, "Setup imports"): a CSV file by its column (<c>last_name</c>,
/// <c>team_size</c>), a JSON file by the property path its entry gave (<c>people[0].lastName</c>, <c>teamSize</c>), and by
/// the name the entry used where it may use either of two (<c>memberCode</c>, <c>expertIds</c>). The checks name a field
/// by its CSV column; this says it as the file does, the skill grain's refusals included. Found by an outside tester: a
/// JSON import's refusals named CSV columns the client never sent.
/// </summary>
public sealed class FieldNames
{
    /// <summary>A CSV file's names: its columns, as the checks name them.</summary>
    public static readonly FieldNames Csv = new(csv: true);

    readonly bool csv;
    readonly Dictionary<(int Row, string Column), string> aliases = [];

    FieldNames(bool csv) => this.csv = csv;

    public static FieldNames For(bool csv) => csv ? Csv : new FieldNames(csv: false);

    /// <summary>The JSON entry of <paramref name="row"/> gave <paramref name="column"/> under its other name, <paramref name="alias"/>.</summary>
    public void Aliased(int row, string column, string alias)
    {
        if (!csv)
        {
            aliases[(row, column)] = alias;
        }
    }

    /// <summary>The field <paramref name="column"/> (a CSV column, or a name shared by both formats such as <c>body</c>) of <paramref name="row"/>.</summary>
    public string Of(int? row, string column) =>
        csv ? column : row is { } r && aliases.TryGetValue((r, column), out var alias) ? alias : JsonName(column);

    /// <summary>A team member's field: the CSV column, or the JSON path of the entry's person <paramref name="index"/>.</summary>
    public string OfPerson(int index, string column) => csv ? column : $"people[{index}].{JsonName(column)}";

    /// <summary>The JSON property a CSV column stands for: its camelCase name, but a skill's <c>name_en</c> and a team's <c>team</c> are <c>name</c>.</summary>
    public static string JsonName(string column) => column switch
    {
        "name_en" or "team" => "name",
        _ when column.Contains('_') => string.Concat(column.Split('_').Select((part, i) => i == 0 || part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..])),
        _ => column,
    };
}
