using NotebookKit.Data;
using NotebookKit.Models;
using static TorchSharp.torch;

namespace NotebookKit.Training;

/// <summary>The LR range test's curve and its suggestion.</summary>
/// <param name="Curve">(learning rate, smoothed loss) per step.</param>
/// <param name="Suggestion">The rate where the smoothed loss falls fastest (steepest descent).</param>
/// <param name="MinimumLoss">The rate at the lowest smoothed loss; one tenth of it is the classic rule of thumb.</param>
public sealed record LrFinderResult(IReadOnlyList<(double LearningRate, double Loss)> Curve, double Suggestion, double MinimumLoss)
{
    /// <inheritdoc/>
    public override string ToString() => $"suggested learning rate {Suggestion:G2} (steepest descent); minimum loss at {MinimumLoss:G2}";
}

/// <summary>
/// The learning-rate range test (Smith 2015; fastai's lr_find): train briefly while the rate grows geometrically
/// from <c>start</c> to <c>end</c>, record the smoothed loss, stop when it explodes, then put the weights back.
/// </summary>
public static class LrFinder
{
    /// <summary>Runs the test on the model's trainable parameters (freeze first to test a head alone).</summary>
    public static LrFinderResult Run(ResNetModel model, IBatchSource train, OptimizerOptions? optimizer = null, double start = 1e-6, double end = 1, int steps = 60, int seed = 0)
    {
        using var saved = WeightsSnapshot.Of(model);
        var curve = new List<(double, double)>();
        try
        {
            manual_seed(seed);
            using var opt = (optimizer ?? new OptimizerOptions()).Build(model, out _);
            var step = new TrainStep(model, train, opt);
            double peak = step.BaseRates.Max(), smoothed = 0, best = double.MaxValue;
            int taken = 0;
            model.train();
            for (int epoch = 0; taken < steps; epoch++)
            {
                foreach (var batch in train.Epoch(epoch))
                {
                    using (batch)
                    {
                        double rate = start * Math.Pow(end / start, (double)taken / Math.Max(1, steps - 1));
                        var outcome = step.Run(batch, rate / peak);
                        smoothed = 0.98 * smoothed + 0.02 * outcome.Loss;
                        double debiased = smoothed / (1 - Math.Pow(0.98, taken + 1));
                        if (!double.IsFinite(debiased) || (taken > 5 && debiased > 4 * best)) return Result(curve);
                        best = Math.Min(best, debiased);
                        curve.Add((rate, debiased));
                    }
                    if (++taken >= steps) break;
                }
            }
            return Result(curve);
        }
        finally
        {
            saved.RestoreInto(model);
        }
    }

    static LrFinderResult Result(List<(double Rate, double Loss)> curve)
    {
        if (curve.Count < 3) throw new InvalidOperationException("The LR range test needs at least 3 steps before the loss diverges; start lower or use more batches.");
        int steepest = 1;
        double slope = double.MaxValue;
        for (int i = 1; i < curve.Count - 1; i++)
        {
            double d = (curve[i + 1].Loss - curve[i - 1].Loss) / (Math.Log(curve[i + 1].Rate) - Math.Log(curve[i - 1].Rate));
            if (d < slope) (slope, steepest) = (d, i);
        }
        var minimum = curve.MinBy(c => c.Loss);
        return new LrFinderResult(curve, curve[steepest].Rate, minimum.Rate);
    }
}
