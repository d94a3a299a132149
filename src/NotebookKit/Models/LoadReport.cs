namespace NotebookKit.Models;

/// <summary>What loading a state dict into a model did, key by key.</summary>
/// <param name="Loaded">Keys copied into the model.</param>
/// <param name="Missing">Keys the model has and the file lacks (they keep their current values).</param>
/// <param name="Unexpected">Keys the file has and the model lacks (ignored).</param>
/// <param name="Mismatched">Keys present in both with different shapes (not loaded).</param>
/// <param name="SkippedHead">The head was left as it was (or made new) on purpose: the file's class count differs, or it has no head.</param>
public sealed record LoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Mismatched, bool SkippedHead)
{
    /// <summary>
    /// Everything loaded but an intentionally skipped head: no missing key (BatchNorm's <c>num_batches_tracked</c> aside,
    /// which torchvision's files lack), no mis-shaped key, no unexpected key (outside a skipped head).
    /// </summary>
    public bool Complete => Missing.All(m => m.EndsWith("num_batches_tracked", StringComparison.Ordinal) || (SkippedHead && IsHead(m)))
        && Unexpected.All(u => SkippedHead && IsHead(u)) && Mismatched.Count == 0;

    /// <summary>The keys that make the load incomplete (see <see cref="Complete"/>): missing, then mis-shaped, then unexpected.</summary>
    public IReadOnlyList<string> MissingThatMatter => Missing.Where(m => !m.EndsWith("num_batches_tracked", StringComparison.Ordinal) && !(SkippedHead && IsHead(m))).ToList();

    /// <summary>Unexpected keys that make the load incomplete (those of a skipped head do not).</summary>
    public IReadOnlyList<string> UnexpectedThatMatter => Unexpected.Where(u => !(SkippedHead && IsHead(u))).ToList();

    /// <summary>
    /// One line for every output of a partial load (allowed on purpose): what was not loaded, so a result is never
    /// mistaken for one of the whole pretrained model. Null when the load is complete.
    /// </summary>
    public string? PartialNote => Complete ? null
        : $"partial weights (allowed): {Loaded.Count} keys loaded; {MissingThatMatter.Count} missing, {Mismatched.Count} mis-shaped, {UnexpectedThatMatter.Count} unexpected; those layers keep their random values";

    static bool IsHead(string key) => key.StartsWith("fc.", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string> { $"{Loaded.Count} loaded" };
        if (SkippedHead) parts.Add("head new (class count differs, or the file has none)");
        if (Missing.Count > 0) parts.Add($"missing: {List(Missing)}");
        if (Unexpected.Count > 0) parts.Add($"unexpected: {List(Unexpected)}");
        if (Mismatched.Count > 0) parts.Add($"mis-shaped: {List(Mismatched)}");
        return string.Join("; ", parts);
    }

    /// <summary>The first <paramref name="first"/> names and how many more.</summary>
    internal static string List(IReadOnlyList<string> names, int first = 8) =>
        string.Join(", ", names.Take(first)) + (names.Count > first ? $" (+{names.Count - first} more)" : "");
}
