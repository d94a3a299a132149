using System.IO.Compression;
using NotebookKit.Data;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Data;

public class IdxDatasetTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static byte[] Header(int magic, params int[] dims)
    {
        var bytes = new List<byte>();
        foreach (var v in new[] { magic }.Concat(dims)) bytes.AddRange(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v)));
        return bytes.ToArray();
    }

    void Write(string name, byte[] content, bool gzip)
    {
        var path = Path.Combine(temp.Path, name);
        if (!gzip) { File.WriteAllBytes(path, content); return; }
        using var file = File.Create(path);
        using var z = new GZipStream(file, CompressionLevel.Fastest);
        z.Write(content);
    }

    [Fact]
    public void Reads_plain_and_gzip_files_with_t10k_as_validation()
    {
        Write("train-images-idx3-ubyte", [.. Header(0x803, 3, 2, 2), .. Enumerable.Range(0, 12).Select(i => (byte)i)], gzip: false);
        Write("train-labels-idx1-ubyte", [.. Header(0x801, 3), 0, 1, 1], gzip: false);
        Write("t10k-images-idx3-ubyte.gz", [.. Header(0x803, 1, 2, 2), 9, 9, 9, 9], gzip: true);
        Write("t10k-labels-idx1-ubyte.gz", [.. Header(0x801, 1), 1], gzip: true);

        var source = Datasets.Open(temp.Path);

        Assert.Equal("idx", source.Format);
        Assert.Equal(3, source.Train.Count);
        Assert.Equal([1, 2], source.Train.ClassCounts());
        Assert.Equal(1, source.Validation!.Count);
        Assert.Equal([4, 5, 6, 7], ((IdxDataset)source.Train).Pixels(1).ToArray());
    }

    [Fact]
    public void Mismatched_label_count_names_both_files()
    {
        Write("train-images-idx3-ubyte", [.. Header(0x803, 2, 1, 1), 1, 2], gzip: false);
        Write("train-labels-idx1-ubyte", [.. Header(0x801, 3), 0, 1, 1], gzip: false);

        var e = Assert.Throws<DatasetException>(() => Datasets.Open(temp.Path));
        Assert.Contains("3 labels for 2 images", e.Message);
    }

    [Fact]
    public void Truncated_images_file_says_so()
    {
        Write("train-images-idx3-ubyte.gz", [.. Header(0x803, 5, 28, 28), 1, 2, 3], gzip: true);
        Write("train-labels-idx1-ubyte.gz", [.. Header(0x801, 5), 0, 1, 1, 0, 0], gzip: true);

        var e = Assert.Throws<DatasetException>(() => Datasets.Open(temp.Path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
    }
}
