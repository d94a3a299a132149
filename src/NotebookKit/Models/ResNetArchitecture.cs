namespace NotebookKit.Models;

/// <summary>Which residual block a ResNet uses.</summary>
public enum ResidualBlock
{
    /// <summary>Two 3x3 convolutions (ResNet-18/34); expansion 1.</summary>
    Basic,
    /// <summary>1x1, 3x3, 1x1 convolutions (ResNet-50/101/152); expansion 4.</summary>
    Bottleneck,
}

/// <summary>A ResNet variant: its block and the number of blocks in each of layer1..layer4. Data, not a switch.</summary>
/// <param name="Name">The name users type: <c>resnet50</c>.</param>
/// <param name="Block">Basic or bottleneck blocks.</param>
/// <param name="Layers">Blocks in layer1..layer4.</param>
/// <param name="Description">One line for listings.</param>
public sealed record ResNetArchitecture(string Name, ResidualBlock Block, IReadOnlyList<int> Layers, string Description)
{
    /// <summary>Channel multiplier of the block's output (1 or 4).</summary>
    public int Expansion => Block == ResidualBlock.Basic ? 1 : 4;

    /// <summary>Output channels of each stage.</summary>
    public int ChannelsAfter(string stage) => stage switch
    {
        "stem" => 64,
        "layer1" => 64 * Expansion,
        "layer2" => 128 * Expansion,
        "layer3" => 256 * Expansion,
        "layer4" => 512 * Expansion,
        _ => throw new ArgumentException($"Unknown stage '{stage}'. Stages are: {string.Join(", ", Stages.Body)}.", nameof(stage)),
    };

    /// <summary>Pooled feature size of the whole backbone.</summary>
    public int FeatureSize => ChannelsAfter("layer4");

    /// <summary>
    /// The names in its state dict, in torchvision's spelling (in PyTorch's order), without BatchNorm's <c>num_batches_tracked</c>
    /// (torchvision's published files lack it): <c>conv1.weight</c>, <c>bn1.*</c>, <c>layerL.B.convN.weight</c>,
    /// <c>layerL.B.bnN.*</c>, <c>layerL.0.downsample.*</c>, <c>fc.weight</c>, <c>fc.bias</c>.
    /// </summary>
    public IEnumerable<string> StateDictKeys()
    {
        static IEnumerable<string> Norm(string name) => new[] { "weight", "bias", "running_mean", "running_var" }.Select(p => $"{name}.{p}");
        yield return "conv1.weight";
        foreach (var k in Norm("bn1")) yield return k;
        int inputs = 64;
        for (int layer = 1; layer <= 4; layer++)
        {
            int planes = 64 << (layer - 1);
            for (int block = 0; block < Layers[layer - 1]; block++)
            {
                var prefix = $"layer{layer}.{block}";
                for (int conv = 1; conv <= (Block == ResidualBlock.Basic ? 2 : 3); conv++)
                {
                    yield return $"{prefix}.conv{conv}.weight";
                    foreach (var k in Norm($"{prefix}.bn{conv}")) yield return k;
                }
                // torchvision adds a projection where the block changes resolution (stride 2) or width.
                if (block == 0 && (layer > 1 || inputs != planes * Expansion))
                {
                    yield return $"{prefix}.downsample.0.weight";
                    foreach (var k in Norm($"{prefix}.downsample.1")) yield return k;
                }
                inputs = planes * Expansion;
            }
        }
        yield return "fc.weight";
        yield return "fc.bias";
    }

    /// <summary>Every architecture the kit builds.</summary>
    public static IReadOnlyList<ResNetArchitecture> All { get; } =
    [
        new("resnet18", ResidualBlock.Basic, [2, 2, 2, 2], "ResNet-18 (He et al. 2015), 11.7M parameters"),
        new("resnet34", ResidualBlock.Basic, [3, 4, 6, 3], "ResNet-34, 21.8M parameters"),
        new("resnet50", ResidualBlock.Bottleneck, [3, 4, 6, 3], "ResNet-50, 25.6M parameters"),
        new("resnet101", ResidualBlock.Bottleneck, [3, 4, 23, 3], "ResNet-101, 44.5M parameters"),
        new("resnet152", ResidualBlock.Bottleneck, [3, 8, 36, 3], "ResNet-152, 60.2M parameters"),
        new("resnet18-2223", ResidualBlock.Basic, [2, 2, 2, 3], "BasicBlock ResNet with layer4 of 3 blocks: the architecture of ML.NET's ImageNet ResNet18 weights"),
    ];

    /// <summary>The architecture named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ResNetArchitecture Find(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown architecture '{name}'. Known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));
}
