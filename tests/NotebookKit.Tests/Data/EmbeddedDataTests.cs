using System.Security.Cryptography;
using System.Text.Json;
using NotebookKit.Data;

namespace NotebookKit.Tests.Data;

/// <summary>The kit's IDX reader against the manifest that data/make-fashion-mnist-small.py wrote with Python's own reader.</summary>
public class EmbeddedDataTests
{
    static readonly JsonElement manifest = JsonDocument.Parse(EmbeddedData.Manifest()).RootElement;

    [Theory]
    [InlineData("train")]
    [InlineData("val")]
    public void Matches_the_python_manifest(string split)
    {
        var source = EmbeddedData.FashionMnistSmall();
        var data = (IdxDataset)(split == "train" ? source.Train : source.Validation!);
        var expected = manifest.GetProperty(split);

        Assert.Equal(expected.GetProperty("count").GetInt32(), data.Count);
        Assert.Equal(expected.GetProperty("per_class").EnumerateArray().Select(e => e.GetInt32()), data.ClassCounts());
        Assert.Equal(expected.GetProperty("first_labels").EnumerateArray().Select(e => e.GetInt32()), Enumerable.Range(0, 20).Select(data.LabelOf));
        Assert.Equal(expected.GetProperty("first_image_pixel_sum").GetInt32(), data.Pixels(0).ToArray().Sum(b => b));
        var all = new byte[data.Count * 28 * 28];
        for (int i = 0; i < data.Count; i++) data.Pixels(i).CopyTo(all.AsSpan(i * 784));
        Assert.Equal(expected.GetProperty("pixels_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(all)));
    }

    [Fact]
    public void Has_fashion_mnist_class_names_and_loads_as_rgb()
    {
        var source = Datasets.Open(null);

        Assert.Equal("fashion-mnist-small", source.Name);
        Assert.Equal(10, source.Classes.Count);
        Assert.Equal("Ankle boot", source.Classes[9]);
        using var image = source.Train.Load(0);
        Assert.Equal((28, 28), (image.Width, image.Height));
        var p = image[14, 14];
        Assert.True(p.R == p.G && p.G == p.B);
        Assert.Equal(((IdxDataset)source.Train).Pixels(0)[14 * 28 + 14], p.R);
    }
}
