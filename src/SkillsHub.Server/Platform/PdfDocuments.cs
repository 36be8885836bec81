using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace SkillsHub.Server.Platform;

/// <summary>What every SkillsHub PDF shares (certificates, the judging report): the CJK font, the ink colours, a new document.</summary>
public static class PdfDocuments
{
    public static readonly XColor Ink = XColor.FromArgb(0x1f, 0x23, 0x28);
    public static readonly XColor Grey = XColor.FromArgb(0x5f, 0x63, 0x68);

    /// <summary>The CJK font (<see cref="CjkFontResolver"/>) at <paramref name="size"/> points, embedded as Unicode.</summary>
    public static XFont Font(double size, bool bold = false) => new(CjkFontResolver.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular,
        new XPdfFontOptions(PdfFontEncoding.Unicode));

    /// <summary>
    /// Draws text people gave (a holder's name, an agency's, an expert's) at <paramref name="x"/>, <paramref name="y"/> (the
    /// baseline), each character in the first face that has a glyph for it (<see cref="CjkFontResolver"/>). Returns its width.
    /// </summary>
    public static double DrawText(XGraphics g, string text, double size, XColor color, double x, double y, bool bold = false)
    {
        var brush = new XSolidBrush(color);
        if (text.Any(char.IsSurrogate))
        {
            PdfTextMapping.Mark(g.PdfPage?.Owner);
        }
        foreach (var (run, font) in Runs(text, size, bold))
        {
            g.DrawString(run, font, brush, x, y);
            x += g.MeasureString(run, font).Width;
        }
        return x;
    }

    /// <summary>The width <see cref="DrawText"/> would take.</summary>
    public static double MeasureText(XGraphics g, string text, double size, bool bold = false) =>
        Runs(text, size, bold).Sum(r => g.MeasureString(r.Text, r.Font).Width);

    /// <summary>
    /// The text cut to <paramref name="maxWidth"/>, with "…" where it was cut: a name in a table's column or beside a chart,
    /// which ran over the columns after it and off the page (found by an outside tester).
    /// </summary>
    public static string Clip(XGraphics g, string text, double size, double maxWidth, bool bold = false)
    {
        if (MeasureText(g, text, size, bold) <= maxWidth)
        {
            return text;
        }
        var elements = Domain.Text.TextInput.TextElements(text);
        var kept = Longest(0, elements.Count, n => MeasureText(g, string.Concat(elements.Take(n)) + "…", size, bold) <= maxWidth);
        return string.Concat(elements.Take(kept)).TrimEnd() + "…";
    }

    /// <summary>
    /// The text in lines no wider than <paramref name="maxWidth"/>: broken at a space where the line has one, else between
    /// two characters (Chinese has no spaces); never inside a character and its marks.
    /// </summary>
    public static IReadOnlyList<string> Wrap(XGraphics g, string text, double size, double maxWidth, bool bold = false)
    {
        var elements = Domain.Text.TextInput.TextElements(text.Trim());
        var lines = new List<string>();
        var start = 0;
        while (start < elements.Count)
        {
            // The longest run from start that fits, one character at least.
            var from = start;
            var end = Longest(start + 1, elements.Count, n => MeasureText(g, string.Concat(elements.Skip(from).Take(n - from)), size, bold) <= maxWidth);
            if (end < elements.Count && elements[end] != " " && elements.FindLastIndex(end - 1, end - start, e => e == " ") is var space and > 0 && space > start)
            {
                end = space;
            }
            lines.Add(string.Concat(elements.Skip(start).Take(end - start)).Trim());
            start = end;
            while (start < elements.Count && elements[start] == " ")
            {
                start++;
            }
        }
        return lines;
    }

    /// <summary>The largest n from <paramref name="min"/> to <paramref name="max"/> that <paramref name="fits"/> (true up to some n, false after), or min.</summary>
    static int Longest(int min, int max, Func<int, bool> fits)
    {
        while (min < max)
        {
            var mid = (min + max + 1) / 2;
            if (fits(mid))
            {
                min = mid;
            }
            else
            {
                max = mid - 1;
            }
        }
        return min;
    }

    /// <summary>
    /// Whether the face has a glyph for the character. A character above the first plane is asked only of a face that
    /// covers those planes, and never of the main face (<see cref="CjkFontResolver.Fallbacks"/>).
    /// </summary>
    static bool HasGlyph(XFont font, System.Text.Rune rune) =>
        PdfSharp.Fonts.GlyphHelper.GlyphIndicesFromString(rune.ToString(), font) is [{ GlyphIndex: > 0 }];

    /// <summary>
    /// Letters of the scripts written right to left (Hebrew, Arabic, Syriac, ... and their presentation forms). PDFsharp lays
    /// text out left to right without shaping, so such a name would print legible but in the wrong order: it keeps the
    /// main face's empty boxes, which nobody reads as a name.
    /// </summary>
    static bool IsRightToLeft(System.Text.Rune rune) => rune.Value is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF)
        or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);

    /// <summary>The text cut into runs of characters that one face draws: the main face where it has the glyph, else the first fallback that has.</summary>
    static List<(string Text, XFont Font)> Runs(string text, double size, bool bold)
    {
        var main = Font(size, bold);
        (XFont Font, bool Supplementary)[]? fallbacks = null;
        var runs = new List<(string Text, XFont Font)>();
        var current = new System.Text.StringBuilder();
        XFont? currentFont = null;
        foreach (var rune in text.EnumerateRunes())
        {
            // Characters that show nothing by themselves (a soft hyphen, a joiner, a variation selector) are left out: a face
            // would draw a hyphen, a box or a "VS" placeholder for them (found by an outside tester).
            if (Domain.Text.TextInput.ShowsNothing(rune))
            {
                continue;
            }
            var font = main;
            var supplementary = rune.Value > 0xFFFF;
            if (!System.Text.Rune.IsWhiteSpace(rune) && !IsRightToLeft(rune) && (supplementary || !HasGlyph(main, rune)))
            {
                fallbacks ??= [.. CjkFontResolver.Fallbacks.Select(f => (new XFont(f.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode)), f.Supplementary))];
                font = fallbacks.Where(f => f.Supplementary == supplementary).Select(f => f.Font).FirstOrDefault(f => HasGlyph(f, rune)) ?? main;
            }
            if (currentFont is not null && font != currentFont)
            {
                runs.Add((current.ToString(), currentFont));
                current.Clear();
            }
            currentFont = font;
            current.Append(rune.ToString());
        }
        if (currentFont is not null)
        {
            runs.Add((current.ToString(), currentFont));
        }
        return runs;
    }

    /// <summary>An empty document titled <paramref name="title"/>, the CJK font installed (from <paramref name="fontPath"/> when set).</summary>
    public static PdfDocument Create(string title, string? fontPath)
    {
        CjkFontResolver.EnsureInstalled(fontPath);
        var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "SkillsHub";
        return document;
    }

    /// <summary>A new A4 page (portrait, or landscape) at the end of <paramref name="document"/> and the graphics that draw on it (the caller disposes them).</summary>
    public static (PdfPage Page, XGraphics Graphics) AddA4Page(PdfDocument document, bool landscape = false)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        if (landscape)
        {
            page.Orientation = PageOrientation.Landscape;
        }
        return (page, XGraphics.FromPdfPage(page));
    }

    /// <summary>The finished document's bytes, the text mapping of characters above the first plane mended (<see cref="PdfTextMapping"/>).</summary>
    public static byte[] ToBytes(PdfDocument document)
    {
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return PdfTextMapping.Mend(document, output.ToArray());
    }
}
