using NotebookKit.Experiments;

namespace NotebookKit.Tests.Experiments;

/// <summary>The transferability summary is computed from the measured points and their paired intervals, in process.</summary>
public class TransferabilitySummaryTests
{
    static TransferabilityResult Result(Func<string, int, double[]> accuracies, int seeds = 3)
    {
        var points = new List<TransferPoint> { new("base B", 0, accuracies("base B", 0), 500), new("base A", 0, accuracies("base A", 0), 500) };
        foreach (var t in TransferabilityExperiment.Treatments)
            foreach (var n in new[] { 1, 2, 3, 4, 5 })
                points.Add(new TransferPoint(t, n, accuracies(t, n), 500));
        return new TransferabilityResult("synthetic", "resnet18", new TransferSplit(), [], Enumerable.Range(0, seeds).ToList(),
            new TrainSettings(), points, [], 160);
    }

    [Fact]
    public void A_drop_with_depth_that_the_seeds_agree_on_is_called_detectable()
    {
        var result = Result((t, n) => t switch
        {
            "AnB" => [0.80 - 0.02 * n, 0.81 - 0.02 * n, 0.79 - 0.0205 * n],
            _ => [0.80, 0.81, 0.79],
        });

        var summary = result.Summary();

        Assert.Contains("AnB (first n stages transferred from A and frozen) goes from 78.0% at n=1 to 69.9% at n=5", summary.Replace(" %", "%"));
        Assert.Contains("n=5 − n=1 -8.1 points (95% CI [-8.4, -7.8], paired t over 3 seeds p < 0.001: a detectable drop)", summary);
        Assert.Contains("a detectable drop", summary);
        Assert.Contains("BnB+ − base B (the control: the same layers retrained on B): 0.0 points", summary);
    }

    [Fact]
    public void Seeds_that_disagree_give_no_detectable_difference()
    {
        var result = Result((t, n) => t switch
        {
            "AnB+" => [0.82, 0.79, 0.80],
            _ => [0.80, 0.81, 0.79],
        });

        var summary = result.Summary();

        Assert.Contains("AnB+ (transferred and fine-tuned) − base B, averaged over n: +0.3 points (95% CI [", summary);
        Assert.Contains("no detectable difference", summary);
        Assert.DoesNotContain("detectable gain", summary);
    }

    [Fact]
    public void One_seed_says_it_has_no_interval()
    {
        var result = Result((t, n) => t == "AnB" ? [0.8 - 0.01 * n] : [0.8], seeds: 1);

        Assert.Contains("one seed: no interval; run three seeds", result.Summary());
        Assert.Equal(NotebookKit.Experiments.Statistics.Intervals.Wilson(400, 500), result.Point("base B", 0)!.Interval);
    }
}
