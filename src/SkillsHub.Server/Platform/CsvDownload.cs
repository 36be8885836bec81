namespace SkillsHub.Server.Platform;

/// <summary>
/// Every CSV the server hands out (results, judging reports, a marking scheme, an import's errors), one way:
/// UTF-8 with a byte-order mark (so a spreadsheet opens Chinese names as such), <c>text/csv; charset=utf-8</c>, and a
/// Content-Disposition file name. Records end in CRLF (RFC 4180), as the CSV writers write them.
/// </summary>
public static class CsvDownload
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static FileContentHttpResult Of(string text, string fileName) =>
        TypedResults.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)], ContentType, fileName);

    public static FileContentHttpResult Of(byte[] utf8, string fileName) =>
        utf8.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()) ? TypedResults.File(utf8, ContentType, fileName) : TypedResults.File([.. Encoding.UTF8.GetPreamble(), .. utf8], ContentType, fileName);
}
