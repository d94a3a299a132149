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
