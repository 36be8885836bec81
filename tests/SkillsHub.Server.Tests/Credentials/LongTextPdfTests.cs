using System.Globalization;
using System.Text.RegularExpressions;
using SkillsHub.Domain.Credentials;
using SkillsHub.Domain.JudgingReport;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Credentials;
using SkillsHub.Server.JudgingReports;
using static SkillsHub.Server.Tests.Credentials.CredentialTestKit;

namespace SkillsHub.Server.Tests.Credentials;

/// <summary>
/// The longest text the imports take prints whole and inside the page: a holder's name and type of work on a certificate
/// wrap onto more lines; an expert's name in the judging report is cut to its column, and a long group heading wraps
/// (found by an outside tester: a 100-character name ran off the certificate, its last characters not printed; a long
/// expert name ran over the report's chart and table, and a long group id pushed the group's alpha off the page).
/// Rendered directly and read back with pdftotext -bbox; no node is needed.
/// </summary>
public sealed partial class LongTextPdfTests
{
    /// <summary>The words pdftotext finds, with their boxes, in reading order.</summary>
    static List<(string Text, double XMin, double YMin, double XMax)> Words(string path) =>
        WordBox().Matches(Run("pdftotext", $"-bbox \"{path}\" -")).Select(m => (
            System.Net.WebUtility.HtmlDecode(m.Groups["text"].Value),
            double.Parse(m.Groups["xMin"].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups["yMin"].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups["xMax"].Value, CultureInfo.InvariantCulture))).ToList();

    [GeneratedRegex("""<word xMin="(?<xMin>[\d.]+)" yMin="(?<yMin>[\d.]+)" xMax="(?<xMax>[\d.]+)" yMax="[\d.]+">(?<text>[^<]*)</word>""")]
    private static partial Regex WordBox();

    static string Save(string fileName, byte[] pdf)
    {
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "credentials")).FullName, fileName);
        File.WriteAllBytes(path, pdf);
        return path;
    }

    [Theory]
    [InlineData(50, 50, false)]
    [InlineData(100, 100, false)]
    [InlineData(100, 100, true)]
    public void ALongNameAndTypeOfWork_PrintWhole_InsideTheFrame(int cjk, int latin, bool photo)
    {
        var holder = new string('龍', cjk) + new string('L', latin);
        var workType = new string('龘', 50) + " Computer numerical control machining of large parts";
        var certificate = new CertificateRecord("S000031000001265000001", holder, "passport", "P1234567", "6-18-01-01", "车工", "Lathe operator", workType, 5,
            "S000031000001", "演示评价机构 Demo agency", "S", new DateOnly(2026, 12, 3), null, "valid", null);
        var path = Save($"long-name-{cjk}-{latin}-{photo}.pdf", CertificatePdf.Render(certificate, photo ? PortraitPng() : null, new CredentialUrls("https://skillshub.example")));

        var words = Words(path);
        // A4 is 595 points wide; the inner frame's right edge is at 565.
        Assert.All(words, w => Assert.True(w.XMax <= 565, $"'{w.Text}' ends at {w.XMax}"));
        // The value column starts at 190: what is printed there, in reading order, holds the name and the type of work whole.
        var values = string.Concat(words.Where(w => w.XMin >= 185 && w.YMin < 560).Select(w => w.Text));
        Assert.Contains(holder, values);
        Assert.Contains(workType.Replace(" ", ""), values);
    }

    [Fact]
    public void TheJudgingReport_KeepsALongNameInItsColumn_AndWrapsALongGroupHeading()
    {
        var longName = new string('W', 100) + new string('龘', 100);
        var group = "G-LONG-" + new string('X', 40);
        var experts = new[] { new ExpertEntry("E1", "FR", longName), new ExpertEntry("E2", "DE", "Ada"), new ExpertEntry("E3", "JP", "Kenji") };
        var sets = Enumerable.Range(1, 8).Select(i => new ScoreSet(group, $"C{i}", "CN", "A1", [new("E1", "FR", 3), new("E2", "DE", i % 2 + 1), new("E3", "JP", 2)])).ToList();
        var report = JudgingReportCalculator.ForSkill(new SkillJudgingData("LONG-07", 3, experts, sets, []));
        var path = Save("judging-report-long-names.pdf", JudgingReportPdf.Render(new SkillJudgingReportView("LONG", 7, DateTimeOffset.UnixEpoch, report)));

        var words = Words(path);
        // A4 landscape is 842 points wide.
        Assert.All(words, w => Assert.True(w.XMax <= 842 - 18, $"'{w.Text}' ends at {w.XMax}"));
        var text = PdfText(path);
        Assert.Matches(@"alpha \(ordinal\) [−\d.]+", text);
        // The name is cut with "…" beside the chart; in the table it wraps whole in its column (found by an outside tester:
        // names of 46 characters were cut there too), and no figure of its row is drawn over.
        Assert.Contains("…", text);
        var row = text.Split('\n').First(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"\bFR\s+8\s+\+1\.\d\d"));
        Assert.StartsWith("E1", row.Trim());
        Assert.Contains(longName, string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
    }

    /// <summary>One set is "1 set", not "1 sets", in every count of the report (found by an outside tester).</summary>
    [Fact]
    public void TheJudgingReport_SaysOneSetInTheSingular()
    {
        var experts = new[] { new ExpertEntry("E1", "FR", "Ann"), new ExpertEntry("E2", "DE", "Ada"), new ExpertEntry("E3", "JP", "Kenji") };
        List<ScoreSet> sets = [new ScoreSet("G1", "C1", "CN", "A1", [new("E1", "FR", 3), new("E2", "DE", 2), new("E3", "JP", 2)])];
        var report = JudgingReportCalculator.ForSkill(new SkillJudgingData("ONE-07", 3, experts, sets, []));
        var text = PdfText(Save("judging-report-one-set.pdf", JudgingReportPdf.Render(new SkillJudgingReportView("ONE", 7, DateTimeOffset.UnixEpoch, report))));
        Assert.Contains("1 complete judgement set ·", text);
        Assert.Contains("1 complete set,", text);
        Assert.Matches(@"· 1 set\b", text);
        Assert.DoesNotMatch(@"\b1 (complete |complete judgement )?sets\b", text);
    }
}
