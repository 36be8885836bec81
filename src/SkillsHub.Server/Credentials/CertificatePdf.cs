using PdfSharp.Drawing;
using QRCoder;
using SkillsHub.Domain.Certification;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Certification;
using static SkillsHub.Server.Platform.PdfDocuments;

namespace SkillsHub.Server.Credentials;

/// <summary>
/// The printable certificate (docs/certification.md contents): A4 portrait, Chinese with English beside it, the
/// masked ID, the photo when the agency supplied one, and a QR code that opens /verify/{number}.
/// </summary>
public static class CertificatePdf
{
    static readonly XColor Red = XColor.FromArgb(0x9b, 0x1b, 0x1f);

    public static string IdTypeZh(string idType) => idType switch
    {
        "resident" => "居民身份证",
        "passport" => "护照",
        "hk-macao" => "港澳居民来往内地通行证",
        "taiwan" => "台湾居民来往大陆通行证",
        "foreign-pr" => "外国人永久居留身份证",
        _ => "其他证件",
    };

    public static string IdTypeEn(string idType) => idType switch
    {
        "resident" => "Resident identity card",
        "passport" => "Passport",
        "hk-macao" => "Mainland travel permit (Hong Kong / Macao)",
        "taiwan" => "Mainland travel permit (Taiwan)",
        "foreign-pr" => "Foreign permanent resident ID card",
        _ => "Other",
    };

    public static byte[] Render(CertificateRecord certificate, byte[]? photo, CredentialUrls urls, string? fontPath = null)
    {
        var level = SkillLevels.FromDigit(certificate.Level);
        var verifyUrl = urls.Verify(certificate.Number);
        var document = PdfDocuments.Create($"{OpenBadgeCredential.Title} {certificate.Number}", fontPath);
        document.Info.Subject = $"{OpenBadgeCredential.TitleEn} {certificate.Number}";
        document.Info.Author = certificate.AgencyName;
        var (page, graphics) = AddA4Page(document);
        using (var g = graphics)
        {
            var width = page.Width.Point;
            var height = page.Height.Point;
            g.DrawRectangle(new XPen(Red, 3), 22, 22, width - 44, height - 44);
            g.DrawRectangle(new XPen(Red, 0.8), 30, 30, width - 60, height - 60);

            var center = new XStringFormat { Alignment = XStringAlignment.Center, LineAlignment = XLineAlignment.BaseLine };
            g.DrawString(OpenBadgeCredential.Title, Font(30, bold: true), new XSolidBrush(Red), new XPoint(width / 2, 96), center);
            g.DrawString(OpenBadgeCredential.TitleEn, Font(14), new XSolidBrush(Grey), new XPoint(width / 2, 122), center);
            g.DrawLine(new XPen(Red, 0.6), 60, 140, width - 60, 140);

            const double labelX = 60, valueX = 190;
            // A photo stored before the upload checked its image data (docs/credentials.md, "PDF") is checked again here, and
            // left out rather than decoded when it does not pass: a padded PNG took gigabytes on every render.
            if (photo is not null && HolderPhoto.Fault(photo) is null)
            {
                DrawPhoto(g, photo, new XRect(width - 60 - 100, 160, 100, 130));
            }
            var y = 176.0;
            void Row(string zh, string en, string value, string? valueEn = null, bool mono = false)
            {
                g.DrawString(zh, Font(12, bold: true), new XSolidBrush(Ink), labelX, y);
                g.DrawString(en, Font(8), new XSolidBrush(Grey), labelX, y + 12);
                // Beside the photo the value column is narrower; below it, full width.
                var valueWidth = (photo is not null && y < 300 ? width - 60 - 100 - 16 : width - 60) - valueX;
                if (valueEn is not null)
                {
                    DrawFit(g, value, mono ? 13 : 14, valueX, y, valueWidth, Ink);
                    DrawFit(g, valueEn, 9, valueX, y + 13, width - 60 - valueX, Grey);
                }
                else
                {
                    // A value with its row to itself (the holder's name) is printed whole, on more lines when one does not hold it.
                    DrawWrapped(g, value, mono ? 13 : 14, valueX, y, valueWidth, 20, Ink);
                }
                y += valueEn is null ? 36 : 40;
            }
            var workType = string.IsNullOrEmpty(certificate.WorkType) ? "--" : certificate.WorkType;
            Row("姓名", "Name", certificate.HolderName);
            Row("证件类型", "ID type", IdTypeZh(certificate.IdType), IdTypeEn(certificate.IdType));
            Row("证件号码", "ID number", IdNumbers.Mask(certificate.IdNumber), mono: true);
            Row("职业", "Occupation", $"{certificate.OccupationZh}（{certificate.OccupationCode}）", certificate.OccupationEn);
            Row("工种", "Type of work", workType);
            Row("职业技能等级", "Skill level", level.ChineseName(), level.EnglishName());
            Row("证书编号", "Certificate number", certificate.Number, mono: true);
            Row("评价机构", "Evaluation agency", certificate.AgencyName);
            Row("发证日期", "Issue date", $"{certificate.IssuedOn:yyyy年M月d日}", $"{certificate.IssuedOn:yyyy-MM-dd}");
            if (certificate.ValidUntil is { } until)
            {
                Row("有效期至", "Valid until", $"{until:yyyy年M月d日}", $"{until:yyyy-MM-dd}");
            }

            // The QR code and the lookup address (人社鉴发〔2019〕2号: certificates carry both).
            const double qrSize = 128;
            var qrX = width - 60 - qrSize;
            var qrY = height - 70 - qrSize - 40;
            using (var qr = XImage.FromStream(new MemoryStream(QrPng(verifyUrl))))
            {
                qr.Interpolate = false;
                g.DrawImage(qr, qrX, qrY, qrSize, qrSize);
            }
            var qrCaption = new XStringFormat { Alignment = XStringAlignment.Center, LineAlignment = XLineAlignment.BaseLine };
            g.DrawString("扫码查验 Scan to verify", Font(9), new XSolidBrush(Ink), new XPoint(qrX + qrSize / 2, qrY + qrSize + 14), qrCaption);

            var bottom = height - 70;
            g.DrawString("查询网址 Lookup address", Font(9, bold: true), new XSolidBrush(Ink), labelX, bottom - 58);
            DrawFit(g, verifyUrl, 9, labelX, bottom - 44, qrX - labelX - 16, Grey);
            g.DrawString("评价机构（盖章） Issued by", Font(9, bold: true), new XSolidBrush(Ink), labelX, bottom - 20);
            DrawFit(g, certificate.AgencyName, 11, labelX, bottom - 5, qrX - labelX - 16, Ink);
            // A revoked or suspended certificate does not claim the force of the paper one (found by an outside tester).
            DrawFit(g, certificate.Status switch
            {
                "revoked" => "本证书已撤销，不再有效；请扫描二维码或登录查询网址核验其状态。",
                "suspended" => "本证书已暂停，暂停期间无效；请扫描二维码或登录查询网址核验其状态。",
                _ => "本证书可扫描二维码或登录查询网址核验；电子证书与纸质证书具有同等效力。",
            }, 7.5, labelX, height - 48, width - 120, Grey);
            DrawFit(g, "Check this certificate with the QR code or at the lookup address, where its signed digital credential (vc+jwt, Ed25519) can be downloaded.",
                7, labelX, height - 38, width - 120, Grey);
            StampStatus(g, certificate, width, height);
        }
        return ToBytes(document);
    }

    /// <summary>
    /// A revoked or suspended certificate says so across its face, with the reason under its title: its PDF is drawn again
    /// when its status changes (found by an outside tester: a revoked certificate still downloaded clean, saying the
    /// electronic certificate has the same force as the paper one; docs/credentials.md, "PDF").
    /// </summary>
    static void StampStatus(XGraphics g, CertificateRecord certificate, double width, double height)
    {
        if (certificate.Status is not ("revoked" or "suspended"))
        {
            return;
        }
        var words = certificate.Status == "revoked" ? "已撤销 REVOKED" : "已暂停 SUSPENDED";
        var state = g.Save();
        g.RotateAtTransform(-35, new XPoint(width / 2, height / 2));
        var center = new XStringFormat { Alignment = XStringAlignment.Center, LineAlignment = XLineAlignment.Center };
        g.DrawString(words, Font(46, bold: true), new XSolidBrush(XColor.FromArgb(150, 0xc6, 0x28, 0x28)), new XPoint(width / 2, height / 2), center);
        g.Restore(state);
        // On one line: a reason of up to 500 characters is cut to what a line holds (the verify page shows it whole).
        var reason = new System.Globalization.StringInfo(string.Join(' ', (certificate.StatusReason ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        var shown = reason.LengthInTextElements > 80 ? reason.SubstringByTextElements(0, 80) + "…" : reason.String;
        DrawFit(g, $"{words} · 原因 Reason: {shown}", 10, 60, 156, width - 120, Red);
    }

    /// <summary>
    /// The pixel size PDFsharp reads when it places this image, or null when it cannot (the photo upload refuses both
    /// what it cannot place and a size over the photo's limits). It decodes a PNG: call it only on an image whose
    /// header passed <see cref="Domain.Credentials.HolderPhoto.Fault"/>.
    /// </summary>
    public static Domain.Credentials.HolderPhoto.PixelSize? PlacedSize(byte[] image)
    {
        try
        {
            using var placed = XImage.FromStream(new MemoryStream(image));
            return new(placed.PixelWidth, placed.PixelHeight);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException or IndexOutOfRangeException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>The QR code of the verify address, as PNG bytes (error correction M, 4-module quiet zone).</summary>
    public static byte[] QrPng(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        // 8-bit palette PNG (PDFsharp reads it; it does not read QRCoder's default 1-bit greyscale PNG).
        return new PngByteQRCode(data).GetGraphic(8, [0, 0, 0], [255, 255, 255]);
    }


    /// <summary>Draws a line of text, smaller when it would not fit (long occupation or agency names), cut with "…" below 6 points.</summary>
    static void DrawFit(XGraphics g, string text, double size, double x, double y, double maxWidth, XColor color)
    {
        while (size > 6 && MeasureText(g, text, size) > maxWidth)
        {
            size -= 0.5;
        }
        DrawText(g, Clip(g, text, size, maxWidth), size, color, x, y);
    }

    /// <summary>
    /// Draws text whole within <paramref name="maxWidth"/>: on one line down to 70 % of <paramref name="size"/>, else on as
    /// many lines as it takes at the largest size whose lines' baselines stay within <paramref name="depth"/> points below
    /// <paramref name="y"/> (found by an outside tester: a 100-character name ran off the certificate and the page, its last
    /// characters not printed at all).
    /// </summary>
    static void DrawWrapped(XGraphics g, string text, double size, double x, double y, double maxWidth, double depth, XColor color)
    {
        for (var s = size; s >= size * 0.7; s -= 0.5)
        {
            if (MeasureText(g, text, s) <= maxWidth)
            {
                DrawText(g, text, s, color, x, y);
                return;
            }
        }
        IReadOnlyList<string> lines = [];
        var at = size;
        for (; at > 3; at -= 0.5)
        {
            lines = Wrap(g, text, at, maxWidth);
            if ((lines.Count - 1) * at * 1.15 <= depth)
            {
                break;
            }
        }
        for (var i = 0; i < lines.Count; i++)
        {
            DrawText(g, lines[i], at, color, x, y + i * at * 1.15);
        }
    }

    static void DrawPhoto(XGraphics g, byte[] photo, XRect box)
    {
        g.DrawRectangle(new XPen(Grey, 0.5), box);
        using var image = XImage.FromStream(new MemoryStream(photo));
        var scale = Math.Min(box.Width / image.PointWidth, box.Height / image.PointHeight);
        var w = image.PointWidth * scale;
        var h = image.PointHeight * scale;
        g.DrawImage(image, box.X + (box.Width - w) / 2, box.Y + (box.Height - h) / 2, w, h);
    }
}
