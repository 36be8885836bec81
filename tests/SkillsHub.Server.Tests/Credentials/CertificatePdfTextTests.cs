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
        // Named by the name's UTF-8 bytes, the same in every run (string.GetHashCode differs from one process to the next,
        // so each run left four more files in the artifacts folder).
        var bytes = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(holder));
        var path = Render(holder, workType, $"rare-characters-{bytes[..Math.Min(24, bytes.Length)]}.pdf");

        var text = PdfText(path);
        Assert.Contains(holder, text);
        Assert.Contains(workType, text);
        if (holder.EnumerateRunes().Any(r => r.Value > 0xFFFF))
        {
            // Drawn from HanaMin B, Extension G and on (U+30000 and above) from BabelStone Han, which covers most of it; and
            // read back as itself, not cut to four hex digits (PdfTextMapping).
            Assert.Contains(holder.EnumerateRunes().Any(r => r.Value >= 0x30000) ? "BabelStone Han" : "HanaMinB", Run("pdffonts", $"\"{path}\""));
        }
    }

    /// <summary>PdfTextMapping's rewrite of the targets PDFsharp writes as code points above the first plane, and only those.</summary>
    [Theory]
    [InlineData("<0C1F><0C1F><20BB7>", "<0C1F><0C1F><D842DFB7>")]
    [InlineData("<0C1F><20BB7>", "<0C1F><D842DFB7>")]
    [InlineData("<0010><0012><30000>", "<0010><0012>[<D880DC00><D880DC01><D880DC02>]")]
    [InlineData("<3856><3856><7EA7>", "<3856><3856><7EA7>")]
    [InlineData("<0003><0041>", "<0003><0041>")]
    [InlineData("<0001><0001><110000>", "<0001><0001><110000>")]
    [InlineData("1 beginbfrange\n<0C1F><0C1F><20BB7>\n<3856><3856><7EA7>\nendbfrange", "1 beginbfrange\n<0C1F><0C1F><D842DFB7>\n<3856><3856><7EA7>\nendbfrange")]
    public void TheTextMapping_WritesCharactersAboveTheFirstPlaneAsUtf16(string map, string mended) =>
        Assert.Equal(mended, Platform.PdfTextMapping.MendMap(map));

    [Theory]
    [InlineData("李\u00AD四", "李四")]       // a soft hyphen
    [InlineData("辻\uFE00希", "辻希")]       // a variation selector
    [InlineData("葛\U000E0100亮", "葛亮")]   // an ideographic variation selector
    [InlineData("王\u200D五", "王五")]       // a zero-width joiner
    [InlineData("钱\u200B七", "钱七")]       // a zero-width space
    [InlineData("孙\u2060八", "孙八")]       // a word joiner
    public void InvisibleCharacters_InAName_PrintAsNothing_AndThePrintedNameProvesTheHolder(string holder, string printed)
    {
        // Found by an outside tester: a face drew a hyphen, a box or a "VS" placeholder for them.
        var path = Render(holder, "", $"invisible-{printed}.pdf");
        var nameLine = PdfText(path).Split('\n').Single(l => l.Contains("姓名"));
        var read = nameLine.Replace("姓名", "").Trim();
        Assert.Equal(printed, read);
        // The name as printed is a proof on the verify page (found by an outside tester: 王五 was refused for 王\u00AD五).
        Assert.True(Domain.Certification.HolderPrivacy.NameMatches(read, holder));
    }
}
