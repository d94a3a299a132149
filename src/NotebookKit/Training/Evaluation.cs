using System.Globalization;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>A prediction the model got wrong, with its confidence.</summary>
public sealed record WrongPrediction(int Index, string Path, int Label, int Predicted, double Confidence);

/// <summary>What the model said about one validation sample: its dataset index, true label and predicted label.</summary>
public readonly record struct Prediction(int Index, int Label, int Predicted)
{
    /// <summary>Whether the prediction is right.</summary>
    public bool Correct => Label == Predicted;
}

/// <summary>Per-class precision, recall and F1.</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);

/// <summary>
/// How a model does on a labelled set: loss, accuracy, top-k accuracy, per-class precision/recall/F1, the
/// confusion matrix (rows: true class, columns: predicted) and the most confidently wrong examples.
/// </summary>
public sealed record Evaluation(double Loss, double Accuracy, double TopKAccuracy, int TopK, int[,] Confusion,
    IReadOnlyList<string> Classes, IReadOnlyList<ClassMetrics> PerClass, IReadOnlyList<WrongPrediction> MostConfidentlyWrong)
{
    /// <summary>Number of examples evaluated.</summary>
    public int Count { get; init; }

    /// <summary>
    /// Every sample's prediction, by dataset index: what paired tests (McNemar) compare between two models evaluated on
    /// the same images.
    /// </summary>
    public IReadOnlyList<Prediction> Predictions { get; init; } = [];

    /// <summary>Correctly classified samples.</summary>
    public int Correct => Predictions.Count > 0 ? Predictions.Count(p => p.Correct) : (int)Math.Round(Accuracy * Count);

    /// <summary>Mean F1 over classes.</summary>
    public double MacroF1 => PerClass.Count == 0 ? 0 : PerClass.Average(c => c.F1);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Count} images: accuracy {Accuracy:P2}, top-{TopK} {TopKAccuracy:P2}, loss {Loss:F4}, macro F1 {MacroF1:F3}");

    /// <summary>Accumulates batches, then builds the evaluation.</summary>
    public sealed class Builder(IReadOnlyList<string> classes, int topK = 5, int keepWrong = 16)
    {
        readonly int[,] confusion = new int[classes.Count, classes.Count];
        readonly List<WrongPrediction> wrong = [];
        readonly List<Prediction> predictions = [];
        double lossSum;
        int count, topKHits;
        readonly int k = Math.Min(topK, classes.Count);

        /// <summary>Adds one batch of logits (N x C) with labels; paths name the samples for the wrong-examples list.</summary>
        public void Add(Tensor logits, Tensor labels, IReadOnlyList<int> indices, Func<int, string> pathOf)
        {
            using var scope = NewDisposeScope();
            var cpuLogits = logits.detach().cpu().to(float32);
            var cpuLabels = labels.cpu();
            lossSum += nn.functional.cross_entropy(cpuLogits, cpuLabels, reduction: nn.Reduction.Sum).item<float>();
            var probabilities = cpuLogits.softmax(1);
            var (confidence, predicted) = probabilities.max(1);
            var topIndices = probabilities.topk(k, 1).indexes.data<long>().ToArray();
            var p = predicted.data<long>().ToArray();
            var c = confidence.data<float>().ToArray();
            var y = cpuLabels.data<long>().ToArray();
            for (int i = 0; i < y.Length; i++)
            {
                confusion[y[i], p[i]]++;
                predictions.Add(new Prediction(indices[i], (int)y[i], (int)p[i]));
                for (int j = 0; j < k; j++) if (topIndices[i * k + j] == y[i]) { topKHits++; break; }
                if (p[i] != y[i]) wrong.Add(new WrongPrediction(indices[i], pathOf(indices[i]), (int)y[i], (int)p[i], c[i]));
            }
            count += y.Length;
            if (wrong.Count > 4 * keepWrong)
            {
                var top = wrong.OrderByDescending(w => w.Confidence).Take(keepWrong).ToList();
                wrong.Clear();
                wrong.AddRange(top);
            }
        }

        /// <summary>The evaluation of everything added.</summary>
        public Evaluation Build()
        {
            int n = classes.Count;
            int correct = Enumerable.Range(0, n).Sum(i => confusion[i, i]);
            var perClass = Enumerable.Range(0, n).Select(i =>
            {
                int tp = confusion[i, i];
                int predictedI = Enumerable.Range(0, n).Sum(r => confusion[r, i]);
                int actualI = Enumerable.Range(0, n).Sum(col => confusion[i, col]);
                double precision = predictedI == 0 ? 0 : (double)tp / predictedI;
                double recall = actualI == 0 ? 0 : (double)tp / actualI;
                double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                return new ClassMetrics(classes[i], precision, recall, f1, actualI);
            }).ToList();
            return new Evaluation(count == 0 ? double.NaN : lossSum / count, count == 0 ? double.NaN : (double)correct / count,
                count == 0 ? double.NaN : (double)topKHits / count, k, (int[,])confusion.Clone(), classes, perClass,
                wrong.OrderByDescending(w => w.Confidence).Take(keepWrong).ToList())
            { Count = count, Predictions = predictions.OrderBy(x => x.Index).ToList() };
        }
    }
}
