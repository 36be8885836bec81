using System.Text.Json;
using System.Text.Json.Serialization;
using SkillsHub.Abstractions;
using SkillsHub.Domain;
using SkillsHub.Domain.Text;

namespace SkillsHub.Server.Competitions;

/// <summary>
/// How the setup imports read a file (docs/scoring.md, "Setup imports"): CSV through the one strict reader
/// (<see cref="StrictCsv"/>: known columns only, a fixed field count, at least one row), JSON as an array of objects
/// whose properties must all be known, with no null entries at any level. A file with nothing in it is refused:
/// an import adds or updates, it never empties what is stored.
/// </summary>
public static partial class RosterImport
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Plain JSON, as every request body: a trailing comma is refused (the marking scheme's file alone is lenient,
        // docs/scoring.md "JSON").
        AllowTrailingCommas = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A number is a JSON number, as in every body the server reads (found by an outside tester: "teamSize": "2" was taken).
        NumberHandling = JsonNumberHandling.Strict,
        // A property given twice ({"id":"DE-07","id":"FR-07"}) is ambiguous: refused naming it, as in every other body.
        AllowDuplicateProperties = false,
        Converters = { new ExactDecimal.Converter() },
    };

    /// <summary>
    /// The most rows one setup file may hold: a skill's competitors (a row per team member, teams of up to three), experts
    /// or marking groups are tens at WorldSkills. More is refused whole with a clear error (found by an outside tester: one
    /// file of 300,000 competitors was taken, and every public standings read became 49 MB).
    /// </summary>
    public const int MaxRows = 3000;

    /// <summary>The rows of a CSV (<paramref name="required"/> and <paramref name="optional"/> columns) or JSON body, each with its row number.</summary>
    /// <param name="columns">Filled with the CSV header's columns.</param>
    static List<(int Row, T Item)> Rows<T>(string body, bool csv, string[] required, string[] optional, Func<int, Func<string, string?>, T> fromCsv, List<RowError> errors,
        HashSet<string>? columns = null)
    {
        var rows = ReadRows(body, csv, required, optional, fromCsv, errors, columns);
        if (rows.Count > MaxRows)
        {
            errors.Add(new RowError(null, "body", $"The file has {rows.Count} rows; a setup import takes at most {MaxRows}.", RowCodes.TooManyRows,
                RowCodes.Args(("rows", rows.Count), ("max", MaxRows))));
            return [];
        }
        return rows;
    }

    static List<(int Row, T Item)> ReadRows<T>(string body, bool csv, string[] required, string[] optional, Func<int, Func<string, string?>, T> fromCsv, List<RowError> errors,
        HashSet<string>? columns)
    {
        var rows = new List<(int Row, T Item)>();
        if (csv)
        {
            // Blank cells read as absent values (null), as JSON's missing properties do.
            var header = StrictCsv.Read(new StringReader(body), required, optional,
                (line, get) => rows.Add(((int)line, fromCsv((int)line, name => get(name) is { Length: > 0 } v ? v : null))),
                (line, field, fault) => errors.Add(new RowError((int?)line, field, fault)));
            columns?.UnionWith(header ?? new HashSet<string>());
            return rows;
        }
        try
        {
            var items = JsonSerializer.Deserialize<List<T?>>(body, Json);
            for (var i = 0; i < items?.Count; i++)
            {
                if (items[i] is { } item)
                {
                    rows.Add((i + 1, item));
                }
                else
                {
                    errors.Add(new RowError(i + 1, "body", "Null entry.", RowCodes.JsonNullEntry));
                }
            }
            if (items is not { Count: > 0 })
            {
                errors.Add(new RowError(null, "body", StrictCsv.NoRows));
            }
        }
        catch (JsonException e)
        {
            // What is wrong as the other bodies say it (Platform/Body.cs): a value of another type, a property given twice or
            // unknown (found by an outside tester: a whole number written 9.0 was called an unknown property).
            errors.Add(new RowError(null, string.IsNullOrEmpty(e.Path) ? "body" : e.Path, $"Cannot read {e.Path ?? "$"} (line {e.LineNumber + 1}): {Platform.Body.Describe(e)}",
                RowCodes.JsonMalformed, RowCodes.Args(("line", e.LineNumber + 1))));
        }
        return rows;
    }

    /// <summary>
    /// A value an entry may give under either of two names (the import's, or the one its read answers with); both is refused.
    /// Given under the second, its refusals name that (<paramref name="names"/>).
    /// </summary>
    static T? OneOf<T>(T? value, T? alias, int row, string field, string aliasField, FieldNames names, List<RowError> errors) where T : class
    {
        if (value is not null && alias is not null)
        {
            errors.Add(new RowError(row, aliasField, $"{field} and {aliasField} name the same thing; give one of them.", RowCodes.JsonAliasConflict,
                RowCodes.Args(("field", field), ("alias", aliasField))));
        }
        else if (value is null && alias is not null)
        {
            names.Aliased(row, field, aliasField);
        }
        return value ?? alias;
    }

    /// <summary>The items of a list inside an entry (a team's people, a group's targets or experts); a null item is refused naming it.</summary>
    static List<T> NotNull<T>(IEnumerable<T?>? items, int row, string field, List<RowError> errors) where T : class
    {
        var result = new List<T>();
        var i = 0;
        foreach (var item in items ?? [])
        {
            if (item is null)
            {
                var at = $"{field}[{i}]";
                errors.Add(new RowError(row, at, $"{at} is null; give a value or leave the entry out.", RowCodes.JsonNullItem, RowCodes.Args(("field", at))));
            }
            else
            {
                result.Add(item);
            }
            i++;
        }
        return result;
    }

    /// <summary>
    /// A list of ids (a group's targets or experts), trimmed and without repeats: a null or blank entry is refused naming it
    /// (<c>targets[0]</c>), never dropped, so a client that blanked a target does not quietly take it out of the group (found
    /// by an outside tester). A CSV cell's list has no blank entries (<see cref="SplitList"/>).
    /// </summary>
    static List<string> IdList(IReadOnlyList<string?>? items, int row, string field, List<RowError> errors)
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            if (items![i] is { } item && string.IsNullOrWhiteSpace(item))
            {
                var at = $"{field}[{i}]";
                errors.Add(new RowError(row, at, $"{at} is blank; give an id or leave the entry out.", RowCodes.JsonBlankItem, RowCodes.Args(("field", at))));
            }
        }
        return NotNull(items, row, field, errors).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct().ToList();
    }

    /// <summary>The optional skill columns each JSON entry names (absent ones keep what is stored), in CSV column names.</summary>
    static List<HashSet<string>> SkillPropertiesGiven(string body)
    {
        var given = new List<HashSet<string>>();
        using var document = JsonDocument.Parse(body);
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var names = entry.ValueKind == JsonValueKind.Object
                ? entry.EnumerateObject().Select(p => SkillColumnOf(p.Name)).OfType<string>().ToHashSet()
                : [];
            given.Add(names);
        }
        return given;
    }

    static string? SkillColumnOf(string property) => property.ToLowerInvariant() switch
    {
        "namezh" => "name_zh",
        "sector" => "sector",
        "teamsize" => "team_size",
        "competitormaxage" => "competitor_max_age",
        _ => null,
    };
}
