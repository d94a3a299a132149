using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NotebookKit.Data;

/// <summary>
/// Reads one image file defensively: size and header checks before decoding, the first frame only,
/// EXIF orientation applied, any pixel format (gray, 16-bit, palette, CMYK, alpha) to 8-bit RGB,
/// transparency composited over white. Every failure is a <see cref="BadImageException"/>.
/// </summary>
public static class ImageFile
{
    /// <summary>File extensions treated as images (case-insensitive).</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".tga",
    };

    /// <summary>
    /// The ImageSharp configuration used for every decode and transform: single-threaded per image, because
    /// the loader already decodes one image per worker (nested parallelism only adds contention).
    /// </summary>
    public static Configuration Configuration { get; } = CreateConfiguration();

    static Configuration CreateConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }

    /// <summary>Whether <paramref name="path"/> has an image extension and is not a hidden or system file.</summary>
    public static bool IsCandidate(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith('.') || name.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase)) return false;
        return Extensions.Contains(Path.GetExtension(name));
    }

    /// <summary>Decodes <paramref name="path"/> to an upright RGB image.</summary>
    public static Image<Rgb24> Load(string path, ImageLimits? limits = null)
    {
        using var file = FileBytes.Read(path, limits ?? ImageLimits.Default);
        return Decode(file.Bytes, path, limits ?? ImageLimits.Default);
    }

    /// <summary>Checks a file without decoding its pixels (what <c>nbkit data inspect</c> runs on every file).</summary>
    /// <returns>The image's width and height.</returns>
    public static (int Width, int Height) Check(string path, ImageLimits? limits = null)
    {
        using var file = FileBytes.Read(path, limits ?? ImageLimits.Default);
        var (info, _) = Identify(file.Bytes, path, limits ?? ImageLimits.Default);
        return (info.Width, info.Height);
    }

    /// <summary>
    /// A file's bytes in an array rented from the shared pool (returned on dispose): a loader reads thousands of files per
    /// second, and a new array for each was most of its allocation per image.
    /// </summary>
    readonly struct FileBytes(byte[] array, int length) : IDisposable
    {
        public ArraySegment<byte> Bytes => new(array, 0, length);

        public void Dispose() => System.Buffers.ArrayPool<byte>.Shared.Return(array);

        public static FileBytes Read(string path, ImageLimits limits)
        {
            var file = Target(path);
            if (!file.Exists) throw new BadImageException(path, "file not found");
            // Sizes are the target's: a symbolic link's own size is the length of the path it holds. A FIFO or device
            // has size 0 and is refused here, before an open that could block.
            if (file.Length == 0) throw new BadImageException(path, "empty file (0 bytes)");
            if (file.Length > limits.MaxFileBytes)
                throw new BadImageException(path, $"file is {file.Length / 1048576.0:F0} MB, over the {limits.MaxFileBytes >> 20} MB limit (ImageLimits.MaxFileBytes)");
            var array = System.Buffers.ArrayPool<byte>.Shared.Rent((int)file.Length);
            try
            {
                using var handle = File.OpenHandle(path);
                int length = 0, read;
                while (length < array.Length && (read = RandomAccess.Read(handle, array.AsSpan(length), length)) > 0) length += read;
                if (length == 0) throw new BadImageException(path, "empty file (0 bytes)");
                return new FileBytes(array, length);
            }
            catch (Exception e)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(array);
                if (e is IOException or UnauthorizedAccessException) throw new BadImageException(path, $"cannot be read: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}");
                throw;
            }
        }

        /// <summary>The file itself, or for a symbolic link the file it finally points to.</summary>
        static FileInfo Target(string path)
        {
            FileInfo file = new(path);
            if (file.LinkTarget is null) return file;
            FileSystemInfo? target;
            try { target = file.ResolveLinkTarget(returnFinalTarget: true); }
            catch (IOException e) { throw new BadImageException(path, $"a symbolic link that cannot be followed ({e.Message})"); }
            if (target is not FileInfo { Exists: true } resolved)
                throw new BadImageException(path, $"a broken symbolic link (to {file.LinkTarget}, which is missing or not a file)");
            return resolved;
        }
    }

    static (IImageInfo Info, IImageFormat Format) Identify(ArraySegment<byte> bytes, string path, ImageLimits limits)
    {
        IImageFormat? format;
        IImageInfo? info;
        try
        {
            using var stream = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false);
            info = Image.Identify(Configuration, stream, out format);
        }
        catch (Exception e) when (e is InvalidImageContentException or UnknownImageFormatException or NotSupportedException or ImageFormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new BadImageException(path, $"corrupt or unsupported image header ({e.Message.TrimEnd('.')})");
        }
        if (info is null || format is null) throw new BadImageException(path, NotAnImage(bytes));
        if (info.Width <= 0 || info.Height <= 0) throw new BadImageException(path, $"header declares an empty image ({info.Width}x{info.Height})");
        long pixels = (long)info.Width * info.Height;
        if (pixels > limits.MaxPixels)
            throw new BadImageException(path, $"header declares {info.Width}x{info.Height} pixels, over the {limits.MaxPixels:N0}-pixel limit (a possible decompression bomb; raise ImageLimits.MaxPixels if it is genuine)");
        if (format.Name == "JPEG" && !HasJpegEndMarker(bytes))
            throw new BadImageException(path, "truncated JPEG (no end-of-image marker): the file was cut short");
        return (info, format);
    }

    static Image<Rgb24> Decode(ArraySegment<byte> bytes, string path, ImageLimits limits)
    {
        var (info, format) = Identify(bytes, path, limits);
        try
        {
            // JPEG has no alpha; for other formats the header may not say, so composite when unsure.
            bool alpha = format.Name != "JPEG" && info.PixelType?.AlphaRepresentation != PixelAlphaRepresentation.None;
            if (!alpha)
            {
                var rgb = Image.Load<Rgb24>(Configuration, bytes.AsSpan());
                KeepFirstFrame(rgb);
                rgb.Mutate(x => x.AutoOrient());
                return rgb;
            }
            using var rgba = Image.Load<Rgba32>(Configuration, bytes.AsSpan());
            KeepFirstFrame(rgba);
            rgba.Mutate(x => x.AutoOrient());
            return OverWhite(rgba);
        }
        catch (Exception e) when (e is InvalidImageContentException or UnknownImageFormatException or NotSupportedException or ImageFormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or OutOfMemoryException)
        {
            throw new BadImageException(path, $"corrupt image data ({e.Message.TrimEnd('.')})");
        }
    }

    static void KeepFirstFrame<TPixel>(Image<TPixel> image) where TPixel : unmanaged, IPixel<TPixel>
    {
        while (image.Frames.Count > 1) image.Frames.RemoveFrame(image.Frames.Count - 1);
    }

    /// <summary>Composites transparent pixels over white, as a viewer shows them.</summary>
    static Image<Rgb24> OverWhite(Image<Rgba32> source)
    {
        var result = new Image<Rgb24>(Configuration, source.Width, source.Height);
        source.ProcessPixelRows(result, (from, to) =>
        {
            for (int y = 0; y < from.Height; y++)
            {
                var src = from.GetRowSpan(y);
                var dst = to.GetRowSpan(y);
                for (int x = 0; x < src.Length; x++)
                {
                    var p = src[x];
                    int a = p.A, white = 255 * (255 - a);
                    dst[x] = new Rgb24((byte)((p.R * a + white + 127) / 255), (byte)((p.G * a + white + 127) / 255), (byte)((p.B * a + white + 127) / 255));
                }
            }
        });
        result.Metadata.ExifProfile = null;
        return result;
    }

    static bool HasJpegEndMarker(ReadOnlySpan<byte> bytes)
    {
        // Allow trailing padding (some cameras and editors append zeros or junk after EOI).
        int end = bytes.Length - 1;
        for (int scanned = 0; end > 0 && scanned < 4096; end--, scanned++)
            if (bytes[end - 1] == 0xFF && bytes[end] == 0xD9) return true;
        return false;
    }

    static string NotAnImage(ReadOnlySpan<byte> bytes)
    {
        var start = bytes[..Math.Min(bytes.Length, 64)];
        var head = System.Text.Encoding.ASCII.GetString(start).TrimStart();
        if (head.StartsWith('<')) return "not an image: the file holds HTML or XML text (a web page saved with an image extension?)";
        bool text = true;
        foreach (var b in start) text &= b is 9 or 10 or 13 || (b >= 32 && b < 127);
        if (text) return "not an image: the file holds text";
        return "not an image: the file's content matches no supported format (JPEG, PNG, BMP, GIF, WebP, TIFF, TGA)";
    }
}
