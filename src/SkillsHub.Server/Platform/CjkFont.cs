using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace SkillsHub.Server.Platform;

/// <summary>The CJK font for certificates is missing (install fonts-wqy-microhei).</summary>
public sealed class CjkFontMissingException(string message) : Exception(message);

/// <summary>
/// PDFsharp's font source for every SkillsHub PDF: WenQuanYi Micro Hei from Debian's fonts-wqy-microhei
/// (Apache-2.0/GPLv3). PDFsharp 6.2 does not read TrueType collections (.ttc), so the first face is
/// cut out of the collection into a plain TrueType font in memory (<see cref="ExtractFace"/>).
/// Every family name but the fallbacks' resolves to it; bold is simulated.
/// The fallbacks draw what it has no glyph for (<see cref="PdfDocuments.DrawText"/>): the rarely used Chinese characters
/// of CJK Extensions A to H that real names hold (HanaMin A and B, Debian's fonts-hanazono; BabelStone Han, Debian's
/// fonts-babelstone-han, for most of Extensions G and H) and other scripts' letters
/// (DejaVu Sans). Found by an outside tester: a holder named 王𠮷 was printed "王 □". A fallback whose file is missing is
/// left out; its characters then print as the main face's empty box.
/// </summary>
public sealed class CjkFontResolver : IFontResolver
{
    public const string Family = "SkillsHub CJK";
    const string Face = "wqy-microhei";

    /// <summary>
    /// The fallback faces' files, in the order they are tried for a character the main face lacks, each with whether it
    /// serves the first plane (BMP) or the planes above it. PDFsharp's glyph lookup of a character above the first plane in
    /// a face that has none there answers a glyph of the first plane (U+20BB7 drew U+20BB), so a face is asked only about
    /// the characters of the planes it covers.
    /// </summary>
    static readonly (string File, bool Supplementary)[] FallbackFiles =
    [
        ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", false),
        ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", true),
        // Most of Extensions G and H (U+30000 on), which HanaMin B does not cover (found by an outside tester: 𰀀三 printed
        // "□三"); only asked about what HanaMin B lacks, so its 50 MB are read only for such a name.
        ("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf", true),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", false),
    ];

    /// <summary>The family names of the fallbacks this machine has, in order, and whether each serves the planes above the first.</summary>
    public static IReadOnlyList<(string Family, bool Supplementary)> Fallbacks { get; } =
        [.. FallbackFiles.Index().Where(f => File.Exists(f.Item.File)).Select(f => (FallbackFamily + f.Index, f.Item.Supplementary))];

    const string FallbackFamily = "SkillsHub fallback ";

    public static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ];

    static readonly Lock Gate = new();
    static byte[]? _font;

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global).</summary>
    public static void EnsureInstalled(string? configuredPath)
    {
        lock (Gate)
        {
            if (_font is not null)
            {
                return;
            }
            var path = new[] { configuredPath }.Concat(Candidates).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p) && File.Exists(p))
                ?? throw new CjkFontMissingException("No CJK font for certificates: install fonts-wqy-microhei (scripts/prerequisites.sh) or set Credentials:FontPath.");
            _font = ExtractFace(File.ReadAllBytes(path), 0);
            if (GlobalFontSettings.FontResolver is not CjkFontResolver)
            {
                GlobalFontSettings.FontResolver = new CjkFontResolver();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(familyName.StartsWith(FallbackFamily, StringComparison.Ordinal) ? familyName : Face, bold, italic);

    /// <summary>The main face from memory; a fallback read from its file when PDFsharp first needs it (PDFsharp keeps it).</summary>
    public byte[]? GetFont(string faceName) =>
        faceName.StartsWith(FallbackFamily, StringComparison.Ordinal) ? File.ReadAllBytes(FallbackFiles[int.Parse(faceName[FallbackFamily.Length..], System.Globalization.CultureInfo.InvariantCulture)].File) : _font;

    /// <summary>One face of a TrueType collection as a standalone TrueType font (a .ttf file is returned as is).</summary>
    public static byte[] ExtractFace(byte[] collection, int index)
    {
        if (collection.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(collection) != 0x74746366) // 'ttcf'
        {
            return collection;
        }
        var faces = BinaryPrimitives.ReadInt32BigEndian(collection.AsSpan(8));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, faces);
        var start = (int)BinaryPrimitives.ReadUInt32BigEndian(collection.AsSpan(12 + 4 * index));
        var tableCount = BinaryPrimitives.ReadUInt16BigEndian(collection.AsSpan(start + 4));
        var headerLength = 12 + 16 * tableCount;
        var tables = new (int Offset, int Length)[tableCount];
        var total = headerLength;
        for (var t = 0; t < tableCount; t++)
        {
            var record = collection.AsSpan(start + 12 + 16 * t);
            tables[t] = ((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
            total += (tables[t].Length + 3) & ~3;
        }
        var font = new byte[total];
        collection.AsSpan(start, headerLength).CopyTo(font);
        var position = headerLength;
        for (var t = 0; t < tableCount; t++)
        {
            collection.AsSpan(tables[t].Offset, tables[t].Length).CopyTo(font.AsSpan(position));
            // Table offsets in a collection are from the start of the file; in a font, from the start of the font.
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 16 * t + 8), (uint)position);
            position += (tables[t].Length + 3) & ~3;
        }
        return font;
    }
}
