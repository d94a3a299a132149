using System.Globalization;

namespace NotebookKit.Experiments;

/// <summary>
/// What a strategy costs, counted rather than timed: the training work of a run, in forward passes of the whole network
/// over one image. Each training epoch passes every training image forward (1) and backward through the layers that
/// train (about twice their forward work: gradients for the weights and for the inputs below them; backward stops at the
/// first trainable stage), and features cached from a frozen body cost one forward pass in all. Unlike a wall-clock time
/// it does not move with the machine's load or with which run warmed the process up, so the verdict's "cheaper" is the
/// same on every run of the same protocol; the measured times are still reported beside it.
/// </summary>
public static class TrainingWork
{
    /// <summary>How the verdict names this measure.</summary>
    public const string Measure = "images × the forward and backward passes through the layers that train";

    /// <summary>
    /// Each stage's share of a ResNet's forward multiply-adds (stem, layer1..layer4): the stem about a tenth, each of the
    /// four stages about the same (each halves the resolution and doubles the channels); ResNet-18 at 224 px: 118 M, 463 M,
    /// 411 M, 411 M, 411 M of 1.8 G. The shares hold at any input size.
    /// </summary>
    static readonly double[] stageShare = [0.1, 0.225, 0.225, 0.225, 0.225];

    /// <summary>The share of the network's forward work in the stages after the first <paramref name="frozenStages"/>.</summary>
    public static double TrainedShare(int frozenStages) => stageShare.Skip(Math.Clamp(frozenStages, 0, stageShare.Length)).Sum();

    /// <summary>The training work of <paramref name="run"/>, in forward passes of the whole network over one image.</summary>
    public static double Of(StrategyRun run)
    {
        double work = run.UsedFeatureCache ? run.TrainImages : 0; // the frozen body, once
        foreach (var epoch in run.Result.History)
        {
            double backward = 2 * TrainedShare(run.Strategy.StagesFrozenIn(epoch.Phase));
            double forward = run.UsedFeatureCache && backward == 0 ? 0 : 1;       // the head alone is negligible
            work += run.TrainImages * (forward + backward);
        }
        return work;
    }

    /// <summary>The mean training work over <paramref name="summary"/>'s seeds.</summary>
    public static double Of(StrategySummary summary) => summary.Runs.Average(Of);

    /// <summary>
    /// The cheaper of two strategies by training work; on equal work, the one with fewer trainable parameters, then
    /// <paramref name="b"/> (the reference a verdict compares against). Never decided by a clock.
    /// </summary>
    public static StrategySummary Cheaper(StrategySummary a, StrategySummary b)
    {
        double wa = Of(a), wb = Of(b);
        if (wa != wb) return wa < wb ? a : b;
        return a.TrainableParameters < b.TrainableParameters ? a : b;
    }

    /// <summary>"fine-tuning does 3.3 times the training work of feature extraction" (empty when neither did any work).</summary>
    public static string Ratio(StrategySummary a, StrategySummary b)
    {
        double wa = Of(a), wb = Of(b);
        if (wb <= 0) return "";
        return string.Create(CultureInfo.InvariantCulture, $"{a.Strategy.Title} does {wa / wb:0.#} times the training work of {b.Strategy.Title}");
    }
}
