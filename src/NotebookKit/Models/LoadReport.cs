using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>What loading a state dict into a model did, key by key.</summary>
/// <param name="Loaded">Keys copied into the model.</param>
/// <param name="Missing">Keys the model has and the file lacks (they keep their current values).</param>
/// <param name="Unexpected">Keys the file has and the model lacks (ignored).</param>
/// <param name="Mismatched">Keys present in both with different shapes (not loaded).</param>
/// <param name="SkippedHead">The head was left as it was because the file's class count differs.</param>
public sealed record LoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Mismatched, bool SkippedHead)
{
    /// <summary>Everything but an intentionally skipped head loaded.</summary>
    public bool Complete => Missing.All(m => m.EndsWith("num_batches_tracked", StringComparison.Ordinal) || (SkippedHead && ResNetModel.StageOf(m) == Stages.Head))
        && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string> { $"{Loaded.Count} loaded" };
        if (SkippedHead) parts.Add("head skipped (class count differs)");
        if (Missing.Count > 0) parts.Add($"missing: {string.Join(", ", Missing.Take(8))}{(Missing.Count > 8 ? $" (+{Missing.Count - 8})" : "")}");
        if (Unexpected.Count > 0) parts.Add($"unexpected: {string.Join(", ", Unexpected.Take(8))}{(Unexpected.Count > 8 ? $" (+{Unexpected.Count - 8})" : "")}");
        if (Mismatched.Count > 0) parts.Add($"mis-shaped: {string.Join(", ", Mismatched.Take(8))}");
        return string.Join("; ", parts);
    }
}
