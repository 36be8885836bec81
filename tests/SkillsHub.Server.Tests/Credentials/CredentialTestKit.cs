using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Hosting;
using ZXing;
using ZXing.Common;
using static SkillsHub.Server.Tests.Certification.CertificationScenario;

namespace SkillsHub.Server.Tests.Credentials;

/// <summary>Certificates to sign, a status-list decoder written from the specification, and PDF tooling (poppler-utils).</summary>
static class CredentialTestKit
{
    /// <summary>A certificate's access token, as its QR code carries it (docs/security.md).</summary>
    public static string Token(Hosting.SkillsHubNode node, string number) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SkillsHub.Server.Certification.RegistryTokens>(node.Services).For(number);

    public static readonly string[] LenientLookups = ["--Certification:Lookup:PermitLimit=10000"];

    /// <summary>A session of <paramref name="n"/> issued Level 5 welder certificates of the social agency; their numbers in order.</summary>
    public static async Task<(long Session, List<string> Numbers)> IssuedAsync(SkillsHubNode node, int n, int offset = 0)
    {
        var session = await PassedSessionAsync(node, SocialAgency, n, offset);
        var jobs = node.Services.GetRequiredService<CertificationJobs>();
        while (await jobs.IssueBatchAsync(session, null, null, default) > 0)
        {
        }
        await using var connection = await node.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("select certificate_number from skillshub.evaluations where session_id = $1 order by certificate_number", connection);
        command.Parameters.AddWithValue(session);
        var numbers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            numbers.Add(reader.GetString(0).Trim());
        }
        Assert.Equal(n, numbers.Count);
        return (session, numbers);
    }

    /// <summary>
    /// Bit <paramref name="index"/> of an encodedList, per W3C Bitstring Status List: strip the multibase
    /// "u", base64url-decode, gunzip; index 0 is the left-most bit of byte 0.
    /// </summary>
    public static bool BitAt(string encodedList, int index)
    {
        Assert.StartsWith("u", encodedList);
        var b64 = encodedList[1..].Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(b64)), CompressionMode.Decompress);
        using var bits = new MemoryStream();
        gzip.CopyTo(bits);
        var bytes = bits.ToArray();
        Assert.True(bytes.Length * 8 >= 131_072, $"a status list has at least 131,072 entries, not {bytes.Length * 8}");
        return ((bytes[index / 8] >> (7 - index % 8)) & 1) == 1;
    }

    public static string Run(string tool, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{tool} did not start (install poppler-utils: scripts/prerequisites.sh --browser)");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {arguments}: {error}");
        return output;
    }

    /// <summary>The PDF's text (pdftotext).</summary>
    public static string PdfText(string pdfPath) => Run("pdftotext", $"-layout \"{pdfPath}\" -");

    /// <summary>Renders page 1 in grey (pdftoppm, PGM) and decodes every QR code on it (ZXing.Net).</summary>
    /// <remarks>
    /// At 150 dpi a code's modules are a few pixels wide, and for some contents (the token differs per node) the
    /// sampled grid misses the finder patterns; a phone's camera sees far more, so a miss is retried at other
    /// resolutions before it counts as unreadable (a whole run once found one code unreadable at both 150 and 300 dpi; the
    /// same test passed on rerun with another node's token).
    /// </remarks>
    public static string? DecodeQr(string pdfPath, int dpi = 150)
    {
        var reader = new BarcodeReaderGeneric { AutoRotate = false, Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } };
        foreach (var resolution in new[] { dpi, dpi * 2, dpi * 4 / 3, dpi * 8 / 3 })
        {
            var stem = Path.Combine(Path.GetDirectoryName(pdfPath)!, Path.GetFileNameWithoutExtension(pdfPath) + $"-page{resolution}");
            Run("pdftoppm", $"-gray -r {resolution} -singlefile \"{pdfPath}\" \"{stem}\"");
            var (width, height, pixels) = ReadPgm(File.ReadAllBytes(stem + ".pgm"));
            if (reader.Decode(new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text is { } text)
            {
                return text;
            }
        }
        return null;
    }

    /// <summary>A small RGB PNG "portrait" (a grey silhouette on blue), made without an image library.</summary>
    public static byte[] PortraitPng(int width = 120, int height = 160) => Png(width, height, CompressionLevel.Optimal, rows =>
    {
        for (var y = 0; y < height; y++)
        {
            rows.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++)
            {
                var dx = x - width / 2.0;
                var head = dx * dx + (y - height * 0.35) * (y - height * 0.35) < width * width / 12.0;
                var body = y > height * 0.6 && Math.Abs(dx) < width * 0.4 * (y - height * 0.55) / (height * 0.45) + width * 0.15;
                rows.Write(head || body ? [90, 90, 100] : [170, 200, 235]);
            }
        }
    });

    /// <summary>
    /// A valid black RGB PNG of any size: its rows are zeros, which deflate to almost nothing (6000 × 6000 is about
    /// 100 KB), so its header claims far more pixels than its bytes suggest (the outside tester's photo).
    /// </summary>
    public static byte[] BlackPng(int width, int height) => Png(width, height, CompressionLevel.SmallestSize, rows =>
    {
        var row = new byte[1 + 3 * width];
        for (var y = 0; y < height; y++)
        {
            rows.Write(row);
        }
    });

    /// <summary>
    /// A JPEG that PDFsharp places (it never decodes one: it copies the bytes into the PDF): SOI, JFIF APP0, a baseline
    /// frame header of the given size, a scan header and two bytes of scan data, EOI.
    /// </summary>
    public static byte[] JpegOfSize(int width, int height) =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC0, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
        0xFF, 0xDA, 0x00, 0x0C, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0, 0x12, 0x34,
        0xFF, 0xD9,
    ];

    /// <summary>
    /// A PNG (signature, IHDR, one IDAT, IEND), 8-bit RGB unless <paramref name="depth"/> and <paramref name="colour"/> (the
    /// IHDR's colour type) say otherwise, whose filtered rows <paramref name="writeRows"/> writes.
    /// </summary>
    public static byte[] Png(int width, int height, CompressionLevel level, Action<Stream> writeRows, byte depth = 8, byte colour = 2)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        void Chunk(string type, byte[] data)
        {
            var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            png.Write(BigEndian((uint)data.Length));
            png.Write(typed);
            png.Write(BigEndian(Crc32(typed)));
        }
        Chunk("IHDR", [.. BigEndian((uint)width), .. BigEndian((uint)height), depth, colour, 0, 0, 0]);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
            {
                writeRows(zlib);
            }
            Chunk("IDAT", compressed.ToArray());
        }
        Chunk("IEND", []);
        return png.ToArray();

        static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
        static uint Crc32(byte[] data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
                }
            }
            return ~crc;
        }
    }

    /// <summary>Binary PGM (P5, 8-bit): "P5", width, height, maxval separated by whitespace, then the pixels.</summary>
    static (int Width, int Height, byte[] Pixels) ReadPgm(byte[] file)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)file[position]) || file[position] == '#')
            {
                if (file[position] == '#')
                {
                    while (file[position] != '\n')
                    {
                        position++;
                    }
                }
                position++;
            }
            var start = position;
            while (!char.IsWhiteSpace((char)file[position]))
            {
                position++;
            }
            return Encoding.ASCII.GetString(file, start, position - start);
        }
        Assert.Equal("P5", Token());
        var width = int.Parse(Token());
        var height = int.Parse(Token());
        Assert.Equal("255", Token());
        position++;
        return (width, height, file.AsSpan(position, width * height).ToArray());
    }
}
