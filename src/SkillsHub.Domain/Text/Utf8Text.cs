using System.Text;

namespace SkillsHub.Domain.Text;

/// <summary>
/// Uploaded files are UTF-8 (docs/scoring.md, "Setup imports"; docs/certification.md, "Imports"). A byte that is not
/// UTF-8 (a Latin-1 "é", a UTF-16 file) is refused with its line instead of being stored as U+FFFD, which would
/// silently turn "André" into "Andr\uFFFD" for good. A leading byte order mark is ignored.
/// </summary>
public static class Utf8Text
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text, or the 1-based line holding the first byte that is not UTF-8 and why.</summary>
    public static (string? Text, long Line, Fault? Fault) Decode(ReadOnlySpan<byte> bytes)
    {
        var body = bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes;
        try
        {
            return (Strict.GetString(body), 0, null);
        }
        catch (DecoderFallbackException e)
        {
            var at = Math.Clamp(e.Index, 0, Math.Max(0, body.Length - 1));
            // CR LF, LF or CR alone (found by an outside tester: a file with CR line ends had every bad byte on line 1).
            var line = LineBreaks.Count(body[..at]) + 1L;
            var value = body.Length > 0 ? $"0x{body[at]:X2}" : "";
            return (null, line, new Fault(RowCodes.InvalidUtf8, $"Line {line} is not valid UTF-8 (byte {value}); save the file as UTF-8.", RowCodes.Args(("line", line), ("byte", value))));
        }
    }
}
