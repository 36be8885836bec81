using System.Globalization;
using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// Marking schemes as CSV laid out like the CIS marking-scheme import sheet (see docs/scoring.md):
/// a criterion row, then its sub-criterion rows, each followed by aspect rows; a judgement aspect is
/// followed by four score rows (0..3) carrying the descriptors, a measurement aspect optionally by
/// <c>band</c> or <c>deduction</c> rows. Columns are matched by header name, so order does not matter
/// and extra CIS columns (WSSS section, totals) are ignored.
/// Text follows docs/security.md: a cell holding a control character (other than a line break or tab
/// in a description) or a bidirectional control is a row error naming its column; cells are read
/// NFC-normalised. The export neutralises formulas reversibly (<see cref="SafeCsv.NeutraliseReversibly"/>)
/// and the import undoes it, so an exported scheme reads back exactly.
/// </summary>
public static partial class SchemeCsv
{
    public const string CriterionId = "Criterion ID";
    public const string CriterionName = "Criterion Name";
    public const string SubCriterionId = "Sub Criterion ID";
    public const string SubCriterionName = "Sub Criterion Name";
    public const string AspectId = "Aspect ID";
    public const string AspectType = "Aspect Type";
    public const string AspectDescription = "Aspect Description";
    public const string JudgementScore = "Judgement Score";
    public const string ExtraDescription = "Extra Aspect Description or Judgement Score Description";
    public const string Requirement = "Requirement";
    public const string MarkingDay = "Day of Marking";
    public const string MaxMark = "Max Mark";
    public const string Tolerance = "Tolerance";

    public static readonly IReadOnlyList<string> Columns =
    [
        CriterionId, CriterionName, SubCriterionId, SubCriterionName, AspectId, AspectType, AspectDescription,
        JudgementScore, ExtraDescription, Requirement, MarkingDay, MaxMark, Tolerance,
    ];

    // Aspect ID, Requirement and Tolerance may be left out: ids are then generated (A1.1, A1.2, ...).
    private static readonly string[] Required =
    [
        CriterionId, CriterionName, SubCriterionId, SubCriterionName, AspectType, AspectDescription,
        JudgementScore, ExtraDescription, MarkingDay, MaxMark,
    ];

    // Spellings seen in CIS exports and hand-made sheets, compared without case, spaces or punctuation.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["subcriteriaid"] = SubCriterionId,
        ["subcriterianame"] = SubCriterionName,
        ["subcriterianameordescription"] = SubCriterionName,
        ["aspecttypemj"] = AspectType,
        ["judgscore"] = JudgementScore,
        ["judgementscoredescription"] = ExtraDescription,
        ["extraaspectdescriptionobjorsubjorjudgementscoredescriptionjudgonly"] = ExtraDescription,
        ["dayofmarking"] = MarkingDay,
        ["markingday"] = MarkingDay,
        ["maxmarks"] = MaxMark,
    };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static SchemeImport Parse(TextReader reader, string title = "")
    {
        var problems = new List<SchemeProblem>();
        // The delimiter is the header's, as every import's (docs/scoring.md, "Setup imports"): a sheet Excel saved with
        // semicolons was refused as missing every column (found by an outside tester).
        var text = reader.ReadToEnd();
        var records = CsvText.Read(new StringReader(text), StrictCsv.HeaderDelimiter(text), out var unclosedQuoteRow);
        if (unclosedQuoteRow is { } badRow)
        {
            problems.Add(new(badRow, null, "File", "A quoted field that starts on this row is never closed.", RowCodes.UnclosedQuote));
            return new SchemeImport(null, problems);
        }

        if (records.Count == 0)
        {
            problems.Add(new(null, null, "Header", "The file is empty; the first row must name the columns.", RowCodes.CsvEmpty));
            return new SchemeImport(null, problems);
        }

        var columns = ReadHeader(records[0].Fields, records[0].Row, problems);
        if (problems.Count > 0)
        {
            return new SchemeImport(null, problems);
        }

        // A row wider than the header holds cells no column names: their text would be lost without a word (found by an
        // outside tester: "Poor, messy" unquoted kept "Poor"). A shorter row reads its missing cells as empty.
        var width = records[0].Fields.Length;
        problems.AddRange(records.Skip(1).Where(r => r.Fields.Length > width).Select(r => new SchemeProblem(r.Row, null, "File",
            $"This row has {r.Fields.Length} fields and the header {width}: quote a cell that holds a comma.",
            RowCodes.CsvFieldCount, RowCodes.Args(("expected", width), ("found", r.Fields.Length)))));
        if (problems.Count > 0)
        {
            return new SchemeImport(null, problems);
        }

        if (TextInput.FaultOf(title) is { } titleFault)
        {
            problems.Add(new(null, null, "title", titleFault));
        }

        var builder = new Builder(problems);
        foreach (var record in records.Skip(1))
        {
            builder.Add(new Row(record.Fields, columns, record.Row));
        }

        var scheme = builder.Build(TextInput.Normalise(title));
        return SchemeImport.From(scheme, problems, builder.RowOf, ColumnOf, builder.FollowsFromUnreadable);
    }

    /// <summary>
    /// The sheet's column for a field the validator names by property, so that every problem of a file names the column
    /// as the file does ("row 4: Max Mark", not "row 4: MaxMark"; an outside tester found both in one answer). Fields
    /// that are no column (the total, a criterion's sub-criteria) keep their names.
    /// </summary>
    static string ColumnOf(string field) => field switch
    {
        "CriterionId" => CriterionId,
        "CriterionName" => CriterionName,
        "SubCriterionId" => SubCriterionId,
        "SubCriterionName" => SubCriterionName,
        "AspectId" => AspectId,
        "Description" => AspectDescription,
        "MarkingDay" => MarkingDay,
        "MaxMark" or "Deductions" => MaxMark,
        "Descriptors" => JudgementScore,
        "Bands" => Tolerance,
        _ => field,
    };

    public static SchemeImport Parse(string csv, string title = "") => Parse(new StringReader(csv), title);

    private static Dictionary<string, int> ReadHeader(string[] header, int row, List<SchemeProblem> problems)
    {
        var known = Columns.ToDictionary(Normalise, c => c, StringComparer.Ordinal);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var key = Normalise(header[i]);
            if (known.TryGetValue(key, out var column) || Aliases.TryGetValue(key, out column))
            {
                // A known column given twice (by its name or an alias): which one holds the value is anyone's guess, so the
                // file is refused rather than the second one silently dropped (found by an outside tester).
                if (!columns.TryAdd(column, i))
                {
                    problems.Add(new(row, null, column, $"Column '{column}' appears twice (columns {columns[column] + 1} and {i + 1}).", RowCodes.CsvDuplicateColumn, RowCodes.Args(("column", column))));
                }
            }
            else if (NearMiss(key, known.Keys.Concat(Aliases.Keys)) is { } near)
            {
                // Other columns of a CIS export (WSSS section, totals) are not read; one a letter or two from a column this
                // import reads is a misspelling, and taken as left out it would erase what the column holds (found by an
                // outside tester: "Requirment" emptied every requirement, and the import said it succeeded).
                var name = TextInput.Quoted(header[i].Trim());
                var meant = known.TryGetValue(near, out var k) ? k : Aliases[near];
                var expected = string.Join(", ", Columns);
                problems.Add(new(row, null, name, $"Unknown column '{name}'; did you mean '{meant}'? The columns are: {expected}.",
                    RowCodes.CsvUnknownColumn, RowCodes.Args(("column", name), ("position", i + 1), ("expected", expected))));
            }
        }
        if (problems.Count > 0)
        {
            return columns;
        }

        foreach (var column in Required.Where(c => !columns.ContainsKey(c)))
        {
            problems.Add(new(row, null, column, $"The header has no '{column}' column.", RowCodes.MissingColumn, RowCodes.Args(("column", column))));
        }

        return columns;
    }

    /// <summary>The known column name (normalised) at most two edits from <paramref name="key"/>, for a name of five or more characters; else null.</summary>
    internal static string? NearMiss(string key, IEnumerable<string> known) =>
        key.Length < 5 ? null : known.FirstOrDefault(k => EditDistance(key, k) <= 2);

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }

    private static string Normalise(string header) =>
        new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>
    /// A number as docs/scoring.md ("CSV") writes it: '.' is the decimal point and nothing groups digits. A comma is
    /// refused, not read as a thousands separator (found by an outside tester: a tolerance of "0,05" became 5). Read exactly;
    /// an exponent (5e1) is taken, as the JSON import takes it.
    /// </summary>
    internal static bool TryParseMark(string text, out decimal value) =>
        ExactDecimal.TryParse(text, MarkStyles, out value);

    const NumberStyles MarkStyles = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign
        | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>
    /// Why a cell is not a mark: a number with more digits than a mark holds is said so, as the JSON import says it (found
    /// by an outside tester: the CSV called 50.00000000000000000000000000001 "not a number"); anything else is not a number.
    /// </summary>
    internal static SchemeProblem NotAMark(int row, string? id, string column, string text) =>
        Text.ExactDecimal.IsOutOfRange(text)
            ? new(row, id, column, $"{column} '{text}' is beyond the largest number a mark holds.", RowCodes.JsonOutOfRange, RowCodes.Args(("field", column)))
        : decimal.TryParse(text, MarkStyles, CultureInfo.InvariantCulture, out _)
            ? new(row, id, column, $"{column} '{text}' has more digits than a mark holds (28 significant digits, 28 places); it would be rounded.", RowCodes.JsonTooManyDigits, RowCodes.Args(("field", column)))
            : new(row, id, column, $"{column} '{text}' is not a number.", RowCodes.NotANumber, RowCodes.Args(("column", column), ("value", text)));

    internal static bool TryParseAspectType(string text, out AspectType type)
    {
        switch (text.Trim().ToUpperInvariant())
        {
            case "M" or "MEASUREMENT":
                type = Scoring.AspectType.Measurement;
                return true;
            case "J" or "JUDGEMENT" or "JUDGMENT":
                type = Scoring.AspectType.Judgement;
                return true;
            default:
                type = default;
                return false;
        }
    }

    // Ids, the aspect type, scores and numbers are one-line values; names and descriptions may hold line breaks.
    private static readonly HashSet<string> OneLine = [CriterionId, SubCriterionId, AspectId, AspectType, JudgementScore, MarkingDay, MaxMark, Tolerance];

    private readonly record struct Row(string[] Fields, Dictionary<string, int> Columns, int Number)
    {
        /// <summary>The cell trimmed, NFC-normalised and with the export's formula escape undone.</summary>
        public string this[string column] =>
            Columns.TryGetValue(column, out var i) && i < Fields.Length ? SafeCsv.Restore(TextInput.Normalise(Fields[i])) : "";

        /// <summary>A problem for each cell of a known column that breaks the text rule (docs/security.md).</summary>
        public IEnumerable<SchemeProblem> TextProblems()
        {
            foreach (var (column, i) in Columns.OrderBy(c => c.Value))
            {
                if (i < Fields.Length && TextInput.FaultOf(Fields[i].Trim(), multiline: !OneLine.Contains(column)) is { } fault)
                {
                    yield return new(Number, null, column, fault);
                }
            }
        }

        public bool IsBlank => Fields.All(string.IsNullOrWhiteSpace);
    }
}
