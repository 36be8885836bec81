using PdfSharp.Drawing;
using PdfSharp.Pdf;
using SkillsHub.Domain.JudgingReport;
using static SkillsHub.Server.Platform.PdfDocuments;

namespace SkillsHub.Server.JudgingReports;

/// <summary>
/// The judging report for the jury's file: A4 landscape, English with Chinese headings, the per-expert
/// deviation chart (mean, interquartile range, the group band), the expert table, leanings and each
/// group's alpha. Drawn with PDFsharp and the CJK font the certificates use.
/// </summary>
public static class JudgingReportPdf
{
    static readonly XColor Light = XColor.FromArgb(0xe8, 0xea, 0xed);
    static readonly XColor Band = XColor.FromArgb(0xd2, 0xe3, 0xfc);
    static readonly XColor Lenient = XColor.FromArgb(0xc5, 0x22, 0x1f);
    static readonly XColor Severe = XColor.FromArgb(0x1a, 0x5f, 0xb4);

    const double Margin = 36;

    static string F(Rational? value, int places = 2) => value is { } v ? (v.Sign > 0 ? "+" : "") + Plain(v, places) : "—";

    /// <summary>A count and its noun, singular for one ("1 set", "2 sets"; found by an outside tester: "1 complete sets").</summary>
    static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>A p-value to 4 places, or "&lt; 0.0001".</summary>
    static string P(Rational? value) => value is { } v && v < new Rational(1, 10000) ? "< 0.0001" : Plain(value, 4);

    /// <summary>A figure as it is, negative ones with the minus sign (U+2212) the signed figures use.</summary>
    static string Plain(Rational? value, int places = 2) =>
        value is { } v ? v.Round(places).ToString("F" + places, CultureInfo.InvariantCulture).Replace('-', '\u2212') : "—";

    public static byte[] Render(SkillJudgingReportView view, string? fontPath = null)
    {
        var report = view.Report;
        var document = PdfDocuments.Create($"Judging report {view.CompetitionCode} skill {view.SkillNumber:00}", fontPath);
        var page = NewPage(document, view, out var g, out var y);
        // A line too long for the page (a long group id or expert name) goes on in the next (found by an outside tester: a
        // group's alpha was cut off the page).
        void Line(string text, double size = 9, bool bold = false, XColor? color = null)
        {
            foreach (var part in Wrap(g, text, size, page.Width.Point - 2 * Margin, bold))
            {
                if (y > page.Height.Point - Margin - 14)
                {
                    g.Dispose();
                    page = NewPage(document, view, out g, out y);
                }
                DrawText(g, part, size, color ?? Ink, Margin, y, bold);
                y += size + 5;
            }
        }

        // The chart: one row per expert, deviations from -1.5 to +1.5.
        var chartLeft = Margin + 150;
        var chartWidth = page.Width.Point - chartLeft - Margin - 120;
        double X(Rational r) => chartLeft + chartWidth * (Math.Clamp(r.ToDouble(), -1.5, 1.5) + 1.5) / 3;
        const double RowHeight = 16;
        foreach (var group in report.Groups)
        {
            // The group "-" holds the aspects no marking group names (docs/judging-report.md), said in words.
            var title = group.GroupId == ScoreSet.NoGroup ? "Aspects in no marking group · 不属于任何评分组的评分项" : $"Group {group.GroupId} · 评分组 {group.GroupId}";
            Line($"{title}: {Count(group.Sets, "complete set")}, Krippendorff's alpha (ordinal) {Plain(group.Alpha, 3)}", 11, bold: true);
            // The band and the scale under as many rows as the page holds; a group of more experts goes on in the next page,
            // with its band and scale again (a skill's group can have 40 experts).
            void Axes(int rows)
            {
                var height = RowHeight * rows + 6;
                if (group.BandLower is { } lo && group.BandUpper is { } hi)
                {
                    g.DrawRectangle(new XSolidBrush(Band), X(lo), y - 10, Math.Max(1, X(hi) - X(lo)), height);
                }
                foreach (var tick in new[] { -1.5, -1, -0.5, 0, 0.5, 1, 1.5 })
                {
                    var x = chartLeft + chartWidth * (tick + 1.5) / 3;
                    g.DrawLine(new XPen(tick == 0 ? Grey : Light, tick == 0 ? 0.8 : 0.5), x, y - 10, x, y - 10 + height);
                    // Centred on its tick, with the minus sign the values use (found by an outside tester: "0" sat 4 pt left of
                    // the zero line, and the scale wrote "-" where the values write "−").
                    var label = tick.ToString("+0.0;\u22120.0;0", CultureInfo.InvariantCulture);
                    g.DrawString(label, Font(7), new XSolidBrush(Grey), x - g.MeasureString(label, Font(7)).Width / 2, y - 10 + height + 9);
                }
            }
            int RowsThatFit() => Math.Max(1, (int)((page.Height.Point - Margin - 24 - y) / RowHeight));
            var left = group.Experts.Count;
            var onPage = Math.Min(left, RowsThatFit());
            Axes(onPage);
            foreach (var e in group.Experts)
            {
                if (onPage == 0)
                {
                    g.Dispose();
                    page = NewPage(document, view, out g, out y);
                    Line($"{title} (continued · 续)", 11, bold: true);
                    onPage = Math.Min(left, RowsThatFit());
                    Axes(onPage);
                }
                onPage--;
                left--;
                var expert = report.Experts.FirstOrDefault(x => x.ExpertId == e.ExpertId);
                var color = expert?.Tendency switch { Tendency.Lenient => Lenient, Tendency.Severe => Severe, _ => Ink };
                // A long name is cut before the chart rather than drawn through it (found by an outside tester).
                DrawText(g, Clip(g, $"{e.ExpertId} {expert?.Name}", 8, chartLeft - Margin - 6), 8, color, Margin, y);
                var d = e.Deviations;
                g.DrawLine(new XPen(Grey, 1), X(d.Min), y - 3, X(d.Max), y - 3);
                g.DrawRectangle(new XPen(color, 1), new XSolidBrush(XColor.FromArgb(0xff, 0xff, 0xff)), X(d.LowerQuartile), y - 7, Math.Max(1, X(d.UpperQuartile) - X(d.LowerQuartile)), 8);
                g.DrawEllipse(new XSolidBrush(color), X(d.MeanDeviation) - 3.5, y - 6.5, 7, 7);
                g.DrawString($"{F(d.MeanDeviation)} · {Count(d.Sets, "set")}", Font(8), new XSolidBrush(color), chartLeft + chartWidth + 12, y);
                y += RowHeight;
            }
            y += 24;
        }

        Line("Experts · 裁判", 11, bold: true);
        double[] columns = [Margin, Margin + 190, Margin + 240, Margin + 280, Margin + 345, Margin + 420, Margin + 480, Margin + 550, Margin + 610, Margin + 675];
        string[] header = ["Expert 裁判", "Member", "Sets", "Mean dev.", "Mean |dev.|", "Outliers", "Spread ref.", "Rescores", "Corrections", "Finding"];
        void Row(string[] cells, XColor color, bool bold = false)
        {
            // The expert's name wraps in its column, whole, as the jury knows it (found by an outside tester: names of 46
            // characters were cut with "…"); the figures are cut to theirs, so nothing runs over the next.
            var name = Wrap(g, cells[0], 8.5, columns[1] - 4 - columns[0], bold);
            if (y + 13 * (name.Count - 1) > page.Height.Point - Margin - 14)
            {
                g.Dispose();
                page = NewPage(document, view, out g, out y);
                // A table that goes on in the next page repeats its header there (found by an outside tester).
                if (!bold)
                {
                    Row(header, Grey, bold: true);
                }
            }
            for (var i = 1; i < cells.Length; i++)
            {
                var room = (i + 1 < columns.Length ? columns[i + 1] - 4 : page.Width.Point - 20) - columns[i];
                DrawText(g, Clip(g, cells[i], 8.5, room, bold), 8.5, color, columns[i], y, bold);
            }
            foreach (var part in name)
            {
                DrawText(g, part, 8.5, color, columns[0], y, bold);
                y += 13;
            }
        }
        Row(header, Grey, bold: true);
        foreach (var e in report.Experts)
        {
            var d = e.Deviations;
            var finding = e.Tendency == Tendency.None ? "" : $"{e.Tendency.ToString().ToLowerInvariant()} (p {P(e.TendencyP)})";
            Row([$"{e.ExpertId} {e.Name}", e.MemberCode, (d?.Sets ?? 0).ToString(CultureInfo.InvariantCulture), F(d?.MeanDeviation), Plain(d?.MeanAbsoluteDeviation),
                d is null ? "—" : $"{d.OutlierSets} ({Math.Round(d.OutlierShare.ToDouble() * 100, MidpointRounding.AwayFromZero).ToString("F0", CultureInfo.InvariantCulture)} %)",
                e.SpreadRefusals.ToString(CultureInfo.InvariantCulture), e.Rescores.ToString(CultureInfo.InvariantCulture), e.Corrections.ToString(CultureInfo.InvariantCulture), finding],
                e.Tendency switch { Tendency.Lenient => Lenient, Tendency.Severe => Severe, _ => Ink });
        }
        y += 8;
        Line("Leanings toward or against a member · 对成员的倾向", 11, bold: true);
        var leanings = report.Cells.Where(c => c.Leaning).ToList();
        if (leanings.Count == 0)
        {
            Line("None found (a leaning needs at least 6 sets, a mean deviation of at least 0.5 and a sign test p < 0.05).", 9, color: Grey);
        }
        foreach (var c in leanings)
        {
            Line($"{c.ExpertId} → {c.MemberCode}: {F(c.MeanDeviation)} over {Count(c.Sets, "set")} ({c.Above} above, {c.Below} below; sign test p {P(c.PValue)})", 9,
                color: c.MeanDeviation.Sign > 0 ? Lenient : Severe);
        }
        y += 8;
        Line("Deviation d = own score − mean of the other judges' scores in a complete set; definitions in the SkillsHub judging report documentation.", 7.5, color: Grey);
        g.Dispose();
        NumberPages(document);
        return ToBytes(document);
    }

    /// <summary>"Page 2 of 3 · 第 2 / 3 页" at the foot of every page, once the pages are all drawn (found by an outside tester: none).</summary>
    static void NumberPages(PdfDocument document)
    {
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var text = $"Page {i + 1} of {document.PageCount} · 第 {i + 1} / {document.PageCount} 页";
            DrawText(g, text, 8, Grey, page.Width.Point - Margin - MeasureText(g, text, 8), page.Height.Point - Margin / 2);
        }
    }

    static PdfPage NewPage(PdfDocument document, SkillJudgingReportView view, out XGraphics g, out double y)
    {
        (var page, g) = AddA4Page(document, landscape: true);
        g.DrawString($"Judging report · 评分一致性报告 — {view.CompetitionCode} skill {view.SkillNumber:00}", Font(15, bold: true), new XSolidBrush(Ink), Margin, Margin + 6);
        // No judges per aspect is no marking scheme yet (found by an outside tester: "0 judges per aspect").
        var judges = view.Report.Judges == 0 ? "no marking scheme yet · 尚无评分方案" : $"{view.Report.Judges} judges per aspect";
        g.DrawString($"As of {view.AsOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC · {Count(view.Report.Sets, "complete judgement set")} · {judges}",
            Font(9), new XSolidBrush(Grey), Margin, Margin + 22);
        y = Margin + 48;
        return page;
    }
}
