using MetadataExtractor;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.IO;
using MetadataExtractor.Util;

namespace SkillsHub.Domain.Credentials;

/// <summary>
/// The holder's photo printed on the certificate PDF (docs/credentials.md, "PDF"): a JPEG or PNG (colour or greyscale) of at most
/// 2 MB and at most <see cref="MaxSide"/> pixels on a side and <see cref="MaxPixels"/> pixels in all. The size is read
/// from the image's header with MetadataExtractor, never by decoding it: a 1 MB PNG of zeros can claim 20000 × 20000
/// pixels, and decoding it took 47 s (found by an outside tester). Whether the PDF library can place the image is the
/// server's check, after this one.
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
    public const string NotAPhoto = "The photo must be a JPEG or PNG image of at most 2 MB.";

    public readonly record struct PixelSize(int Width, int Height)
    {
        public long Pixels => (long)Width * Height;
    }

    /// <summary>The media type the bytes are (MetadataExtractor's file-type detection), or null for neither PNG nor JPEG.</summary>
    public static string? MediaType(byte[] image) => FileTypeDetector.DetectFileType(new MemoryStream(image, writable: false)) switch
    {
        FileType.Png => PngType,
        FileType.Jpeg => JpegType,
        _ => null,
    };

    /// <summary>Why these bytes are refused as a photo (for the field that carried them), or null when they pass.</summary>
    public static string? Fault(byte[] image)
    {
        if (image.Length > MaxBytes || ReadSize(image) is not { } size)
        {
            return NotAPhoto;
        }
        if (SizeFault(size) is { } tooLarge)
        {
            return tooLarge;
        }
        return MediaType(image) == PngType && !PngDataFits(image) ? NotAPhoto : null;
    }

    /// <summary>
    /// Whether a PNG's image data (its IDAT chunks, one zlib stream) inflates to exactly the rows its IHDR describes. It is
    /// inflated into a small buffer, never kept, and no further than those rows and one byte: a 2 MB PNG of 100 × 130
    /// pixels whose stream carried 2,000 MiB of zeros after its rows passed the size checks and took 6 GB of memory when
    /// the PDF library decoded it (found by an outside tester). A stream that is cut short or not zlib is refused too.
    /// </summary>
    static bool PngDataFits(byte[] png)
    {
        try
        {
            var chunks = new PngChunkReader().Extract(new BoundedReader(png), [PngChunkType.IHDR, PngChunkType.IDAT]).ToList();
            if (chunks.FirstOrDefault(c => c.ChunkType == PngChunkType.IHDR) is not { } ihdr)
            {
                return false;
            }
            // The size was read from the same header (PngSize) and held to the limits before this.
            var header = new PngHeader(ihdr.Bytes);
            long width = header.ImageWidth, height = header.ImageHeight;
            int depth = header.BitsPerSample, interlace = header.InterlaceMethod;
            var samples = header.ColorType.NumericValue switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
            // Compression and filter method 0 are the only ones PNG defines (found by an outside tester: filter method 1 was
            // taken and drawn, though no reader is bound to understand it).
            if (samples == 0 || depth is not (1 or 2 or 4 or 8 or 16) || interlace > 1 || header.CompressionType != 0 || header.FilterMethod != 0)
            {
                return false;
            }
            var expected = interlace == 0 ? RowBytes(width, height, samples * depth) : Adam7.Sum(pass => RowBytes(
                width > pass.X ? (width - pass.X + pass.XStep - 1) / pass.XStep : 0, height > pass.Y ? (height - pass.Y + pass.YStep - 1) / pass.YStep : 0, samples * depth));
            using var data = new MemoryStream();
            foreach (var idat in chunks.Where(c => c.ChunkType == PngChunkType.IDAT))
            {
                data.Write(idat.Bytes);
            }
            data.Position = 0;
            using var inflate = new System.IO.Compression.ZLibStream(data, System.IO.Compression.CompressionMode.Decompress);
            var buffer = new byte[64 * 1024];
            long total = 0;
            for (var read = inflate.Read(buffer); read > 0; read = inflate.Read(buffer))
            {
                total += read;
                if (total > expected)
                {
                    return false;
                }
            }
            return total == expected;
        }
        catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// Why a PNG that passed <see cref="Fault"/> still cannot be printed when the PDF library cannot place it: its sample
    /// layout named, with what to do (found by an outside tester: a 16-bit or 1-bit greyscale PNG was told it was not a
    /// PNG of at most 2 MB). PDFsharp 6.2 places 8-bit PNGs of every colour type and 1- or 4-bit palette PNGs that are not
    /// interlaced; not 16-bit samples, greyscale below 8 bits, 2-bit palettes or interlaced palettes below 8 bits.
    /// </summary>
    public static string NotPrintable(byte[] image)
    {
        var layout = "";
        try
        {
            if (Ihdr(image) is { } header)
            {
                var kind = header.ColorType.NumericValue switch { 0 => "greyscale", 2 => "colour", 3 => "palette", 4 => "greyscale with transparency", _ => "colour with transparency" };
                layout = $" (its pixels are {header.BitsPerSample}-bit {kind}{(header.InterlaceMethod == 1 ? ", interlaced" : "")})";
            }
        }
        catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException)
        {
            layout = "";
        }
        return $"This PNG cannot be printed on the certificate{layout}. Save it as an 8-bit PNG or as a JPEG and send it again.";
    }

    /// <summary>The filtered rows of an image (or an interlace pass) of this size: per row a filter byte and its packed pixels.</summary>
    static long RowBytes(long width, long height, int bitsPerPixel) => width == 0 || height == 0 ? 0 : height * (1 + (width * bitsPerPixel + 7) / 8);

    /// <summary>The seven passes of Adam7 interlacing: where each starts and how far it steps.</summary>
    static readonly (int X, int Y, int XStep, int YStep)[] Adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>Why an image of this size is refused, or null within the limits (also for the size the PDF library reads).</summary>
    public static string? SizeFault(PixelSize size) =>
        size.Width < 1 || size.Height < 1 ? NotAPhoto
        : size.Width > MaxSide || size.Height > MaxSide || size.Pixels > MaxPixels
            ? $"The photo is {size.Width} × {size.Height} pixels; it may have at most {MaxSide} pixels on a side and {MaxPixels:N0} in all (a 12-megapixel photo). Make it smaller and send it again."
            : null;

    /// <summary>
    /// The width and height a PNG's IHDR or a JPEG's frame headers (SOF) state, read by MetadataExtractor without
    /// decoding; null when the file is malformed or cut short (the library's exceptions are a refusal, never an error).
    /// Only the structure readers are used, not <c>ImageMetadataReader</c>: that one also inflates a PNG's compressed
    /// text chunks (a 389 KB zTXt chunk became 400 MB of text, 29 s and 5 GB of memory).
    /// </summary>
    public static PixelSize? ReadSize(byte[] image)
    {
        try
        {
            return MediaType(image) switch
            {
                PngType => PngSize(image),
                JpegType => JpegSize(image),
                _ => null,
            };
        }
        catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// PNG: the chunks from the signature to IEND (only IHDR is kept, nothing is inflated), then IHDR's width and
    /// height. The PNG specification bounds each at 2^31 - 1; MetadataExtractor reads them signed, so a larger one is
    /// negative here and refused.
    /// </summary>
    static PixelSize? PngSize(byte[] png) =>
        Ihdr(png) is not { } header || header.ImageWidth < 0 || header.ImageHeight < 0 ? null : new PixelSize(header.ImageWidth, header.ImageHeight);

    /// <summary>A PNG's IHDR, reading its chunks from the signature to IEND without inflating any; null without one.</summary>
    static PngHeader? Ihdr(byte[] png) =>
        new PngChunkReader().Extract(new BoundedReader(png), [PngChunkType.IHDR]).FirstOrDefault() is { } ihdr ? new PngHeader(ihdr.Bytes) : null;

    /// <summary>
    /// JPEG: the frame headers (SOF0-3, 5-7, 9-11, 13-15) before the first scan. With more than one, the largest width
    /// and height count, so a small frame header cannot hide a large one; a height of 0 (given later, by DNL) is
    /// refused by <see cref="SizeFault"/>. No frame header, or one too short to hold the size: null.
    /// </summary>
    static PixelSize? JpegSize(byte[] jpeg)
    {
        IJpegSegmentMetadataReader frames = new JpegReader();
        var segments = JpegSegmentReader.ReadSegments(new BoundedReader(jpeg), frames.SegmentTypes.ToList()).ToList();
        PixelSize? size = null;
        foreach (var frame in frames.ReadJpegSegments(segments))
        {
            if (!frame.TryGetInt32(JpegDirectory.TagImageWidth, out var width) || !frame.TryGetInt32(JpegDirectory.TagImageHeight, out var height))
            {
                return null;
            }
            size = new PixelSize(Math.Max(width, size?.Width ?? 0), Math.Max(height, size?.Height ?? 0));
        }
        return size;
    }

    /// <summary>
    /// MetadataExtractor's byte-array reader with the length checked before anything is allocated. The library tests
    /// <c>index + count &gt; length</c> in 32-bit arithmetic, so a PNG chunk length near 2^31 wraps round and is
    /// allocated: a 1 KB PNG made <c>PngChunkReader</c> allocate 2.1 GB. Both formats are big-endian, the reader's default.
    /// </summary>
    sealed class BoundedReader(byte[] bytes) : SequentialByteArrayReader(bytes)
    {
        public override byte[] GetBytes(int count)
        {
            Fits(count);
            return base.GetBytes(count);
        }

        public override void GetBytes(byte[] buffer, int offset, int count)
        {
            Fits(count);
            base.GetBytes(buffer, offset, count);
        }

        public override SequentialReader WithByteOrder(bool isMotorolaByteOrder) =>
            isMotorolaByteOrder ? this : throw new NotSupportedException("PNG and JPEG are big-endian.");

        void Fits(int count)
        {
            if ((uint)count > (uint)Available())
            {
                throw new IOException("End of data reached.");
            }
        }
    }
}
