using Microsoft.ML.OnnxRuntime;
using NotebookKit.Export;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Tests.Export;

public class OnnxExportTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    public static TheoryData<string, bool> VariantsWithAndWithoutPreprocessing()
    {
        var data = new TheoryData<string, bool>();
        foreach (var variant in ExportFixture.Variants) { data.Add(variant, false); data.Add(variant, true); }
        return data;
    }

    [Theory]
    [MemberData(nameof(VariantsWithAndWithoutPreprocessing))]
    public void Onnx_runtime_gives_the_kits_outputs_on_real_images_at_batch_7_and_1(string variant, bool includePreprocessing)
    {
        var (model, preprocessing) = ExportFixture.Build(variant);
        var path = Path.Combine(temp.Path, $"{variant}.onnx");
        var images = ExportFixture.Images();
        try
        {
            var result = ModelExport.ToOnnx(model, path, new OnnxExportOptions { Preprocessing = preprocessing, ImageSize = ExportFixture.ImageSize, IncludePreprocessing = includePreprocessing });

            var batch = OnnxAgreement.Measure(model, path, images);
            var single = OnnxAgreement.Measure(model, path, images.Take(1).ToList());

            Console.WriteLine($"{variant}{(includePreprocessing ? " +preprocessing" : "")}: {batch}; ops {string.Join(",", result.Operators)}");
            Assert.Equal(7, batch.Images);
            Assert.True(batch.Agrees(), batch.ToString());
            Assert.True(single.Agrees(), single.ToString());
            Assert.Equal(batch.Images, batch.SameTop1);
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }
}

public class OnnxExportFileTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static readonly string[] Classes = ["T-shirt/top", "naïve \"quoted\" name", "日本語", "comma, and\nnewline"];

    [Fact]
    public void Metadata_round_trips_through_onnx_runtime_and_the_batch_dimension_is_dynamic()
    {
        var (model, _) = ExportFixture.Build("resnet18");
        using var _model = model;
        var preprocessing = new Preprocessing(232, 224, "bilinear", NotebookKit.Data.Transforms.Normalization.ImageNet);
        var written = ModelExport.ToOnnx(model.WithClassifier(Classes.Length), Path.Combine(temp.Path, "m.onnx"), new OnnxExportOptions { Classes = Classes, Preprocessing = preprocessing, ImageSize = 48 });

        using var session = new InferenceSession(written.Path);
        var read = OnnxModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, written.Path);

        Assert.Equal(Classes, read.Classes);
        Assert.Equal(48, read.InputSize);
        Assert.Equal(50, read.ResizeSize); // round(48 * 232 / 224), the kit's Eval(48) for these weights
        Assert.Equal("bilinear", read.Interpolation);
        Assert.Equal("RGB", read.ChannelOrder);
        Assert.Equal(1f / 255f, read.Scale);
        Assert.Equal(preprocessing.Normalization.Mean, read.Mean);
        Assert.Equal(preprocessing.Normalization.Std, read.Std);
        Assert.False(read.PreprocessingIncluded);
        Assert.Equal(("resnet18", "layer4"), (read.Architecture, read.LastStage));
        Assert.Equal(written.Metadata.ToProperties(), read.ToProperties());
        Assert.Equal("NotebookKit", session.ModelMetadata.ProducerName);

        var input = session.InputMetadata["input"];
        Assert.Equal([-1, 3, 48, 48], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal([-1, Classes.Length], session.OutputMetadata["logits"].Dimensions);
    }

    [Fact]
    public void With_the_preprocessing_included_the_input_is_uint8_nhwc_and_the_metadata_says_so()
    {
        var (model, _) = ExportFixture.Build("grayscale");
        using var _model = model;
        var written = ModelExport.ToOnnx(model, Path.Combine(temp.Path, "gray.onnx"), new OnnxExportOptions { ImageSize = 32, IncludePreprocessing = true });

        using var session = new InferenceSession(written.Path);
        var input = session.InputMetadata["image"];
        var read = OnnxModelMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, written.Path);

        Assert.Equal(typeof(byte), input.ElementType);
        Assert.Equal([-1, 32, 32, 3], input.Dimensions);
        Assert.True(read.PreprocessingIncluded);
        Assert.Equal("GRAY", read.ChannelOrder);
        Assert.Equal("NHWC uint8 RGB", session.ModelMetadata.CustomMetadataMap["input_layout"]);
        Assert.Equal([(0.485f + 0.456f + 0.406f) / 3], read.Mean); // a gray network: the channels' statistics averaged
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], read.Classes); // no names given: indices
    }

    [Fact]
    public void The_graph_uses_a_small_fixed_set_of_operators_and_every_opset_from_13_to_21_loads()
    {
        var (model, _) = ExportFixture.Build("resnet50-bottleneck");
        using var _model = model;
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", "gradient-256.png"));

        foreach (var opset in new[] { 13, 17, 21 })
        {
            var written = ModelExport.ToOnnx(model, Path.Combine(temp.Path, $"opset{opset}.onnx"), new OnnxExportOptions { Opset = opset, ImageSize = 32 });

            Assert.Equal(["Add", "BatchNormalization", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "MaxPool", "Relu"], written.Operators);
            Assert.True(OnnxAgreement.Measure(model, written.Path, [image]).Agrees());
        }
        var tooOld = Assert.Throws<ArgumentException>(() => ModelExport.ToOnnx(model, Path.Combine(temp.Path, "old.onnx"), new OnnxExportOptions { Opset = 12 }));
        Assert.Contains("13 to 21", tooOld.Message);
    }

    [Fact]
    public void An_unwritable_path_is_named_and_leaves_no_file()
    {
        var (model, _) = ExportFixture.Build("resnet18");
        using var _model = model;
        var notAFolder = TestImages.Text(Path.Combine(temp.Path, "notes.txt"), "a file, not a folder");
        var target = Path.Combine(notAFolder, "model.onnx");

        var error = Assert.Throws<KitException>(() => ModelExport.ToOnnx(model, target));

        Assert.Contains(target, error.Message);
        Assert.Contains("folder you can write to", error.Message);
        Assert.Equal([notAFolder], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void A_failed_export_leaves_an_existing_file_untouched_and_no_temporary_file()
    {
        var (model, _) = ExportFixture.Build("resnet18");
        using var _model = model;
        var target = TestImages.Text(Path.Combine(temp.Path, "model.onnx"), "the previous export");
        var withUnknownModule = model.WithPreprocess(TorchSharp.torch.nn.Identity());

        var error = Assert.Throws<NotSupportedException>(() => ModelExport.ToOnnx(withUnknownModule, target));

        Assert.Contains("preprocess is a Identity", error.Message);
        Assert.Equal("the previous export", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Class_names_that_do_not_fit_the_head_are_refused_with_both_counts()
    {
        var (model, _) = ExportFixture.Build("resnet18");
        using var _model = model;

        var error = Assert.Throws<ArgumentException>(() => ModelExport.ToOnnx(model, Path.Combine(temp.Path, "m.onnx"), new OnnxExportOptions { Classes = ["cat", "dog"] }));

        Assert.Contains("2 class names for a head with 5 outputs", error.Message);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
