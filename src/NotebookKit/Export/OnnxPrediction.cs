namespace NotebookKit.Export;

/// <summary>One class and its softmax probability.</summary>
/// <param name="Class">The class name (its index as text when the model has no names).</param>
/// <param name="Index">The output index.</param>
/// <param name="Probability">Softmax of the logits.</param>
public sealed record ClassProbability(string Class, int Index, double Probability);

/// <summary>What an exported model says about one image file, or why the file could not be used.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Top">The most probable classes, best first (empty on error).</param>
/// <param name="Logits">The raw outputs (null on error).</param>
/// <param name="Error">Why the image could not be used (null on success).</param>
public sealed record OnnxPrediction(string Path, IReadOnlyList<ClassProbability> Top, float[]? Logits, string? Error)
{
    /// <summary>The <paramref name="k"/> most probable classes of <paramref name="logits"/> (softmax in double precision).</summary>
    public static IReadOnlyList<ClassProbability> TopK(float[] logits, int k, IReadOnlyList<string> classes)
    {
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select((e, i) => new ClassProbability(classes[i], i, e / sum))
            .OrderByDescending(c => c.Probability).Take(Math.Max(1, k)).ToList();
    }
}
