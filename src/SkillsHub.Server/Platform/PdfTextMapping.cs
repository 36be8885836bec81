using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace SkillsHub.Server.Platform;

/// <summary>
/// The text mapping (a font's ToUnicode map) of characters above the first plane, mended. PDFsharp 6.2.4 writes such a
/// character's target as its code point in five or six hex digits (<c>&lt;20BB7&gt;</c>), where the map's targets are
/// UTF-16BE (<c>&lt;D842DFB7&gt;</c>): the character printed right but copied, searched and read by pdftotext as
/// another (U+20BB7 as U+20BB). A document that drew such a character is opened again once saved and its maps' targets
/// rewritten as UTF-16BE (docs/credentials.md, "PDF").
/// </summary>
public static partial class PdfTextMapping
{
    static readonly ConditionalWeakTable<PdfDocument, object> Marked = [];

    /// <summary>Notes that <paramref name="document"/> drew a character above the first plane, so <see cref="Mend"/> reads it again.</summary>
    public static void Mark(PdfDocument? document)
    {
        if (document is not null)
        {
            Marked.TryAdd(document, new object());
        }
    }

    /// <summary>The saved <paramref name="pdf"/> of <paramref name="document"/>, its text mapping mended when it drew a character above the first plane.</summary>
    public static byte[] Mend(PdfDocument document, byte[] pdf)
    {
        if (!Marked.TryGetValue(document, out _))
        {
            return pdf;
        }
        using var input = new MemoryStream(pdf);
        using var opened = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        var mended = false;
        foreach (var font in opened.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            if (font.Elements.GetDictionary("/ToUnicode") is not { Stream: { } stream })
            {
                continue;
            }
            if (stream.IsFiltered() && !stream.TryUncompress())
            {
                continue;
            }
            var map = Encoding.Latin1.GetString(stream.Value);
            var mendedMap = MendMap(map);
            if (mendedMap != map)
            {
                stream.Value = Encoding.Latin1.GetBytes(mendedMap);
                stream.Zip();
                mended = true;
            }
        }
        if (!mended)
        {
            return pdf;
        }
        using var output = new MemoryStream();
        opened.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>
    /// A ToUnicode map with every target above the first plane written as UTF-16BE: a single character's
    /// (<c>&lt;0C1F&gt;&lt;20BB7&gt;</c>, or a range of one code) in place, a range's as an array of one target per code.
    /// Targets of the first plane and everything else are left as they are.
    /// </summary>
    public static string MendMap(string map)
    {
        map = RangeEntry().Replace(map, m =>
        {
            var (low, high, target) = (Hex(m.Groups["low"].Value), Hex(m.Groups["high"].Value), Hex(m.Groups["target"].Value));
            if (target is <= 0xFFFF or > 0x10FFFF || high < low || target + (high - low) > 0x10FFFF)
            {
                return m.Value;
            }
            var targets = Enumerable.Range(0, high - low + 1).Select(i => $"<{Utf16(target + i)}>");
            return low == high
                ? $"<{m.Groups["low"].Value}><{m.Groups["high"].Value}>{targets.Single()}"
                : $"<{m.Groups["low"].Value}><{m.Groups["high"].Value}>[{string.Concat(targets)}]";
        });
        return CharEntry().Replace(map, m =>
        {
            var target = Hex(m.Groups["target"].Value);
            return target is <= 0xFFFF or > 0x10FFFF ? m.Value : $"<{m.Groups["code"].Value}><{Utf16(target)}>";
        });
    }

    static int Hex(string digits) => int.Parse(digits, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    static string Utf16(int codePoint) => Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(char.ConvertFromUtf32(codePoint)));

    /// <summary>A bfrange entry (a line of three strings) whose target has five or six hex digits (a code point, not UTF-16).</summary>
    [GeneratedRegex(@"^<(?<low>[0-9A-Fa-f]{2,8})>[ \t]*<(?<high>[0-9A-Fa-f]{2,8})>[ \t]*<(?<target>[0-9A-Fa-f]{5,6})>[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex RangeEntry();

    /// <summary>A bfchar entry (a line of two strings) whose target has five or six hex digits.</summary>
    [GeneratedRegex(@"^<(?<code>[0-9A-Fa-f]{2,8})>[ \t]*<(?<target>[0-9A-Fa-f]{5,6})>[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex CharEntry();
}
