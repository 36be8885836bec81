using SkillsHub.Domain.Credentials;

namespace SkillsHub.Domain.Tests.Credentials;

/// <summary>The photo's size comes from its header, never from decoding it (docs/credentials.md, "PDF").</summary>
public sealed class HolderPhotoTests
{
    static byte[] BigEndian32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    static byte[] Chunk(string type, byte[] data) => [.. BigEndian32((uint)data.Length), .. System.Text.Encoding.ASCII.GetBytes(type), .. data, 0, 0, 0, 0];

    /// <summary>
    /// A PNG's signature, IHDR (8-bit RGB), an IDAT and IEND (CRCs not checked here). The IDAT holds the image's rows of
    /// black (each a filter byte and 3 bytes a pixel) when the image is within the limits; a larger one's IDAT is a stub,
    /// since its size refuses it first.
    /// </summary>
    static byte[] PngHeader(uint width, uint height, byte interlace = 0, long? rawBytes = null) =>
        Png(width, height, interlace, HolderPhoto.SizeFault(new((int)Math.Min(width, int.MaxValue), (int)Math.Min(height, int.MaxValue))) is null || rawBytes is not null
            ? Deflate(rawBytes ?? height * (1 + 3L * width)) : [0x78, 0x9C]);

    static byte[] Png(uint width, uint height, byte interlace, byte[] idat) =>
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R',
            .. BigEndian32(width), .. BigEndian32(height), 8, 2, 0, 0, interlace, 0, 0, 0, 0, .. Chunk("IDAT", idat), .. Chunk("IEND", [])];

    /// <summary>This many zero bytes as a zlib stream.</summary>
    static byte[] Deflate(long bytes)
    {
        using var output = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var left = bytes; left > 0; left -= zeros.Length)
            {
                zlib.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
            }
        }
        return output.ToArray();
    }

    /// <summary>
    /// The image data inflates to exactly the rows IHDR describes, and no further is inflated: a PNG of 100 × 130 pixels
    /// whose stream carried 2,000 MiB of zeros after its rows passed the size checks and took 6 GB when the PDF library
    /// decoded it (found by an outside tester); here 512 MiB, refused after the first 39,130 bytes and one more.
    /// </summary>
    [Fact]
    public void Png_ImageDataIsExactlyItsRows_NeverInflatedFurther()
    {
        Assert.Null(HolderPhoto.Fault(PngHeader(100, 130)));
        var bomb = PngHeader(100, 130, rawBytes: 130 * 301 + (512L << 20));
        Assert.True(bomb.Length < HolderPhoto.MaxBytes, $"{bomb.Length} bytes");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(bomb));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 16 << 20, "the check kept what it inflated");
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5), "the check inflated the whole stream");
        // One byte more or less than the rows, or a stream that is not zlib: refused.
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(PngHeader(100, 130, rawBytes: 130 * 301 + 1)));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(PngHeader(100, 130, rawBytes: 130 * 301 - 1)));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(Png(100, 130, 0, [0x78, 0x9C, 1, 2, 3])));
        // Interlaced (Adam7): 5 × 3 RGB pixels are seven passes of 1×1, 1×1, none, 1×1, 3×1, 2×2 and 5×1 pixels, each row
        // with its filter byte: 4 + 4 + 0 + 4 + 10 + 14 + 16 = 52 bytes.
        Assert.Null(HolderPhoto.Fault(PngHeader(5, 3, interlace: 1, rawBytes: 52)));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(PngHeader(5, 3, interlace: 1, rawBytes: 5 * 3 * 3 + 3)));
    }

    /// <summary>A header that names a filter or compression method PNG does not define is not a photo (found by an outside tester: filter method 1 was drawn).</summary>
    [Fact]
    public void Png_WithAnUndefinedFilterOrCompressionMethod_IsNotAPhoto()
    {
        var png = PngHeader(100, 130);
        Assert.Null(HolderPhoto.Fault(png));
        foreach (var at in new[] { 26, 27 })
        {
            var odd = png.ToArray();
            odd[at] = 1;
            Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(odd));
        }
    }

    static readonly byte[] Jfif = [0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];

    static byte[] Sof(byte marker, int width, int height) =>
        [0xFF, marker, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];

    static readonly byte[] Sos = [0xFF, 0xDA, 0x00, 0x0C, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0, 0x12, 0x34, 0xFF, 0xD9];

    static byte[] Jpeg(params byte[][] segments) => [0xFF, 0xD8, .. segments.SelectMany(s => s), .. Sos];

    [Fact]
    public void Png_SizeFromTheIhdr()
    {
        Assert.Equal(new HolderPhoto.PixelSize(120, 160), HolderPhoto.ReadSize(PngHeader(120, 160)));
        Assert.Null(HolderPhoto.Fault(PngHeader(120, 160)));
        // Cut short (inside IHDR, or before IEND), or a first chunk that is not IHDR: no size, refused as not a photo.
        Assert.Null(HolderPhoto.ReadSize(PngHeader(120, 160)[..20]));
        Assert.Null(HolderPhoto.ReadSize(PngHeader(120, 160)[..33]));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(PngHeader(120, 160)[..^12]));
        var notIhdr = PngHeader(120, 160);
        notIhdr[12] = (byte)'X';
        Assert.Null(HolderPhoto.ReadSize(notIhdr));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(notIhdr));
        Assert.Null(HolderPhoto.ReadSize(PngHeader(0x8000_0000, 1)));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(PngHeader(0, 160)));
    }

    [Fact]
    public void Jpeg_SizeFromTheFrameHeader_PastOtherSegmentsAndFillBytes()
    {
        Assert.Equal(new HolderPhoto.PixelSize(640, 480), HolderPhoto.ReadSize(Jpeg(Jfif, Sof(0xC0, 640, 480))));
        // A progressive frame (SOF2) after fill bytes; a DHT (0xC4) is not a frame header.
        byte[] dht = [0xFF, 0xC4, 0x00, 0x05, 0x00, 0x01, 0x00];
        Assert.Equal(new HolderPhoto.PixelSize(300, 400), HolderPhoto.ReadSize(Jpeg(Jfif, dht, [0xFF, 0xFF], Sof(0xC2, 300, 400))));
        // A small frame header cannot hide a large one.
        Assert.Equal(new HolderPhoto.PixelSize(30000, 30000), HolderPhoto.ReadSize(Jpeg(Jfif, Sof(0xC0, 16, 16), Sof(0xC1, 30000, 30000))));
        // No frame before the scan, a segment running past the end, or the wrong start: no size.
        Assert.Null(HolderPhoto.ReadSize(Jpeg(Jfif)));
        Assert.Null(HolderPhoto.ReadSize(Jpeg(Jfif, Sof(0xC0, 640, 480))[..30]));
        Assert.Null(HolderPhoto.ReadSize([0xFF, 0xD8, 0xFF, 0xE0, 0x00]));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(Jpeg(Jfif, Sof(0xC0, 640, 0))));
    }

    [Theory]
    [InlineData(4096, 3072, true)]
    [InlineData(4032, 3024, true)] // a 12-megapixel phone photo, uncropped
    [InlineData(3072, 4096, true)]
    [InlineData(4097, 1, false)] // over the side limit
    [InlineData(1, 4097, false)]
    [InlineData(4096, 3073, false)] // over the pixel limit
    [InlineData(3600, 3600, false)]
    [InlineData(20000, 20000, false)] // the outside tester's 1.1 MB PNG
    public void TheLimits_OnASideAndInAll(int width, int height, bool passes)
    {
        var png = HolderPhoto.Fault(PngHeader((uint)width, (uint)height));
        var jpeg = HolderPhoto.Fault(Jpeg(Jfif, Sof(0xC0, width, height)));
        if (passes)
        {
            Assert.Null(png);
            Assert.Null(jpeg);
        }
        else
        {
            Assert.Contains($"{width} × {height} pixels", png);
            Assert.Equal(png, jpeg);
        }
    }

    [Fact]
    public void Neither_PngNorJpeg_OrOver2MB_IsNotAPhoto()
    {
        Assert.Null(HolderPhoto.MediaType("GIF89a"u8.ToArray()));
        Assert.Equal(HolderPhoto.PngType, HolderPhoto.MediaType(PngHeader(1, 1)));
        Assert.Equal(HolderPhoto.JpegType, HolderPhoto.MediaType(Jpeg(Jfif, Sof(0xC0, 1, 1))));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault("hello"u8.ToArray()));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault([]));
        var large = new byte[HolderPhoto.MaxBytes + 1];
        PngHeader(100, 100).CopyTo(large, 0);
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(large));
    }

    /// <summary>
    /// Malformed files are a refusal, never an exception: a chunk type that is not letters, a second IHDR, a frame
    /// header too short to hold the size.
    /// </summary>
    [Fact]
    public void Malformed_IsNotAPhoto_NeverAnException()
    {
        var png = PngHeader(120, 160);
        byte[] badType = [.. png[..33], .. Chunk("t\u0001Xt", [1, 2]), .. Chunk("IEND", [])];
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(badType));
        byte[] twoHeaders = [.. png[..33], .. png[8..33], .. Chunk("IEND", [])];
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(twoHeaders));
        byte[] shortFrame = [0xFF, 0xC0, 0x00, 0x05, 8, 0x01, 0xE0];
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(Jpeg(Jfif, shortFrame)));
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault([0xFF, 0xD8]));
    }

    /// <summary>
    /// Reading the header costs no more than the file: a chunk whose length is near 2^31 (after a small one, where
    /// MetadataExtractor's own bounds check wraps round) is refused as cut short without allocating it (it took
    /// 2.1 GB for a 1 KB file), and a compressed text chunk is not inflated (ImageMetadataReader made 400 MB of text
    /// from a 389 KB zTXt chunk).
    /// </summary>
    [Fact]
    public void Header_IsReadWithoutAllocatingWhatTheFileClaims()
    {
        var png = PngHeader(120, 160);
        byte[] wrapping = [.. png[..33], .. Chunk("tEXt", new byte[1000]), .. BigEndian32(int.MaxValue - 1000), .. "tEXt"u8, 1, 2, 3];
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(HolderPhoto.NotAPhoto, HolderPhoto.Fault(wrapping));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, $"{GC.GetAllocatedBytesForCurrentThread() - before} bytes allocated");

        byte[] text;
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(new byte[100_000_000]);
            }
            text = compressed.ToArray();
        }
        byte[] bomb = [.. png[..33], .. Chunk("zTXt", [.. "Comment"u8, 0, 0, .. text]), .. png[33..]];
        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(HolderPhoto.Fault(bomb));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, $"{GC.GetAllocatedBytesForCurrentThread() - before} bytes allocated");
    }
}
