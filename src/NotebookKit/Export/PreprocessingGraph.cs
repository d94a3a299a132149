namespace NotebookKit.Export;

/// <summary>
/// The preprocessing baked into the graph (<c>--include-preprocessing</c>): takes the centre-cropped image as
/// uint8 RGB, N x H x W x 3 (what an image library hands over), and gives the network's normalized N x C x H x W
/// floats: Cast, Transpose to channels first, the channel order (Gather for BGR, a 1x1 Conv with the luma weights
/// for a gray network), then value · multiplier + offset per channel (Mul, Add). The same numbers as the kit's
/// pipeline (<see cref="Data.Transforms.ImagePipeline"/>). Resizing and cropping stay outside: they depend on the
/// image's size, and ONNX's Resize does not reproduce the kit's antialiased resampling.
/// </summary>
static class PreprocessingGraph
{
    /// <summary>Appends the nodes after <paramref name="image"/>; returns the name of the normalized tensor.</summary>
    public static string Append(OnnxGraphBuilder graph, string image, OnnxModelMetadata metadata)
    {
        var x = graph.Node("Cast", "preprocessing.cast", [image], [OnnxAttribute.Of("to", (long)OnnxElementType.Float)]);
        x = graph.Node("Transpose", "preprocessing.nchw", [x], [OnnxAttribute.Of("perm", [0L, 3, 1, 2])]);
        if (metadata.Channels == 1)
        {
            var luma = graph.Constant("preprocessing.gray_weights", [.. OnnxModelMetadata.GrayWeights], 1, 3, 1, 1);
            x = graph.Node("Conv", "preprocessing.gray", [x, luma], [OnnxAttribute.Of("kernel_shape", [1L, 1])]);
        }
        else if (metadata.ChannelOrder == "BGR")
        {
            var order = graph.Constant("preprocessing.bgr_indices", [2L, 1, 0], 3);
            x = graph.Node("Gather", "preprocessing.bgr", [x, order], [OnnxAttribute.Of("axis", 1L)]);
        }
        var affine = metadata.Affine;
        long channels = affine.Count;
        // The kit's pipeline computes byte * multiplier + offset in float; skipped where they are 1 and 0 (mean-image weights).
        if (affine.Any(a => a.Multiplier != 1f))
            x = graph.Node("Mul", "preprocessing.scale", [x, graph.Constant("preprocessing.multiplier", affine.Select(a => a.Multiplier).ToArray(), 1, channels, 1, 1)]);
        if (affine.Any(a => a.Offset != 0f))
            x = graph.Node("Add", "preprocessing.shift", [x, graph.Constant("preprocessing.offset", affine.Select(a => a.Offset).ToArray(), 1, channels, 1, 1)]);
        return x;
    }
}
