using System.Text;

namespace SkillsHub.Domain.Scoring.Import;

/// <summary>
/// Minimal RFC 4180 reader and writer. Hand-written rather than CsvHelper because rows must be
/// numbered the way a spreadsheet numbers them (one row per record, a quoted line break does not
/// start a new row), bad input must become a problem rather than an exception, and the pure domain
/// library then needs no third-party package.
/// </summary>
internal static class CsvText
{
    public sealed record Record(int Row, string[] Fields);

    /// <summary>Reads every record; <paramref name="unclosedQuoteRow"/> is set if a quote never closes.</summary>
    public static List<Record> Read(TextReader reader, out int? unclosedQuoteRow)
    {
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var row = 1;
        var inQuotes = false;
        var quoteStartRow = 0;
        var any = false;
        unclosedQuoteRow = null;

        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    inQuotes = true;
                    quoteStartRow = row;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(new Record(row, [.. fields]));
                    fields.Clear();
                    row++;
                    any = false;
                    break;
                case '\uFEFF' when row == 1 && !any && field.Length == 0:
                    break;
                default:
                    field.Append(ch);
                    any = true;
                    break;
            }
        }

        if (inQuotes)
        {
            unclosedQuoteRow = quoteStartRow;
            return records;
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add(new Record(row, [.. fields]));
        }

        return records;
    }

    public static void WriteRecord(TextWriter writer, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var value in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }

            first = false;
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))))
            {
                writer.Write('"');
                writer.Write(value.Replace("\"", "\"\""));
                writer.Write('"');
            }
            else
            {
                writer.Write(value);
            }
        }

        writer.Write('\n');
    }
}
