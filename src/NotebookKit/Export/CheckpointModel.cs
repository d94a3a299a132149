using System.Globalization;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using static TorchSharp.torch;

namespace NotebookKit.Export;

/// <summary>A model rebuilt from a checkpoint, with what is known about feeding it.</summary>
/// <param name="Model">The model, weights loaded (eval-ready; any variant: head, truncation, grayscale, mean image).</param>
/// <param name="WeightsPath">The weights file read.</param>
/// <param name="Card">The checkpoint's <c>model.json</c>, when there is one.</param>
/// <param name="Classes">Class names (the card's), or null when unknown.</param>
/// <param name="Preprocessing">The card's preprocessing, else the one the weights imply (ML.NET's for a mean image, else ImageNet's).</param>
/// <param name="ImageSize">The card's training input size, else the preprocessing's crop size.</param>
public sealed record LoadedCheckpoint(ResNetModel Model, string WeightsPath, ModelCard? Card, IReadOnlyList<string>? Classes, Preprocessing Preprocessing, int ImageSize);

/// <summary>
/// Rebuilds a trained model from what <c>nbkit train --out DIR</c> leaves (or any ResNet state dict): the structure is read
/// from the weights' names and shapes (block type and count per stage, truncation, 1-channel input, mean image, head with
/// dropout / hidden layer), the architecture checked against <c>--arch</c> or the card, then the weights loaded.
/// </summary>
public static class CheckpointModel
{
    /// <summary>Weights looked for in a checkpoint folder, in order: the best epoch, then the last, then a bare model file.</summary>
    public static IReadOnlyList<string> WeightsInFolder { get; } = ["best.safetensors", Path.Combine("last", "model.safetensors"), "model.safetensors"];

    /// <summary>
    /// Loads <paramref name="checkpoint"/> (a folder written by <c>nbkit train --out</c>, its <c>last/</c>, or a .safetensors/.pth file).
    /// <paramref name="architecture"/>, when given, overrides the card's and must fit the weights.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing there, or a folder without weights.</exception>
    /// <exception cref="WeightsFormatException">The file is not a ResNet state dict, or does not fit the architecture; the message says which.</exception>
    /// <exception cref="ArgumentException">An unknown architecture name, or one the weights do not fit.</exception>
    public static LoadedCheckpoint Load(string checkpoint, string? architecture = null)
    {
        var (weights, cardPath) = Locate(checkpoint);
        var card = cardPath is null ? null : ModelCard.Read(cardPath);
        var state = StateDicts.Read(weights);
        try
        {
            var structure = CheckpointStructure.Of(state, weights);
            var arch = structure.Resolve(architecture ?? card?.Architecture, architecture is not null ? "--arch" : cardPath!, weights);
            if (card is not null && card.Classes.Count != structure.Classes)
                throw new WeightsFormatException($"{cardPath} lists {card.Classes.Count} classes but {weights} has a {structure.Classes}-way head: the card belongs to another run. Delete it or export the matching weights.");
            var model = structure.Build(arch);
            var report = StateDicts.LoadInto(model, state, skipHeadIfClassesDiffer: false);
            if (!report.Complete || report.Missing.Any(m => !m.EndsWith("num_batches_tracked", StringComparison.Ordinal)))
                throw new WeightsFormatException($"{weights}: the weights do not fit {arch.Name} as read from their names ({report}).");
            var preprocessing = card?.Preprocessing ?? (structure.MeanImage is not null ? WeightsRegistry.MlNetImageNet.Preprocessing : Preprocessing.ImageNetDefault);
            return new LoadedCheckpoint(model, weights, card, card?.Classes, preprocessing, card?.ImageSize ?? preprocessing.CropSize);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    static (string Weights, string? Card) Locate(string checkpoint)
    {
        if (Directory.Exists(checkpoint))
        {
            var weights = WeightsInFolder.Select(w => Path.Combine(checkpoint, w)).FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException($"{checkpoint}: no weights in this folder (looked for {string.Join(", ", WeightsInFolder)}, which `nbkit train --out DIR` writes). Pass the folder of a training run, or a .safetensors/.pth file.");
            return (weights, CardNear(checkpoint));
        }
        if (File.Exists(checkpoint)) return (checkpoint, CardNear(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!));
        throw new FileNotFoundException($"{checkpoint}: no such file or folder. Pass the folder given to `nbkit train --out`, or a weights file.", checkpoint);
    }

    /// <summary>model.json in the folder, or for a run's <c>last/</c> folder in the run's folder.</summary>
    static string? CardNear(string folder)
    {
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        string?[] places = [full, Path.GetFileName(full) == "last" ? Path.GetDirectoryName(full) : null];
        return places.OfType<string>().Select(f => Path.Combine(f, ModelCard.FileName)).FirstOrDefault(File.Exists);
    }
}

/// <summary>The structure a ResNet state dict implies.</summary>
sealed record CheckpointStructure(ResidualBlock Block, IReadOnlyList<int> BlocksPerStage, int InputChannels, long[]? MeanImage, int Classes, double Dropout, int? Hidden)
{
    const string NotAModel = "expected the weights of a kit ResNet (best.safetensors or last/model.safetensors from `nbkit train --out`)";

    public static CheckpointStructure Of(IReadOnlyDictionary<string, Tensor> state, string path)
    {
        if (!state.TryGetValue("conv1.weight", out var conv1) || conv1.dim() != 4)
            throw new WeightsFormatException($"{path}: not a ResNet checkpoint (no 4-D conv1.weight among its {state.Count} tensors); {NotAModel}.");
        var blocks = new List<int>();
        for (int stage = 1; stage <= 4; stage++)
        {
            var prefix = $"layer{stage}.";
            int count = state.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                .Select(k => int.Parse(k[prefix.Length..].Split('.')[0], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
            if (count == 0) break;
            blocks.Add(count);
        }
        if (conv1.shape[1] is not (1 or 3))
            throw new WeightsFormatException($"{path}: conv1 takes {conv1.shape[1]} channels; the kit's ResNets take 3 (RGB/BGR) or 1 (grayscale).");
        var block = state.Keys.Any(k => k.EndsWith(".conv3.weight", StringComparison.Ordinal)) ? ResidualBlock.Bottleneck : ResidualBlock.Basic;
        var mean = state.TryGetValue("preprocess.mean_image", out var m) ? m.shape : null;
        // The heads ResNetModel.WithClassifier makes: fc (linear), fc.1 (dropout, linear), fc.0 + fc.3 (linear, relu, dropout, linear).
        (int Classes, double Dropout, int? Hidden) head =
            state.TryGetValue("fc.weight", out var fc) ? ((int)fc.shape[0], 0, null)
            : state.TryGetValue("fc.1.weight", out var fc1) ? ((int)fc1.shape[0], 0.5, null)
            : state.TryGetValue("fc.3.weight", out var fc3) && state.TryGetValue("fc.0.weight", out var fc0) ? ((int)fc3.shape[0], 0.5, (int)fc0.shape[0])
            : throw new WeightsFormatException($"{path}: no classifier (fc.weight, fc.1.weight or fc.0/fc.3.weight); {NotAModel}.");
        return new CheckpointStructure(block, blocks, (int)conv1.shape[1], mean, head.Classes, head.Dropout, head.Hidden);
    }

    /// <summary>The last body stage the weights have.</summary>
    public string LastStage => BlocksPerStage.Count == 0 ? Stages.Stem : $"layer{BlocksPerStage.Count}";

    string Describe() => $"{Block.ToString().ToLowerInvariant()} blocks [{string.Join(",", BlocksPerStage)}]{(BlocksPerStage.Count < 4 ? $" (truncated after {LastStage})" : "")}";

    /// <summary>The architecture: <paramref name="requested"/> when the weights fit it, else the first known one they fit.</summary>
    public ResNetArchitecture Resolve(string? requested, string requestedBy, string path)
    {
        var fits = ResNetArchitecture.All.Where(a => a.Block == Block && a.Layers.Take(BlocksPerStage.Count).SequenceEqual(BlocksPerStage)).ToList();
        if (requested is not null)
        {
            var wanted = ResNetArchitecture.Find(requested);
            if (fits.Contains(wanted)) return wanted;
            throw new ArgumentException($"Architecture mismatch: {path} holds a ResNet with {Describe()}, but {requestedBy} says {wanted.Name} ({wanted.Block.ToString().ToLowerInvariant()} blocks [{string.Join(",", wanted.Layers)}]). "
                + (fits.Count > 0 ? $"Use --arch {fits[0].Name}, or leave --arch out." : "No known architecture fits these weights."));
        }
        return fits.FirstOrDefault() ?? throw new WeightsFormatException($"{path}: a ResNet with {Describe()} matches no known architecture ({string.Join(", ", ResNetArchitecture.All.Select(a => a.Name))}).");
    }

    /// <summary>A model of this structure (random weights, to be loaded).</summary>
    public ResNetModel Build(ResNetArchitecture architecture)
    {
        var model = ResNetModel.Create(architecture);
        if (InputChannels == 1) model = model.WithGrayscaleInput();
        if (MeanImage is not null)
        {
            using var placeholder = zeros(MeanImage);
            model = model.WithPreprocess(new MeanImageSubtraction(placeholder));
        }
        if (BlocksPerStage.Count < 4) model = model.TruncatedAfter(LastStage, Classes);
        return model.WithClassifier(Classes, Dropout, Hidden);
    }
}
