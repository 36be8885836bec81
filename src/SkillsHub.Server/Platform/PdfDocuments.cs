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

    /// <summary>The finished document's bytes.</summary>
    public static byte[] ToBytes(PdfDocument document)
    {
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}
