using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Models;
using NotebookKit.Tests.Support;
using NotebookKit.Tests.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Tests.Export;

/// <summary>The model variants the kit makes, on small inputs, and real images to compare them on.</summary>
static class ExportFixture
{
    public const int ImageSize = 32;

    /// <summary>Every variant the exporter must handle, by name.</summary>
    public static readonly string[] Variants = ["resnet18", "resnet50-bottleneck", "head-dropout", "head-hidden", "truncated-layer2", "grayscale", "mlnet-mean-image"];

    static readonly Lazy<PretrainedModel> mlnet = new(() => TrainingFixture.Pretrained(10));

    /// <summary>A model of the named variant with non-trivial weights and BatchNorm statistics, and its preprocessing.</summary>
    public static (ResNetModel Model, Preprocessing Preprocessing) Build(string variant)
    {
        TorchRuntime.Require();
        TorchSharp.torch.manual_seed(7);
        ResNetModel Formula(string arch, int classes)
        {
            var model = ResNetModel.Create(arch, classes);
            PytorchEquivalenceTests.FillWithFormula(model); // BN statistics far from (0, 1), so a wrong BN shows
            return model;
        }
        return variant switch
        {
            "resnet18" => (Formula("resnet18", 5), Preprocessing.ImageNetDefault),
            "resnet50-bottleneck" => (Formula("resnet50", 4), Preprocessing.ImageNetDefault),
            "head-dropout" => (Formula("resnet18", 1000).WithClassifier(6, dropout: 0.5), Preprocessing.ImageNetDefault),
            "head-hidden" => (Formula("resnet18", 1000).WithClassifier(3, dropout: 0.3, hidden: 16), Preprocessing.ImageNetDefault),
            "truncated-layer2" => (Formula("resnet34", 1000).TruncatedAfter("layer2", 7), Preprocessing.ImageNetDefault),
            "grayscale" => (Formula("resnet18", 10).WithGrayscaleInput(), Preprocessing.ImageNetDefault),
            "mlnet-mean-image" => (mlnet.Value.Model, mlnet.Value.Preprocessing),
            _ => throw new ArgumentException(variant),
        };
    }

    /// <summary>Seven real images: four Fashion-MNIST photos (gray) and three colour ones (so a channel-order slip shows).</summary>
    public static List<Image<Rgb24>> Images()
    {
        var fashion = EmbeddedData.FashionMnistSmall().Validation!;
        var images = Enumerable.Range(0, 4).Select(i => fashion.Load(i * 7)).ToList();
        images.Add(ImageFile.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", "gradient-256.png")));
        images.Add(ImageFile.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "images", "cmyk.jpg")));
        images.Add(TestImages.Gradient(50, 40, green: 200, blue: 10));
        return images;
    }
}
