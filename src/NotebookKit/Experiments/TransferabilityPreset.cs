using NotebookKit.Training;

namespace NotebookKit.Experiments;

/// <summary>A named protocol for <c>nbkit transferability</c>: settings and seeds. Data, not code.</summary>
public sealed record TransferabilityPreset(string Name, string Description, TrainSettings Settings, int Seeds)
{
    /// <summary>The depths n measured (stages copied, 1 = stem … 5 = layer4). Default 1..5.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [1, 2, 3, 4, 5];

    /// <summary>A line shown with the results when they are not an answer (the smoke preset), else null.</summary>
    public string? Caveat { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Description}";

    /// <summary>The presets (random initialisation: the experiment trains its own base networks).</summary>
    public static IReadOnlyList<TransferabilityPreset> All { get; } =
    [
        new("smoke", "about a minute on a 2-core CPU: 20 training / 10 validation images per class, 32 px, 2 epochs, one seed (tests)",
            new TrainSettings { Arch = "resnet18", Weights = "random", Epochs = 2, ImageSize = 32, BatchSize = 32, TrainPerClass = 20, ValidationPerClass = 10, Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 1)
        {
            Caveat = "Smoke test: 20 images per class, 2 epochs, one seed: its base networks are far from trained and its curves are noise. It checks that everything runs; it is not an answer.",
        },
        new("default", "the embedded data at 32 px, 8 epochs per network, three seeds with a random split each: about 45 minutes on a 2-core CPU",
            new TrainSettings { Arch = "resnet18", Weights = "random", Epochs = 8, ImageSize = 32, BatchSize = 32, Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 3),
        new("full", "64 px, 10 epochs with augmentation, three seeds (hours on a CPU)",
            new TrainSettings { Arch = "resnet18", Weights = "random", Epochs = 10, ImageSize = 64, BatchSize = 32, Augment = true, Optimizer = OptimizerKind.AdamW, LearningRate = 3e-3 }, 3),
    ];

    /// <summary>The preset named <paramref name="name"/>.</summary>
    public static TransferabilityPreset Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown preset '{name}'. Presets: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
}
