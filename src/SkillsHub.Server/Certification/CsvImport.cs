using SkillsHub.Domain;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// Reads an uploaded CSV with CsvHelper and hands each line's fields to the Domain's row validators.
/// Every problem is kept with its line number; the caller stores nothing when there is any.
/// </summary>
public static class CsvImport
{
    public sealed record Parsed<T>(List<(long Line, T Row)> Rows, List<LineError> Errors);

    /// <summary>Stops collecting details after this many errors (the count stays exact).</summary>
    public const int MaxReportedErrors = 10_000;

    /// <summary>
    /// The file's rows through the one strict CSV reader (<see cref="Domain.Text.StrictCsv"/>: UTF-8 only, known
    /// columns only, a fixed field count, at least one row), each validated by <paramref name="validate"/>.
    /// </summary>
    public static Parsed<T> Read<T>(byte[] content, IReadOnlyList<string> requiredColumns, IReadOnlyList<string> optionalColumns,
        Func<long, Func<string, string?>, List<LineError>, T?> validate, Action<long>? progress = null)
        where T : class
    {
        var rows = new List<(long, T)>();
        var errors = new List<LineError>();
        var (text, badLine, encoding) = Domain.Text.Utf8Text.Decode(content);
        if (encoding is not null)
        {
            errors.Add(LineError.Of(badLine, "encoding", encoding));
            return new Parsed<T>(rows, errors);
        }
        var rowErrors = new List<LineError>();
        Domain.Text.StrictCsv.Read(new StringReader(text!), requiredColumns, optionalColumns, (line, get) =>
        {
            rowErrors.Clear();
            var row = validate(line, get, rowErrors);
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
        }, (line, field, fault) => errors.Add(LineError.Of(line ?? 1, field, fault)));
        return new Parsed<T>(rows, errors);
    }

    /// <summary>The downloadable error report: one CSV line per problem.</summary>
    public static string ErrorReport(IEnumerable<LineError> errors)
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
