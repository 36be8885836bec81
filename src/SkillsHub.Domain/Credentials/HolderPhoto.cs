using System.Buffers.Binary;

namespace SkillsHub.Domain.Credentials;

/// <summary>
/// The holder's photo printed on the certificate PDF (docs/credentials.md, "PDF"): a JPEG or colour PNG of at most
/// 2 MB and at most <see cref="MaxSide"/> pixels on a side and <see cref="MaxPixels"/> pixels in all. The size is read
/// from the image's header, never by decoding it: a 1 MB PNG of zeros can claim 20000 × 20000 pixels, and decoding it
/// took 47 s (found by an outside tester). Whether the PDF library can place the image is the server's check, after
/// this one.
/// </summary>
public static class HolderPhoto
{
    public const long MaxBytes = 2 * 1024 * 1024;

    /// <summary>At most this many pixels on either side.</summary>
    public const int MaxSide = 4096;

    /// <summary>
    /// At most this many pixels in all (4096 × 3072, 12.6 million): a 12-megapixel phone photo (4032 × 3024) passes
    /// uncropped; the printed box (100 × 130 pt, 35 × 46 mm) needs about 830 × 1080 at 600 dpi.
    /// </summary>
    public const long MaxPixels = 4096L * 3072;

    public const string PngType = "image/png";
    public const string JpegType = "image/jpeg";

    /// <summary>The refusal of anything that is not a JPEG or PNG of at most 2 MB with a readable size.</summary>
    public const string NotAPhoto = "The photo must be a JPEG or colour PNG image of at most 2 MB.";

    public readonly record struct PixelSize(int Width, int Height)
    {
        public long Pixels => (long)Width * Height;
    }

    /// <summary>The media type the bytes are (by their signature), or null for neither PNG nor JPEG.</summary>
    public static string? MediaType(ReadOnlySpan<byte> image) =>
        image.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? PngType
        : image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? JpegType
        : null;

    /// <summary>Why these bytes are refused as a photo (for the field that carried them), or null when they pass.</summary>
    public static string? Fault(ReadOnlySpan<byte> image)
    {
        if (image.Length > MaxBytes || ReadSize(image) is not { } size)
        {
            return NotAPhoto;
        }
        return SizeFault(size);
    }

    /// <summary>Why an image of this size is refused, or null within the limits (also for the size the PDF library reads).</summary>
    public static string? SizeFault(PixelSize size) =>
        size.Width < 1 || size.Height < 1 ? NotAPhoto
        : size.Width > MaxSide || size.Height > MaxSide || size.Pixels > MaxPixels
            ? $"The photo is {size.Width} × {size.Height} pixels; it may have at most {MaxSide} pixels on a side and {MaxPixels:N0} in all (a 12-megapixel photo). Make it smaller and send it again."
            : null;

    /// <summary>
    /// The width and height a PNG's IHDR or a JPEG's frame header (SOF) states, read without decoding; null when the
    /// header is not there or not whole.
    /// </summary>
    public static PixelSize? ReadSize(ReadOnlySpan<byte> image) => MediaType(image) switch
    {
        PngType => PngSize(image),
        JpegType => JpegSize(image),
        _ => null,
    };

    /// <summary>PNG: the signature, then the IHDR chunk first (length 13): width and height, 4 bytes each, big-endian.</summary>
    static PixelSize? PngSize(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 + 8 + 13 || BinaryPrimitives.ReadUInt32BigEndian(png[8..]) != 13 || !png[12..16].SequenceEqual("IHDR"u8))
        {
            return null;
        }
        var width = BinaryPrimitives.ReadUInt32BigEndian(png[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(png[20..]);
        // The PNG specification bounds each at 2^31 - 1.
        return width > int.MaxValue || height > int.MaxValue ? null : new PixelSize((int)width, (int)height);
    }

    /// <summary>
    /// JPEG: the segments from SOI up to the first scan (SOS); each frame header (SOF0-3, 5-7, 9-11, 13-15) gives the
    /// height then the width (2 bytes each, after the precision byte). With more than one, the largest width and height
    /// count, so a small frame header cannot hide a large one; a height of 0 (given later, by DNL) is refused. None before the scan, or a segment cut short: null.
    /// </summary>
    static PixelSize? JpegSize(ReadOnlySpan<byte> jpeg)
    {
        PixelSize? size = null;
        var i = 2;
        while (true)
        {
            if (i >= jpeg.Length || jpeg[i] != 0xFF)
            {
                return null;
            }
            while (i < jpeg.Length && jpeg[i] == 0xFF)
            {
                i++; // fill bytes
            }
            if (i >= jpeg.Length)
            {
                return null;
            }
            var marker = jpeg[i++];
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                continue; // TEM, RSTn, SOI: no length
            }
            if (marker is 0xD9 or 0xDA)
            {
                return marker == 0xDA ? size : null; // the scan starts (the frame is known) or the image ends
            }
            if (i + 2 > jpeg.Length)
            {
                return null;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[i..]);
            if (length < 2 || i + length > jpeg.Length)
            {
                return null;
            }
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (length < 8)
                {
                    return null;
                }
                var height = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 3)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(i + 5)..]);
                size = new PixelSize(Math.Max(width, size?.Width ?? 0), Math.Max(height, size?.Height ?? 0));
            }
            i += length;
        }
    }
}
