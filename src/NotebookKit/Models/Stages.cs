namespace NotebookKit.Models;

/// <summary>The stage names every backbone uses (timm's convention), in order.</summary>
public static class Stages
{
    /// <summary>conv1, bn1, relu, maxpool.</summary>
    public const string Stem = "stem";
    /// <summary>The classifier.</summary>
    public const string Head = "head";

    /// <summary>The stages of the body, in order: stem, layer1..layer4.</summary>
    public static IReadOnlyList<string> Body { get; } = [Stem, "layer1", "layer2", "layer3", "layer4"];

    /// <summary>Every stage, in order, ending with the head.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Body, Head];

    /// <summary>Throws when <paramref name="stage"/> is not a stage name.</summary>
    public static string Check(string stage, string parameterName) =>
        All.Contains(stage) ? stage : throw new ArgumentException($"Unknown stage '{stage}'. Stages are: {string.Join(", ", All)}.", parameterName);
}
