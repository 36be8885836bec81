using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SkillsHub.Domain.Text;

/// <summary>
/// The one reader of headed CSV imports (skills, competitors, experts, marking groups; agency candidates, results and
/// occupations: docs/scoring.md, "Setup imports"; docs/certification.md, "Imports"). It is strict because a file
/// that is read differently from how it was meant changes stored data without a word:
/// <list type="bullet">
/// <item>every column of the header must be one the import knows, once: a misspelt <c>nmae_zh</c> is refused, naming
/// it, instead of being ignored while the real column counts as absent;</item>
/// <item>every row has exactly the header's number of fields: a semicolon-separated file whose lists are also
/// separated by semicolons would otherwise lose all but the first item of each list;</item>
/// <item>a file with a header and no rows is refused: an import never empties what is stored.</item>
/// </list>
/// Column names are compared trimmed, lower-cased, with spaces as underscores. Cells are trimmed. The delimiter is
/// the header's (comma, tab or semicolon: <see cref="HeaderDelimiter"/>). Lines are numbered like the file (header = 1).
/// </summary>
public static class StrictCsv
{
    public static string ColumnName(string header) => header.Trim().ToLowerInvariant().Replace(' ', '_');

    /// <summary>How many rows <see cref="Read"/> would hand on at most: the records after the header, blank ones left out.</summary>
    public static int CountRows(TextReader text)
    {
        var all = text.ReadToEnd();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = HeaderDelimiter(all), BadDataFound = null };
        using var parser = new CsvParser(new StringReader(all), config);
        var records = 0;
        while (parser.Read())
        {
            var record = parser.Record ?? [];
            if (!(records == 0 ? IsBlankBeforeHeader(record) : IsBlankRow(record)))
            {
                records++;
            }
        }
        return Math.Max(records - 1, 0);
    }

    /// <summary>
    /// Reads <paramref name="text"/>: each row goes to <paramref name="row"/> with its line and a lookup by column
    /// name (the trimmed cell, or null for a column the header does not have); each problem goes to
    /// <paramref name="error"/> with its line (null: the file as a whole) and field. Returns the header's columns,
    /// or null when the header was refused (and no row was read).
    /// </summary>
    public static IReadOnlySet<string>? Read(TextReader text, IReadOnlyList<string> required, IReadOnlyList<string> optional,
        Action<long, Func<string, string?>> row, Action<long?, string, Fault> error)
    {
        // The first malformed cell of the record being read; reported once the record is read, with its line.
        string? malformed = null;
        var badRows = 0;
        var all = text.ReadToEnd();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = HeaderDelimiter(all),
            TrimOptions = TrimOptions.Trim,
            BadDataFound = bad => malformed ??= bad.Field,
        };
        using var parser = new CsvParser(new StringReader(all), config);
        bool ReportMalformed(long line)
        {
            if (malformed is not { } field)
            {
                return false;
            }
            malformed = null;
            badRows++;
            var near = TextInput.Quoted(field);
            error(line, "csv", new Fault(RowCodes.CsvMalformed, $"Malformed CSV near \"{near}\".", RowCodes.Args(("near", near))));
            return true;
        }
        try
        {
            // The header is the first line that is not blank (spaces or tabs alone count as blank, as between rows; found by
            // an outside tester: a line of spaces before the header made the file "empty").
            string[]? header = null;
            while (parser.Read())
            {
                if (parser.Record is { } record && !IsBlankBeforeHeader(record))
                {
                    header = record;
                    break;
                }
                malformed = null;
            }
            if (header is null)
            {
                error(null, "csv", new Fault(RowCodes.CsvEmpty, "The file is empty; the first row must name the columns."));
                return null;
            }
            // The header's own line, also when blank lines come before it (an outside tester: its errors always said line 1).
            var headerLine = StartLine(parser);
            ReportMalformed(headerLine);
            var columns = header.Select(ColumnName).ToArray();
            if (!HeaderAccepted(headerLine, columns, header, required, optional, error))
            {
                return null;
            }
            var index = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
            var rows = 0;
            while (parser.Read())
            {
                var line = StartLine(parser);
                var record = parser.Record ?? [];
                if (ReportMalformed(line) || IsBlankRow(record))
                {
                    continue; // malformed (reported), or a blank line
                }
                rows++;
                if (record.Length != columns.Length)
                {
                    error(line, "csv", new Fault(RowCodes.CsvFieldCount, $"Expected {columns.Length} fields, found {record.Length}.",
                        RowCodes.Args(("expected", columns.Length), ("found", record.Length))));
                    continue;
                }
                row(line, name => index.TryGetValue(name, out var i) ? record[i] : null);
            }
            if (rows == 0 && badRows == 0)
            {
                error(null, "csv", NoRows);
            }
            return columns.ToHashSet();
        }
        catch (CsvHelperException e)
        {
            error(e.Context?.Parser?.RawRow, "csv", new Fault(RowCodes.CsvMalformed, "Malformed CSV: " + e.Message.Split('\n')[0], RowCodes.Args(("near", ""))));
            return null;
        }
    }

    /// <summary>
    /// The line of the file the record just read starts on, as an editor numbers lines: the parser counts the line the
    /// record ends on, so the line breaks inside its quoted cells are taken off. Found by an outside tester: after a cell
    /// holding a line break, a row's errors named the record's number while an encoding error named the file's line.
    /// </summary>
    static long StartLine(CsvParser parser)
    {
        // A quote left open runs to the end of the file: the record's last line break is inside its cell, not its end
        // (found by an outside tester: an unclosed last row of a two-line file was reported on line 3).
        var raw = parser.RawRecord.AsSpan();
        return parser.RawRow - LineBreaks.Count(EndsInsideQuotes(raw, parser.Delimiter, trimmed: true) ? raw : raw.TrimEnd("\r\n"));
    }

    /// <summary>A line with nothing on it but spaces: skipped between rows.</summary>
    static bool IsBlankRow(string[] record) => record.Length == 1 && string.IsNullOrWhiteSpace(record[0]);

    /// <summary>Before the header, a line whose every cell is empty or spaces is blank too (a tab alone in a tab-separated file).</summary>
    static bool IsBlankBeforeHeader(string[] record) => record.All(string.IsNullOrWhiteSpace);

    /// <summary>
    /// Whether a quoted cell of the record is still open at its end. Only a quote that starts a cell (after spaces) opens
    /// one, as the parser reads it; a stray quote inside an unquoted cell does not (found by an outside tester: counting
    /// quotes took <c>A"B,...</c> for an open cell and reported its line as the one before). With <paramref name="trimmed"/>
    /// cells (this reader's), spaces may come before the opening quote; untrimmed (the scheme reader's), they may not.
    /// Also the scheme reader's test for a quote left open to the end of the file (<c>Scoring/Import/CsvText.cs</c>).
    /// </summary>
    internal static bool EndsInsideQuotes(ReadOnlySpan<char> raw, string delimiter, bool trimmed)
    {
        var quoted = false;
        var cellStart = true;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < raw.Length && raw[i + 1] == '"')
                    {
                        i++; // an escaped quote
                    }
                    else
                    {
                        quoted = false;
                    }
                }
            }
            else if (raw[i..].StartsWith(delimiter, StringComparison.Ordinal) || c is '\r' or '\n')
            {
                cellStart = true;
                i += c is '\r' or '\n' ? 0 : delimiter.Length - 1;
            }
            else if (cellStart && c == '"')
            {
                quoted = true;
                cellStart = false;
            }
            else if (trimmed && cellStart && c is ' ' or '\t')
            {
                // spaces before a cell's opening quote (the cells are trimmed)
            }
            else
            {
                cellStart = false;
            }
        }
        return quoted;
    }

    /// <summary>
    /// The file's delimiter, read from its header line (the first line that is not blank or spaces and tabs alone): the one of comma, tab and
    /// semicolon it holds most often outside quotes, a comma when it holds none. Only the header decides: CsvHelper's
    /// detection sampled the rows too, and a few stray quotes in them made a semicolon file read as one column, its
    /// faulty lines never named (found by an outside tester).
    /// </summary>
    public static string HeaderDelimiter(string text)
    {
        var rest = text.AsSpan();
        var header = ReadOnlySpan<char>.Empty;
        while (rest.Length > 0 && header.IsWhiteSpace())
        {
            var end = rest.IndexOfAny('\r', '\n');
            header = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
        string[] candidates = [",", "\t", ";"];
        var counts = new int[candidates.Length];
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && Array.IndexOf(candidates, c.ToString()) is var i and >= 0)
            {
                counts[i]++;
            }
        }
        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            best = counts[i] > counts[best] ? i : best;
        }
        return candidates[best];
    }

    /// <summary>An import with nothing in it (a header alone, JSON <c>[]</c> or <c>null</c>) is refused: it would change nothing or empty what is stored.</summary>
    public static readonly Fault NoRows = new(RowCodes.NoRows, "The file has no rows; nothing was imported and nothing stored was changed.");

    /// <summary>How many unknown columns a refusal names one by one.</summary>
    public const int MaxUnknownColumnsNamed = 20;

    static bool HeaderAccepted(long line, string[] columns, string[] header, IReadOnlyList<string> required, IReadOnlyList<string> optional, Action<long?, string, Fault> error)
    {
        var known = required.Concat(optional).ToList();
        var expected = string.Join(", ", known);
        var ok = true;
        var seen = new HashSet<string>();
        var unknown = 0;
        for (var i = 0; i < columns.Length; i++)
        {
            if (!known.Contains(columns[i]))
            {
                ok = false;
                // The first few are named; the rest are counted in one problem, so a refusal stays small whatever the header.
                if (++unknown > MaxUnknownColumnsNamed)
                {
                    continue;
                }
                var name = TextInput.Quoted(header[i].Trim());
                // A column without a name has its own code, so a page says "column 7 has no name" in its language, not
                // "unknown column ''" (found by an outside tester on the Chinese page).
                error(line, name.Length > 0 ? name : $"column {i + 1}", new Fault(name.Length > 0 ? RowCodes.CsvUnknownColumn : RowCodes.CsvNamelessColumn,
                    name.Length > 0 ? $"Unknown column '{name}'; the columns are: {expected}." : $"Column {i + 1} has no name; the columns are: {expected}.",
                    RowCodes.Args(("column", name), ("position", i + 1), ("expected", expected))));
            }
            else if (!seen.Add(columns[i]))
            {
                ok = false;
                error(line, columns[i], new Fault(RowCodes.CsvDuplicateColumn, $"Column '{columns[i]}' appears twice.", RowCodes.Args(("column", columns[i]))));
            }
        }
        if (unknown > MaxUnknownColumnsNamed)
        {
            var more = unknown - MaxUnknownColumnsNamed;
            error(line, "csv", new Fault(RowCodes.CsvMoreUnknownColumns, $"{more} more unknown column(s); the columns are: {expected}.",
                RowCodes.Args(("more", more), ("expected", expected))));
        }
        var missing = required.Where(r => !columns.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            ok = false;
            error(line, "csv", new Fault(RowCodes.CsvMissingColumns, $"Missing column(s): {string.Join(", ", missing)}; expected {expected}.",
                RowCodes.Args(("missing", string.Join(", ", missing)), ("expected", expected))));
        }
        return ok;
    }
}
