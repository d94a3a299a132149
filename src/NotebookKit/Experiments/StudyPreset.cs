namespace NotebookKit.Experiments;

/// <summary>A named protocol for <c>nbkit study</c>: settings, sizes, strategies, seeds and budget. Data, not code.</summary>
public sealed record StudyPreset(string Name, string Description, TrainSettings Settings, IReadOnlyList<int> Sizes, string Strategies, int Seeds, StudyBudget Budget)
{
    /// <summary>A line shown with the results when they are not an answer (the smoke preset), else null.</summary>
    public string? Caveat { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Description}";

    /// <summary>The presets.</summary>
    public static IReadOnlyList<StudyPreset> All { get; } =
    [
        new("smoke", "under 2 minutes on a 2-core CPU: 5 and 10 images per class, 32 px, 10 validation images per class, one seed (tests, notebooks in smoke mode)",
            new TrainSettings { ImageSize = 32, BatchSize = 16, ValidationPerClass = 10, LearningRate = 0.01 }, [5, 10], "scratch,frozen,finetune", 1, new StudyBudget(Epochs: 2, MinSteps: 6))
        {
            Caveat = "Smoke test: tiny sizes, 32 px, one seed. These numbers check that everything runs; they are not an answer (use --preset default).",
        },
        new("default", "about 20-30 minutes on a 2-core CPU: 5, 20 and 100 images per class at 64 px, three seeds, the whole validation set",
            new TrainSettings { ImageSize = 64, BatchSize = 32, LearningRate = 0.01 }, [5, 20, 100], "scratch,frozen,finetune", 3, new StudyBudget()),
        new("full", "for a large dataset and a GPU or a patient user: 5 to 2000 images per class at 64 px, three seeds",
            new TrainSettings { ImageSize = 64, BatchSize = 32, LearningRate = 0.01 }, [5, 20, 100, 500, 2000], "scratch,frozen,finetune", 3, new StudyBudget()),
    ];

    /// <summary>The preset named <paramref name="name"/>.</summary>
    public static StudyPreset Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown preset '{name}'. Presets: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
}
