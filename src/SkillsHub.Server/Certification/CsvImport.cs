using SkillsHub.Domain;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// Reads an uploaded CSV with CsvHelper and hands each line's fields to the Domain's row validators.
/// Every problem is kept with its line number; the caller stores nothing when there is any.
/// </summary>
public static class CsvImport
{
    public sealed record Parsed<T>(List<(long Line, T Row)> Rows, ImportProblems Errors);

    /// <summary>
    /// The file's rows through the one strict CSV reader (<see cref="Domain.Text.StrictCsv"/>: UTF-8 only, known
    /// columns only, a fixed field count, at least one row), each validated by <paramref name="validate"/>.
    /// </summary>
    public static Parsed<T> Read<T>(byte[] content, IReadOnlyList<string> requiredColumns, IReadOnlyList<string> optionalColumns,
        Func<long, Func<string, string?>, List<LineError>, T?> validate, Action<long>? progress = null)
        where T : class
    {
        var rows = new List<(long, T)>();
        var errors = new ImportProblems();
        var (text, badLine, encoding) = Domain.Text.Utf8Text.Decode(content);
        if (encoding is not null)
        {
            errors.Add(LineError.Of(badLine, "encoding", encoding));
            return new Parsed<T>(rows, errors);
        }
        var rowErrors = new List<LineError>();
        var read = 0;
        Domain.Text.StrictCsv.Read(new StringReader(text!), requiredColumns, optionalColumns, (line, get) =>
        {
            read++;
            rowErrors.Clear();
            var row = validate(line, get, rowErrors);
            if (row is not null)
            {
                rows.Add((line, row));
            }
            else
            {
                errors.AddRange(rowErrors);
            }
            if (read % 5000 == 0)
            {
                progress?.Invoke(read + 1); // the rows read, as the line of a file whose cells hold no line breaks
            }
        }, (line, field, fault) => errors.Add(LineError.Of(line ?? 1, field, fault)));
        return new Parsed<T>(rows, errors);
    }

    /// <summary>
    /// How many rows the file has after its header, counted as the reader reads them (a line may end in CR, LF or CRLF;
    /// a quoted cell may hold a line break): the import's "processed of total". Found by an outside tester: counting LF
    /// bytes said 0 for a file with CR line ends and one too many for a quoted line break.
    /// </summary>
    public static int CountRows(byte[] content)
    {
        var (text, _, encoding) = Domain.Text.Utf8Text.Decode(content);
        if (encoding is null)
        {
            return Domain.Text.StrictCsv.CountRows(new StringReader(text!));
        }
        // A file that is not UTF-8 is refused as a whole, but it still has rows: its lines with anything on them after the
        // header, whatever the bytes (found by an outside tester: a GBK file of one row said "0 rows").
        var lines = 0;
        foreach (var line in content.AsSpan().Split((byte)'\n'))
        {
            if (content.AsSpan()[line].IndexOfAnyExcept("\0\r\t \uFEFF"u8) >= 0)
            {
                lines++;
            }
        }
        return Math.Max(0, lines - 1);
    }

    /// <summary>The downloadable error report: one CSV line per listed problem, then how many more there are.</summary>
    public static string ErrorReport(IEnumerable<LineError> errors, int unlisted = 0)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        // The messages quote the uploaded cells: formula-neutralised (docs/security.md).
        using var csv = Domain.Text.SafeCsv.CreateWriter(writer, leaveOpen: true);
        csv.WriteField("line");
        csv.WriteField("field");
        csv.WriteField("message");
        csv.NextRecord();
        foreach (var e in errors)
        {
            csv.WriteField(e.Line);
            csv.WriteField(e.Field);
            csv.WriteField(e.Message);
            csv.NextRecord();
        }
        if (unlisted > 0)
        {
            csv.WriteField("");
            csv.WriteField("");
            csv.WriteField($"{Domain.Text.Counted.Of(unlisted, "more problem", "more problems")} not listed here: correct these and upload the file again to see them.");
            csv.NextRecord();
        }
        csv.Flush();
        return writer.ToString();
    }
}
