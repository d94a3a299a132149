using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

/// <summary>The imported ML.NET ImageNet ResNet18 against ONNX Runtime running the original ONNX graphs.</summary>
public class MlNetImportTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static string PackageFile(string path) => Path.Combine(NotebookKit.KitPaths.NuGetPackages!,
        "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", path);

    static float[] OnnxRuntimeFeatures(float[] rgb)
    {
        using var prep = new InferenceSession(PackageFile(MlNetImport.PreprocessPath));
        using var net = new InferenceSession(PackageFile("tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"));
        var input = new DenseTensor<float>(rgb, [1, 3, 224, 224]);
        using var prepped = prep.Run([NamedOnnxValue.CreateFromTensor(prep.InputMetadata.Keys.Single(), input)]);
        var bgrMinusMean = prepped.First().AsTensor<float>().ToDenseTensor();
        using var output = net.Run([NamedOnnxValue.CreateFromTensor(net.InputMetadata.Keys.Single(), bgrMinusMean)]);
        return output.First().AsEnumerable<float>().ToArray();
    }

    [Fact]
    public void Imported_features_match_onnx_runtime_on_the_same_rgb_image()
    {
        TorchRuntime.Require();
        var random = new Random(11);
        var rgb = Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)random.Next(256)).ToArray();
        var expected = OnnxRuntimeFeatures(rgb);

        var store = new WeightsStore(temp.Path);
        var pretrained = Pretrained.Load("resnet18", "mlnet-imagenet", store: store);
        var model = pretrained.Model;
        model.eval();
        using var scope = NewDisposeScope();
        // The weights' preprocessing delivers BGR 0..255; the mean image is subtracted inside the model.
        Assert.Equal(NotebookKit.Data.Transforms.ChannelOrder.Bgr, pretrained.Preprocessing.Normalization.Order);
        var bgr = tensor(rgb, [1, 3, 224, 224]).flip(1);
        var actual = model.ForwardFeatures(bgr).data<float>().ToArray();

        Assert.Equal(512, expected.Length);
        double scale = expected.Max(Math.Abs), worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1e-4 * scale, $"largest difference {worst:G4} vs scale {scale:G4}");
        Assert.Equal("resnet18-2223", model.Architecture.Name);
        Assert.True(File.Exists(store.PathOf(WeightsRegistry.MlNetImageNet)), "the import is cached as safetensors");
    }

    [Fact]
    public void A_cached_import_loads_with_its_mean_image()
    {
        TorchRuntime.Require();
        var store = new WeightsStore(temp.Path);
        using var first = Pretrained.Load("resnet18", "mlnet-imagenet", numClasses: 10, store: store).Model;
        var again = Pretrained.Load("resnet18", "mlnet-imagenet", numClasses: 10, store: store);

        Assert.True(again.Report.SkippedHead);
        Assert.Equal(10, again.Model.NumClasses);
        Assert.Contains("preprocess.mean_image", again.Model.state_dict().Keys);
        Assert.InRange(again.Model.state_dict()["preprocess.mean_image"].mean().item<float>(), 110f, 118f);
        Assert.True(Tensors.Same(first.state_dict()["layer4.2.conv2.weight"], again.Model.state_dict()["layer4.2.conv2.weight"]));
    }
}
