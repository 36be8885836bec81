using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Credentials;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests.Credentials;

/// <summary>
/// A certificate prints its holder's name in full: the rarely used Chinese characters of CJK Extensions A and B that real
/// names hold come from a fallback face, as do other scripts' letters (found by an outside tester: 王𠮷 printed as "王 □").
/// Rendered directly and read back with pdftotext; no node is needed.
/// </summary>
public sealed class CertificatePdfTextTests
{
    /// <summary>A certificate of <paramref name="holder"/> rendered as a file under artifacts/credentials; its path.</summary>
    static string Render(string holder, string workType, string fileName)
    {
        var certificate = new CertificateRecord("S000031000001265000001", holder, "passport", "P1234567", "6-18-01-01", "车工", "Lathe operator", workType, 5,
            "S000031000001", "演示评价机构 Demo agency", "S", new DateOnly(2026, 12, 3), null, "valid", null);
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "credentials")).FullName, fileName);
        File.WriteAllBytes(path, CertificatePdf.Render(certificate, null, new CredentialUrls("https://skillshub.example")));
        return path;
    }

    [Theory]
    [InlineData("王𠮷", "数控铣𠮷")]
    [InlineData("𰀀三", "电焊工")]
    [InlineData("李㐀明", "焊工")]
    [InlineData("Zoë Ångström-Łukasiewicz", "CNC milling")]
    public void TheHoldersNameAndTypeOfWork_PrintInFull(string holder, string workType)
    {
        var path = Render(holder, workType, $"rare-characters-{holder.GetHashCode():x8}.pdf");

        var text = PdfText(path);
        if (!holder.EnumerateRunes().Any(r => r.Value > 0xFFFF))
        {
            Assert.Contains(holder, text);
            Assert.Contains(workType, text);
            return;
        }
        // Above the first plane the glyph is drawn from HanaMin B, but PDFsharp 6.2.4 writes such a character's text
        // mapping (ToUnicode) cut to four hex digits, so pdftotext reads U+20BB7 as U+20BB: the face is checked instead,
        // and what precedes the character is read (docs/certification.md, "The PDF").
        // Extension G and on (U+30000 and above) from BabelStone Han, which covers most of it.
        Assert.Contains(holder.EnumerateRunes().Any(r => r.Value >= 0x30000) ? "BabelStone Han" : "HanaMinB", Run("pdffonts", $"\"{path}\""));
        Assert.Contains(holder.EnumerateRunes().First(r => r.Value <= 0xFFFF).ToString(), text);
        Assert.Contains(workType[..3], text);
    }

    [Theory]
    [InlineData("李\u00AD四", "李四")]       // a soft hyphen
    [InlineData("辻\uFE00希", "辻希")]       // a variation selector
    [InlineData("葛\U000E0100亮", "葛亮")]   // an ideographic variation selector
    [InlineData("王\u200D五", "王五")]       // a zero-width joiner
    public void InvisibleCharacters_InAName_PrintAsNothing(string holder, string printed)
    {
        // Found by an outside tester: a face drew a hyphen, a box or a "VS" placeholder for them.
        var path = Render(holder, "", $"invisible-{printed}.pdf");
        var nameLine = PdfText(path).Split('\n').Single(l => l.Contains("姓名"));
        Assert.Equal(printed, nameLine.Replace("姓名", "").Trim());
    }
}
