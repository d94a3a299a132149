using System.IO.Compression;

namespace NotebookKit.Data;

/// <summary>
/// The small real dataset embedded in the kit (see data/README.md): a balanced Fashion-MNIST subset,
/// 100 training and 50 validation images per class, usable offline everywhere.
/// </summary>
public static class EmbeddedData
{
    /// <summary>Fashion-MNIST's ten class names, in label order.</summary>
    public static readonly IReadOnlyList<string> FashionMnistClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The name the CLI and reports use for it.</summary>
    public const string Name = "fashion-mnist-small";

    static readonly Lazy<DatasetSource> fashion = new(Load);

    /// <summary>The embedded dataset (loaded once; ~1.2 MB in memory).</summary>
    public static DatasetSource FashionMnistSmall() => fashion.Value;

    static DatasetSource Load()
    {
        IdxDataset Split(string split)
        {
            using var images = Open($"{split}-images-idx3-ubyte.gz");
            using var labels = Open($"{split}-labels-idx1-ubyte.gz");
            return IdxDataset.Read(images, labels, $"{Name}/{split}-images-idx3-ubyte.gz", $"{Name}/{split}-labels-idx1-ubyte.gz", FashionMnistClasses, $"{Name}/{split}");
        }
        return new DatasetSource(Name, "idx", $"(embedded) {Name}", Split("train"), Split("val"), null);
    }

    /// <summary>The manifest written by data/make-fashion-mnist-small.py (counts and checksums).</summary>
    public static string Manifest()
    {
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream($"NotebookKit.Data.{Name}.manifest.json")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    static Stream Open(string file)
    {
        var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream($"NotebookKit.Data.{Name}.{file}")
            ?? throw new InvalidOperationException($"The kit was built without its embedded data ({file}); rebuild from a checkout that has data/{Name}/.");
        return new GZipStream(stream, CompressionMode.Decompress);
    }
}
