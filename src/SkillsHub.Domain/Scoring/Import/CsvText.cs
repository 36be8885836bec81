using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// RFC 4180 records through CsvHelper's parser and writer, numbered the way a spreadsheet numbers its
/// rows (one row per record: a quoted line break does not start a new row, a blank line is a row), and
/// a quote that never closes reported with the row it opens on instead of thrown.
/// </summary>
internal static class CsvText
{
    public sealed record Record(int Row, string[] Fields);

    static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        IgnoreBlankLines = false,
        DetectColumnCountChanges = false,
        // A stray quote inside an unquoted cell is kept as text; the scheme's own checks judge the value.
        BadDataFound = null,
        NewLine = "\n",
        // Quote what would otherwise change on the way back in: separators, quotes, line breaks, and
        // leading or trailing spaces (the reader trims cells); and a semicolon, as every CSV handed out (docs/security.md).
        ShouldQuote = args => args.Field is { Length: > 0 } f
            && (f.AsSpan().IndexOfAny(",;\"\r\n") >= 0 || char.IsWhiteSpace(f[0]) || char.IsWhiteSpace(f[^1])),
    };

    /// <summary>
    /// The reader's settings: the writer's, but with no line ending set, so records end at CRLF, LF or a lone CR alike
    /// (a file saved by Excel on Windows or an old Mac reads as the exported one).
    /// </summary>
    static readonly CsvConfiguration ReadConfiguration = new(CultureInfo.InvariantCulture)
    {
        IgnoreBlankLines = false,
        DetectColumnCountChanges = false,
        BadDataFound = null,
    };

    /// <summary>
    /// Reads every record; <paramref name="unclosedQuoteRow"/> is set if a quote never closes. A line break inside a
    /// quoted cell is read as LF whatever the file used, so the same sheet saved with other line endings is the same
    /// scheme (docs/scoring.md, "CSV").
    /// </summary>
    /// <remarks>The delimiter is the file's own (<see cref="Text.StrictCsv.HeaderDelimiter"/>): a sheet Excel saved with semicolons.</remarks>
    public static List<Record> Read(TextReader reader, string delimiter, out int? unclosedQuoteRow)
    {
        var records = new List<Record>();
        unclosedQuoteRow = null;
        using var parser = new CsvParser(reader, ReadConfiguration with { Delimiter = delimiter }, leaveOpen: true);
        var row = 0;
        while (parser.Read())
        {
            row++;
            var fields = parser.Record ?? [];
            if (row == 1 && fields.Length > 0 && fields[0].StartsWith('\uFEFF'))
            {
                fields[0] = fields[0][1..];
            }
            // A quoted field still open at the end of the file swallowed the rest of it.
            if (Text.StrictCsv.EndsInsideQuotes(parser.RawRecord, delimiter, trimmed: false))
            {
                unclosedQuoteRow = row;
                return records;
            }
            records.Add(new Record(row, fields.Select(f => f.Contains('\r') ? f.Replace("\r\n", "\n").Replace('\r', '\n') : f).ToArray()));
        }
        return records;
    }

    /// <summary>A writer that quotes exactly what the reader needs quoted; dispose it to flush.</summary>
    /// <summary>Writes records ending in CRLF (RFC 4180, what spreadsheets expect); the reader takes CRLF and LF alike.</summary>
    public static CsvWriter CreateWriter(TextWriter writer) => new(writer, Configuration with { NewLine = "\r\n" }, leaveOpen: true);
}
