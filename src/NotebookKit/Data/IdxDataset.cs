using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Data;

/// <summary>
/// MNIST-style IDX files (<c>*-images-idx3-ubyte[.gz]</c> + <c>*-labels-idx1-ubyte[.gz]</c>), e.g.
/// Fashion-MNIST from Debian's <c>dataset-fashion-mnist</c>. Grayscale images are held in memory
/// (28x28 bytes each: 47 MB for all 60,000) and expanded to RGB when loaded.
/// </summary>
public sealed class IdxDataset : ImageDataset
{
    readonly byte[] pixels;
    readonly byte[] labels;
    readonly int rows, columns;

    IdxDataset(string name, string root, string split, IReadOnlyList<string> classes, byte[] pixels, byte[] labels, int rows, int columns)
    {
        Name = name;
        Root = root;
        Split = split;
        Classes = classes;
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.columns = columns;
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override string Format => "idx";
    /// <inheritdoc/>
    public override string Root { get; }
    /// <summary>The file prefix this came from (<c>train</c>, <c>t10k</c>, <c>val</c>).</summary>
    public string Split { get; }
    /// <inheritdoc/>
    public override IReadOnlyList<string> Classes { get; }
    /// <inheritdoc/>
    public override int Count => labels.Length;
    /// <summary>Image height and width.</summary>
    public (int Height, int Width) ImageSize => (rows, columns);
    /// <inheritdoc/>
    public override int LabelOf(int index) => labels[index];
    /// <inheritdoc/>
    public override string PathOf(int index) => $"{Split}#{index}";

    /// <summary>The raw grayscale bytes of sample <paramref name="index"/> (row-major).</summary>
    public ReadOnlySpan<byte> Pixels(int index) => pixels.AsSpan(index * rows * columns, rows * columns);

    /// <inheritdoc/>
    public override Image<Rgb24> Load(int index, ImageLimits? limits = null)
    {
        var image = new Image<Rgb24>(ImageFile.Configuration, columns, rows);
        int offset = index * rows * columns;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                var source = pixels.AsSpan(offset + y * columns, columns);
                for (int x = 0; x < row.Length; x++) row[x] = new Rgb24(source[x], source[x], source[x]);
            }
        });
        return image;
    }

    /// <summary>Reads an images file and its labels file.</summary>
    public static IdxDataset Read(string imagesPath, string labelsPath, IReadOnlyList<string>? classes = null, string? name = null)
    {
        using var images = OpenMaybeGzip(imagesPath);
        using var labelsStream = OpenMaybeGzip(labelsPath);
        return Read(images, labelsStream, imagesPath, labelsPath, classes, name);
    }

    /// <summary>Reads from streams (e.g. embedded resources); the paths are for messages.</summary>
    public static IdxDataset Read(Stream images, Stream labelStream, string imagesPath, string labelsPath, IReadOnlyList<string>? classes = null, string? name = null)
    {
        var header = ReadExactly(images, 16, imagesPath, "header");
        if (BinaryPrimitives.ReadInt32BigEndian(header) != 0x803)
            throw new DatasetException($"{imagesPath}: not an IDX image file (magic number 0x{BinaryPrimitives.ReadInt32BigEndian(header):x}, expected 0x803 for unsigned-byte images of rank 3).");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        if (count < 0 || rows <= 0 || columns <= 0 || (long)count * rows * columns > int.MaxValue)
            throw new DatasetException($"{imagesPath}: implausible header ({count} images of {rows}x{columns}).");
        var pixels = ReadExactly(images, count * rows * columns, imagesPath, $"{count} images of {rows}x{columns}");

        var labelHeader = ReadExactly(labelStream, 8, labelsPath, "header");
        if (BinaryPrimitives.ReadInt32BigEndian(labelHeader) != 0x801)
            throw new DatasetException($"{labelsPath}: not an IDX label file (magic 0x{BinaryPrimitives.ReadInt32BigEndian(labelHeader):x}, expected 0x801).");
        int labelCount = BinaryPrimitives.ReadInt32BigEndian(labelHeader.AsSpan(4));
        if (labelCount != count)
            throw new DatasetException($"{labelsPath}: {labelCount} labels for {count} images in {Path.GetFileName(imagesPath)}; the two files do not belong together.");
        var labels = ReadExactly(labelStream, count, labelsPath, $"{count} labels");

        int classCount = labels.Length == 0 ? 0 : labels.Max() + 1;
        classes ??= Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (classCount > classes.Count)
            throw new DatasetException($"{labelsPath}: label {classCount - 1} found but only {classes.Count} class names given.");
        var split = Path.GetFileName(imagesPath).Split('-')[0];
        return new IdxDataset(name ?? split, Path.GetDirectoryName(Path.GetFullPath(imagesPath)) ?? "", split, classes, pixels, labels, rows, columns);
    }

    /// <summary>
    /// Opens a folder of IDX files: <c>train-*</c> as training data and <c>t10k-*</c>, <c>val-*</c> or
    /// <c>test-*</c> as validation. Fashion-MNIST's class names are used when the folder name says so.
    /// </summary>
    public static DatasetSource OpenFolder(string folder)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder)) throw new DatasetException($"{folder}: folder not found.");
        string? Find(string prefix, string kind) => Directory.EnumerateFiles(folder, $"{prefix}-{kind}-idx*-ubyte*").Order(StringComparer.Ordinal).FirstOrDefault();
        var trainImages = Find("train", "images") ?? throw new DatasetException($"{folder}: no train-images-idx3-ubyte[.gz] file.");
        var trainLabels = Find("train", "labels") ?? throw new DatasetException($"{folder}: no train-labels-idx1-ubyte[.gz] file next to {Path.GetFileName(trainImages)}.");
        var name = Path.GetFileName(folder);
        IReadOnlyList<string>? classes = name.Contains("fashion", StringComparison.OrdinalIgnoreCase) ? EmbeddedData.FashionMnistClasses : null;
        var train = Read(trainImages, trainLabels, classes, $"{name}/train");
        ImageDataset? validation = null;
        foreach (var prefix in new[] { "val", "t10k", "test" })
        {
            if (Find(prefix, "images") is { } images && Find(prefix, "labels") is { } labels)
            {
                validation = Read(images, labels, train.Classes, $"{name}/{prefix}");
                break;
            }
        }
        return new DatasetSource(name, "idx", folder, train, validation, null);
    }

    static Stream OpenMaybeGzip(string path)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: file not found.");
        Stream file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    static byte[] ReadExactly(Stream stream, int count, string path, string what)
    {
        var buffer = new byte[count];
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw new DatasetException($"{path}: truncated while reading the {what}; download or copy the file again."); }
        catch (InvalidDataException e) { throw new DatasetException($"{path}: corrupt gzip data ({e.Message}); download or copy the file again."); }
        return buffer;
    }
}
