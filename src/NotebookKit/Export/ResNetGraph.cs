using NotebookKit.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookKit.Export;

/// <summary>
/// Translates a <see cref="ResNetModel"/> into ONNX nodes, module by module, in the order of its forward pass
/// (preprocess, conv1, bn1, relu, maxpool, layer1..N, avgpool, flatten, fc), in eval mode: BatchNorm uses its
/// running statistics and is kept as <c>BatchNormalization</c> (ONNX Runtime fuses it into the convolution when it
/// loads the model; keeping it leaves every weight under its state-dict name), Dropout is the identity.
/// Weights are named as in the state dict (<c>layer1.0.conv1.weight</c>).
/// </summary>
static class ResNetGraph
{
    /// <summary>Appends the network, reading <paramref name="input"/> (N x C x size x size floats); returns the logits' name.</summary>
    public static string Append(OnnxGraphBuilder graph, ResNetModel model, string input, int imageSize)
    {
        var children = Children(model);
        var x = input;
        if (children.TryGetValue("preprocess", out var preprocess)) x = Module(graph, "preprocess", preprocess, x, imageSize);
        foreach (var name in (string[])["conv1", "bn1", "relu", "maxpool"]) x = Module(graph, name, children[name], x, imageSize);
        foreach (var stage in model.StageNames.Where(s => s.StartsWith("layer", StringComparison.Ordinal))) x = Module(graph, stage, children[stage], x, imageSize);
        x = Module(graph, "avgpool", children["avgpool"], x, imageSize);
        x = graph.Node("Flatten", "flatten", [x], [OnnxAttribute.Of("axis", 1L)]);
        return Module(graph, "fc", children["fc"], x, imageSize);
    }

    static Dictionary<string, nn.Module> Children(nn.Module module) =>
        module.named_children().ToDictionary(c => c.name, c => c.module, StringComparer.Ordinal);

    static string Module(OnnxGraphBuilder graph, string path, nn.Module module, string x, int imageSize) => module switch
    {
        Conv2d conv => Conv(graph, path, conv, x),
        SubsampledProjection projection => Projection(graph, path, projection, x),
        TorchSharp.Modules.BatchNorm bn => BatchNorm(graph, path, bn, x),
        ReLU => graph.Node("Relu", path, [x]),
        MaxPool2d pool => MaxPool(graph, path, pool, x),
        AdaptiveAvgPool2d pool when pool.output_size.All(s => s == 1) => graph.Node("GlobalAveragePool", path, [x]),
        Linear linear => Gemm(graph, path, linear, x),
        Dropout => x, // the identity in eval mode
        MeanImageSubtraction mean => SubtractMean(graph, path, mean, x, imageSize),
        Sequential sequential => sequential.named_children().Aggregate(x, (value, child) => Module(graph, $"{path}.{child.name}", child.module, value, imageSize)),
        Models.BasicBlock or Models.Bottleneck => Block(graph, path, module, x, imageSize),
        _ => throw new NotSupportedException($"{path} is a {module.GetType().Name}, which the ONNX exporter does not translate. "
            + "It translates the kit's ResNets: Conv2d, BatchNorm2d, ReLU, MaxPool2d, AdaptiveAvgPool2d(1), Linear, Dropout, Sequential, the kit's residual blocks, SubsampledProjection and MeanImageSubtraction."),
    };

    /// <summary>TorchVision's residual block: main path, plus the input (or its 1x1 projection), then ReLU.</summary>
    static string Block(OnnxGraphBuilder graph, string path, nn.Module block, string x, int imageSize)
    {
        var children = Children(block);
        string[] main = block is Models.Bottleneck
            ? ["conv1", "bn1", "relu1", "conv2", "bn2", "relu2", "conv3", "bn3"]
            : ["conv1", "bn1", "relu1", "conv2", "bn2"];
        var y = main.Aggregate(x, (value, name) => Module(graph, $"{path}.{name}", children[name], value, imageSize));
        var identity = children.TryGetValue("downsample", out var downsample) ? Module(graph, $"{path}.downsample", downsample, x, imageSize) : x;
        var sum = graph.Node("Add", $"{path}.add", [y, identity]);
        return graph.Node("Relu", $"{path}.relu", [sum]);
    }

    /// <summary>A subsampled projection is exported as what it computes: the 1x1 convolution with the subsampling step as its stride, then the norm.</summary>
    static string Projection(OnnxGraphBuilder graph, string path, SubsampledProjection projection, string x)
    {
        var y = Conv(graph, $"{path}.0", projection.Conv, x, strides: [projection.Stride, projection.Stride]);
        return projection.Norm is TorchSharp.Modules.BatchNorm bn
            ? BatchNorm(graph, $"{path}.1", bn, y)
            : throw new NotSupportedException($"{path}.1 is a {projection.Norm.GetType().Name}; the ONNX exporter translates BatchNorm2d there.");
    }

    static string Conv(OnnxGraphBuilder graph, string path, Conv2d conv, string x, long[]? strides = null)
    {
        if (conv.padding_type is not null || conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"{path}: only explicit zero padding is exported (got {conv.padding_type?.ToString() ?? conv.padding_mode.ToString()}).");
        var padding = conv.padding ?? [0, 0];
        string[] inputs = conv.bias is null
            ? [x, Weight(graph, $"{path}.weight", conv.weight!)]
            : [x, Weight(graph, $"{path}.weight", conv.weight!), Weight(graph, $"{path}.bias", conv.bias)];
        return graph.Node("Conv", path, inputs,
        [
            OnnxAttribute.Of("kernel_shape", conv.kernel_size),
            OnnxAttribute.Of("strides", strides ?? conv.stride),
            OnnxAttribute.Of("pads", [.. padding, .. padding]), // [top, left, bottom, right]
            OnnxAttribute.Of("dilations", conv.dilation),
            OnnxAttribute.Of("group", conv.groups),
        ]);
    }

    static string BatchNorm(OnnxGraphBuilder graph, string path, TorchSharp.Modules.BatchNorm bn, string x)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new NotSupportedException($"{path}: a BatchNorm2d without running statistics (track_running_stats=false) has no eval-mode form to export.");
        long channels = bn.num_features;
        var scale = bn.weight is null ? graph.Constant($"{path}.weight", Enumerable.Repeat(1f, (int)channels).ToArray(), channels) : Weight(graph, $"{path}.weight", bn.weight);
        var bias = bn.bias is null ? graph.Constant($"{path}.bias", new float[channels], channels) : Weight(graph, $"{path}.bias", bn.bias);
        return graph.Node("BatchNormalization", path,
            [x, scale, bias, Weight(graph, $"{path}.running_mean", bn.running_mean), Weight(graph, $"{path}.running_var", bn.running_var)],
            [OnnxAttribute.Of("epsilon", (float)bn.eps)]);
    }

    static string MaxPool(OnnxGraphBuilder graph, string path, MaxPool2d pool, string x)
    {
        var padding = pool.padding ?? [0, 0];
        var stride = pool.stride ?? pool.kernel_size;
        return graph.Node("MaxPool", path, [x],
        [
            OnnxAttribute.Of("kernel_shape", pool.kernel_size),
            OnnxAttribute.Of("strides", stride),
            OnnxAttribute.Of("pads", [.. padding, .. padding]),
            OnnxAttribute.Of("dilations", pool.dilation ?? [1, 1]),
            OnnxAttribute.Of("ceil_mode", pool.ceil_mode ? 1L : 0L),
        ]);
    }

    /// <summary>A linear layer: Gemm(x, W, b) with W transposed (torch stores out x in).</summary>
    static string Gemm(OnnxGraphBuilder graph, string path, Linear linear, string x)
    {
        string[] inputs = linear.bias is null
            ? [x, Weight(graph, $"{path}.weight", linear.weight!)]
            : [x, Weight(graph, $"{path}.weight", linear.weight!), Weight(graph, $"{path}.bias", linear.bias)];
        return graph.Node("Gemm", path, inputs, [OnnxAttribute.Of("transB", 1L)]);
    }

    /// <summary>The mean image at the export's input size (resized as the module does at that size), subtracted.</summary>
    static string SubtractMean(OnnxGraphBuilder graph, string path, MeanImageSubtraction module, string x, int imageSize)
    {
        using var scope = NewDisposeScope();
        var mean = module.MeanAt(imageSize, imageSize);
        return graph.Node("Sub", path, [x, Weight(graph, $"{path}.mean_image", mean)]);
    }

    static string Weight(OnnxGraphBuilder graph, string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return graph.Constant(name, values.data<float>().ToArray(), values.shape);
    }
}
