using NotebookKit.Downloads;
using static TorchSharp.torch;

namespace NotebookKit.Models.Weights;

/// <summary>
/// Imports ML.NET's ImageNet ResNet18 (ONNX, from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18)
/// into the kit's [2,2,2,3] BasicBlock ResNet under torchvision's names, with its input convention (BGR 0..255
/// minus a per-pixel mean image) folded into the model as a <see cref="MeanImageSubtraction"/>.
/// </summary>
public static class MlNetImport
{
    /// <summary>The package file holding the preprocessing graph (and its MeanImage).</summary>
    public const string PreprocessPath = "tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx";

    /// <summary>Builds the model from the two ONNX files. The head is a fresh 1000-way linear layer (the ONNX model has none).</summary>
    public static ResNetModel Import(string resnetOnnx, string preprocessOnnx)
    {
        var graph = OnnxGraph.Read(resnetOnnx);
        var prep = OnnxGraph.Read(preprocessOnnx);
        var meanImage = prep.Initializers.TryGetValue("MeanImage", out var m) ? m
            : throw new WeightsFormatException($"{preprocessOnnx}: no 'MeanImage' initializer; not ML.NET's ResNet preprocessing graph.");

        // (conv weight, batch norm params) pairs in graph order: each Conv followed by the BatchNormalization reading its output.
        var pairs = new List<(OnnxTensor Conv, OnnxTensor[] Bn)>();
        foreach (var conv in graph.Nodes.Where(n => n.OpType == "Conv"))
        {
            var bn = graph.Nodes.FirstOrDefault(n => n.OpType == "BatchNormalization" && n.Inputs[0] == conv.Outputs[0])
                ?? throw new WeightsFormatException($"{resnetOnnx}: convolution {conv.Outputs[0]} has no batch normalization after it.");
            pairs.Add((graph.Initializers[conv.Inputs[1]], bn.Inputs.Skip(1).Select(i => graph.Initializers[i]).ToArray()));
        }

        var architecture = ResNetArchitecture.Find("resnet18-2223");
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        int next = 0;
        void Take(string conv, string bn, (OnnxTensor Conv, OnnxTensor[] Bn) pair)
        {
            state[$"{conv}.weight"] = tensor(pair.Conv.Values, pair.Conv.Shape);
            string[] names = ["weight", "bias", "running_mean", "running_var"];
            for (int i = 0; i < 4; i++) state[$"{bn}.{names[i]}"] = tensor(pair.Bn[i].Values, pair.Bn[i].Shape);
        }
        if (pairs.Count != 1 + architecture.Layers.Sum() * 2 + 3)
            throw new WeightsFormatException($"{resnetOnnx}: {pairs.Count} convolutions; a [2,2,2,3] BasicBlock ResNet has {1 + architecture.Layers.Sum() * 2 + 3}.");
        Take("conv1", "bn1", pairs[next++]);
        for (int layer = 1; layer <= 4; layer++)
        {
            for (int block = 0; block < architecture.Layers[layer - 1]; block++)
            {
                var prefix = $"layer{layer}.{block}";
                if (layer > 1 && block == 0)
                {
                    // A projection block: its 1x1 shortcut conv comes first among its three convolutions in this export.
                    var three = pairs.Skip(next).Take(3).ToList();
                    var projection = three.Single(p => p.Conv.Shape[2] == 1);
                    var main = three.Where(p => p.Conv.Shape[2] != 1).ToList();
                    Take($"{prefix}.downsample.0", $"{prefix}.downsample.1", projection);
                    Take($"{prefix}.conv1", $"{prefix}.bn1", main[0]);
                    Take($"{prefix}.conv2", $"{prefix}.bn2", main[1]);
                    next += 3;
                }
                else
                {
                    Take($"{prefix}.conv1", $"{prefix}.bn1", pairs[next++]);
                    Take($"{prefix}.conv2", $"{prefix}.bn2", pairs[next++]);
                }
            }
        }
        using var mean = tensor(meanImage.Values, meanImage.Shape);
        state["preprocess.mean_image"] = mean.clone();

        var model = ResNetModel.Create(architecture).WithPreprocess(new MeanImageSubtraction(mean));
        var report = StateDicts.LoadInto(model, state, skipHeadIfClassesDiffer: false, allowPartial: true); // checked below, with its own message
        foreach (var t in state.Values) t.Dispose();
        if (report.Mismatched.Count > 0 || report.Unexpected.Count > 0 || report.Missing.Any(k => !k.StartsWith("fc.", StringComparison.Ordinal) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
            throw new WeightsFormatException($"{resnetOnnx}: import did not fit the [2,2,2,3] ResNet: {report}");
        return model;
    }
}
