using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Tests.Support;

/// <summary>Writes real image files, good and broken, for the data tests.</summary>
static class TestImages
{
    /// <summary>A width x height image with a horizontal gradient in red and a fixed green/blue.</summary>
    public static Image<Rgb24> Gradient(int width, int height, byte green = 100, byte blue = 50)
    {
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgb24((byte)(x * 255 / Math.Max(1, width - 1)), green, blue);
        return image;
    }

    public static string Png(string path, int width = 40, int height = 30, byte green = 100)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = Gradient(width, height, green);
        image.SaveAsPng(path);
        return path;
    }

    public static string Jpeg(string path, int width = 40, int height = 30, byte green = 100)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = Gradient(width, height, green);
        image.SaveAsJpeg(path, new JpegEncoder { Quality = 95 });
        return path;
    }

    public static string TruncatedJpeg(string path)
    {
        var bytes = File.ReadAllBytes(Jpeg(path, 64, 48));
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        return path;
    }

    public static string Text(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A PNG whose header claims width x height but holds almost no data (a decompression bomb's header).</summary>
    public static string PngHeaderOnly(string path, int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", ihdr);
        WriteChunk(file, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(file, "IEND", []);
        return path;
    }

    /// <summary>A PNG with a valid header and garbage in its image data.</summary>
    public static string PngCorruptData(string path)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, 32);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), 32);
        ihdr[8] = 8; ihdr[9] = 2;
        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(file, "IHDR", ihdr);
        var garbage = new byte[200];
        new Random(1).NextBytes(garbage);
        WriteChunk(file, "IDAT", garbage);
        WriteChunk(file, "IEND", []);
        return path;
    }

    public static string Png16Bit(string path)
    {
        using var image = new Image<Rgb48>(20, 10);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) image[x, y] = new Rgb48(65535, 32768, 0);
        image.SaveAsPng(path, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });
        return path;
    }

    public static string PngPalette(string path)
    {
        using var image = Gradient(20, 10);
        image.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Palette });
        return path;
    }

    public static string PngGray(string path)
    {
        using var image = new Image<L8>(20, 10, new L8(77));
        image.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Grayscale });
        return path;
    }

    /// <summary>A half-transparent red PNG: over white it must read as pink (255, 128, 128).</summary>
    public static string PngTransparent(string path)
    {
        using var image = new Image<Rgba32>(8, 8, new Rgba32(255, 0, 0, 127));
        image.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        return path;
    }

    /// <summary>A two-frame GIF: first frame red, second blue.</summary>
    public static string AnimatedGif(string path)
    {
        using var image = new Image<Rgba32>(16, 16, new Rgba32(255, 0, 0));
        using var second = new Image<Rgba32>(16, 16, new Rgba32(0, 0, 255));
        image.Frames.AddFrame(second.Frames.RootFrame);
        image.SaveAsGif(path, new GifEncoder());
        return path;
    }

    /// <summary>A 40x20 JPEG whose EXIF orientation says "rotate 90° clockwise": it must load as 20x40.</summary>
    public static string ExifRotatedJpeg(string path)
    {
        using var image = Gradient(40, 20);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        image.SaveAsJpeg(path);
        return path;
    }

    public static string OnePixel(string path)
    {
        using var image = new Image<Rgb24>(1, 1, new Rgb24(10, 20, 30));
        image.SaveAsPng(path);
        return path;
    }

    public static string Webp(string path)
    {
        using var image = Gradient(24, 16);
        image.SaveAsWebp(path);
        return path;
    }

    public static string Tiff(string path)
    {
        using var image = Gradient(24, 16);
        image.SaveAsTiff(path);
        return path;
    }

    public static string Bmp(string path)
    {
        using var image = Gradient(24, 16);
        image.SaveAsBmp(path);
        return path;
    }

    static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
        stream.Write(crc);
    }

    static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
