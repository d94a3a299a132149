namespace NotebookKit.Experiments;

/// <summary>A named protocol for <c>nbkit compare</c>: settings, strategies and seeds. Data, not code.</summary>
public sealed record Preset(string Name, string Description, TrainSettings Settings, string Strategies, int Seeds, bool PreferResNet50)
{
    /// <summary>A line shown with the results when they are not an answer (the smoke preset), else null.</summary>
    public string? Caveat { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Description}; strategies {Strategies}";

    /// <summary>The presets.</summary>
    public static IReadOnlyList<Preset> All { get; } =
    [
        new("smoke", "~1 minute on a 2-core CPU: 20 training / 10 validation images per class, 32 px, 3 epochs, one seed (tests, CI, notebooks in smoke mode)",
            new TrainSettings { Epochs = 3, ImageSize = 32, BatchSize = 32, TrainPerClass = 20, ValidationPerClass = 10, LearningRate = 0.01 },
            "scratch,frozen,finetune", 1, PreferResNet50: false)
        {
            Caveat = "Smoke test: 20 images per class, 32 px, 3 epochs, one seed. These numbers check that everything runs; they are not an answer (use --preset default).",
        },
        new("default", "about 8 minutes on a 2-core CPU: the whole embedded set (or your data), 64 px, 4 epochs, three seeds",
            new TrainSettings { Epochs = 4, ImageSize = 64, BatchSize = 32, LearningRate = 0.01 },
            "scratch,frozen,finetune", 3, PreferResNet50: false),
        new("full", "for a GPU or a patient user: 160 px, 10 epochs with augmentation, three seeds, ResNet-50 when its weights are available",
            new TrainSettings { Epochs = 10, ImageSize = 160, BatchSize = 32, Augment = true, LearningRate = 0.01 },
            "scratch,frozen,finetune,full", 3, PreferResNet50: true),
    ];

    /// <summary>The preset named <paramref name="name"/>.</summary>
    public static Preset Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown preset '{name}'. Presets: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
}
