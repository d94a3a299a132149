using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>A named protocol for <c>nbkit transferability</c>: settings and seeds. Data, not code.</summary>
public sealed record TransferabilityPreset(string Name, string Description, TrainSettings Settings, int Seeds)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Description}";

    /// <summary>The presets (random initialisation: the experiment trains its own base networks).</summary>
    public static IReadOnlyList<TransferabilityPreset> All { get; } =
    [
        new("smoke", "about a minute on a 2-core CPU: 20 training / 10 validation images per class, 32 px, 2 epochs, one seed (tests)",
            new TrainSettings { Arch = "resnet18", Weights = "random", Epochs = 2, ImageSize = 32, BatchSize = 32, TrainPerClass = 20, ValidationPerClass = 10, Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 1),
        new("default", "the embedded data at 32 px, 4 epochs, two seeds",
            new TrainSettings { Arch = "resnet18", Weights = "random", Epochs = 4, ImageSize = 32, BatchSize = 32, Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 2),
        new("full", "64 px, 10 epochs with augmentation, three seeds (hours on a CPU)",
            new TrainSettings { Arch = "resnet18", Weights = "random", Epochs = 10, ImageSize = 64, BatchSize = 32, Augment = true, Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 3),
    ];

    /// <summary>The preset named <paramref name="name"/>.</summary>
    public static TransferabilityPreset Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown preset '{name}'. Presets: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
}
