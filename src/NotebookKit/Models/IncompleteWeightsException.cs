namespace NotebookKit.Models;

/// <summary>
/// A weights file that does not fit the model: keys missing, mis-shaped or unexpected (a head replaced on purpose
/// aside). The message names the file, the first keys of each kind with their counts, the likely cause (another
/// architecture, a key prefix) and the way to load what fits anyway.
/// </summary>
public sealed class IncompleteWeightsException : KitException
{
    /// <summary>A failure described by <paramref name="message"/>, for <paramref name="report"/>.</summary>
    public IncompleteWeightsException(string message, LoadReport report) : base(message) => Report = report;

    /// <summary>What the load would have done, key by key.</summary>
    public LoadReport Report { get; }

    /// <summary>The exception for loading <paramref name="source"/> (a file, or a description) into a <paramref name="architecture"/> model.</summary>
    /// <param name="source">The file (or "the state dict").</param>
    /// <param name="architecture">The model's architecture.</param>
    /// <param name="report">The incomplete load.</param>
    /// <param name="fileKeys">Every key of the file, for the diagnosis.</param>
    internal static IncompleteWeightsException For(string source, ResNetArchitecture architecture, LoadReport report, IEnumerable<string> fileKeys)
    {
        static bool Tracked(string k) => k.EndsWith("num_batches_tracked", StringComparison.Ordinal);
        int modelKeys = report.Loaded.Count(k => !Tracked(k)) + report.Missing.Count(k => !Tracked(k)) + report.Mismatched.Count;
        var missing = report.MissingThatMatter;
        var unexpected = report.UnexpectedThatMatter;
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"{missing.Count} of its {modelKeys} keys missing ({LoadReport.List(missing, 5)})");
        if (report.Mismatched.Count > 0) parts.Add($"{report.Mismatched.Count} mis-shaped ({LoadReport.List(report.Mismatched, 3)})");
        if (unexpected.Count > 0) parts.Add($"{unexpected.Count} unexpected ({LoadReport.List(unexpected, 5)})");
        var message = $"{source}: these weights do not fit {architecture.Name}: {string.Join(", ", parts)}. {LikelyCause(architecture, fileKeys.ToList())} "
            + "To load only the keys that fit (surgery experiments), pass --allow-partial-weights (allowPartial: true in code).";
        return new IncompleteWeightsException(message, report);
    }

    /// <summary>Which architecture the file's keys fit best, or the prefix they all share.</summary>
    static string LikelyCause(ResNetArchitecture wanted, List<string> fileKeys)
    {
        static bool Counts(string k) => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal) && !k.StartsWith("fc.", StringComparison.Ordinal) && !k.StartsWith("preprocess.", StringComparison.Ordinal);
        var body = fileKeys.Where(Counts).ToHashSet(StringComparer.Ordinal);
        if (body.Count == 0) return fileKeys.Count == 0 ? "The file holds no tensors." : "The file holds no backbone weights (only a head).";

        var prefixes = body.Select(k => k.Split('.')[0]).GroupBy(p => p).OrderByDescending(g => g.Count()).First();
        bool resnetName = prefixes.Key is "conv1" or "bn1" || prefixes.Key.StartsWith("layer", StringComparison.Ordinal);
        if (!resnetName && prefixes.Count() >= 0.9 * body.Count)
            return $"Its keys start with '{prefixes.Key}.' ({body.First()}): it was saved from a wrapper (Lightning, timm, DataParallel...); save the inner model's state_dict, or strip that prefix.";

        var scores = ResNetArchitecture.All.Select(a =>
        {
            var expected = a.StateDictKeys().Where(Counts).ToList();
            int present = expected.Count(body.Contains);
            return (Arch: a, Present: present, Expected: expected.Count, Jaccard: present / (double)(expected.Count + body.Count - present));
        }).OrderByDescending(s => s.Jaccard).ToList();
        var best = scores[0];
        string counts = $"{best.Present} of {best.Arch.Name}'s {best.Expected} backbone keys present";
        if (best.Jaccard >= 0.9 && best.Arch != wanted)
            return $"They look like {best.Arch.Name} weights ({counts}{(best.Present < body.Count ? $", {body.Count - best.Present} other keys" : "")}): use --arch {best.Arch.Name}.";
        if (best.Jaccard >= 0.9)
            return $"Their names are {wanted.Name}'s ({counts}) but some shapes differ: they come from a modified {wanted.Name} (other input channels or widths).";
        return $"They match none of the kit's ResNets well (closest: {counts}, {body.Count - best.Present} other keys): are they weights of another kind of model, or a truncated file?";
    }
}
