using CsvHelper;
using CsvHelper.Configuration;
using SkillsHub.Domain;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// Reads an uploaded CSV with CsvHelper and hands each line's fields to the Domain's row validators.
/// Every problem is kept with its line number; the caller stores nothing when there is any.
/// </summary>
public static class CsvImport
{
    public sealed record Parsed<T>(List<(long Line, T Row)> Rows, List<RowError> Errors);

    /// <summary>Stops collecting details after this many errors (the count stays exact).</summary>
    public const int MaxReportedErrors = 10_000;

    public static Parsed<T> Read<T>(Stream content, IReadOnlyList<string> requiredColumns, Func<long, Func<string, string?>, List<RowError>, T?> validate, Action<long>? progress = null)
        where T : class
    {
        var rows = new List<(long, T)>();
        var errors = new List<RowError>();
        var badLines = new HashSet<long>();
        using var reader = new StreamReader(content, detectEncodingFromByteOrderMarks: true);
        CsvReader? csvRef = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            DetectDelimiter = true,
            DetectDelimiterValues = [",", "\t", ";"],
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            BadDataFound = bad =>
            {
                var line = csvRef?.Parser.Row ?? 0;
                if (badLines.Add(line))
                {
                    errors.Add(new RowError(line, "csv", $"malformed CSV near \"{Shorten(bad.Field)}\"", RowCodes.CsvMalformed, RowCodes.Args(("near", Shorten(bad.Field)))));
                }
            },
        };
        using var csv = new CsvReader(reader, config);
        csvRef = csv;
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            errors.Add(new RowError(1, "header", "the file is empty: the first line must name the columns", RowCodes.CsvEmpty));
            return new Parsed<T>(rows, errors);
        }
        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var missing = requiredColumns.Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new RowError(1, "header", $"missing column(s): {string.Join(", ", missing)}; expected {string.Join(",", requiredColumns)}", RowCodes.CsvMissingColumns, RowCodes.Args(("missing", string.Join(", ", missing)), ("expected", string.Join(",", requiredColumns)))));
            return new Parsed<T>(rows, errors);
        }
        var index = columns.Select((c, i) => (c, i)).GroupBy(x => x.c).ToDictionary(g => g.Key, g => g.First().i);
        var rowErrors = new List<RowError>();
        while (csv.Read())
        {
            var line = (long)csv.Parser.Row;
            if (badLines.Contains(line))
            {
                continue;
            }
            if (csv.Parser.Count != columns.Length)
            {
                if (csv.Parser.Count == 1 && string.IsNullOrWhiteSpace(csv.Parser[0]))
                {
                    continue; // blank line
                }
                errors.Add(new RowError(line, "csv", $"expected {columns.Length} fields, found {csv.Parser.Count}", RowCodes.CsvFieldCount, RowCodes.Args(("expected", columns.Length), ("found", csv.Parser.Count))));
                continue;
            }
            rowErrors.Clear();
            var row = validate(line, name => index.TryGetValue(name, out var i) ? csv.Parser[i] : null, rowErrors);
            if (row is not null)
            {
                rows.Add((line, row));
            }
            else if (errors.Count < MaxReportedErrors)
            {
                errors.AddRange(rowErrors);
            }
            else
            {
                errors.Add(rowErrors[0]);
            }
            if (line % 5000 == 0)
            {
                progress?.Invoke(line);
            }
        }
        return new Parsed<T>(rows, errors);
    }

    static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>The downloadable error report: one CSV line per problem.</summary>
    public static string ErrorReport(IEnumerable<RowError> errors)
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
        csv.Flush();
        return writer.ToString();
    }
}
