using NotebookKit.Experiments;
using NotebookKit.Training;

namespace NotebookKit.Tests.Experiments;

/// <summary>The verdict's branches and the paired comparisons, in process, on synthetic runs whose predictions are set by hand.</summary>
public class VerdictTests
{
    const int Images = 400;

    /// <summary>A run of <paramref name="strategy"/> that gets the images in <paramref name="right"/> right (of <see cref="Images"/>).</summary>
    static StrategyRun Run(Strategy strategy, int seed, Func<int, bool> right, double seconds, int images = Images, int offset = 0)
    {
        var predictions = Enumerable.Range(offset, images).Select(i => new Prediction(i, i % 4, right(i) ? i % 4 : (i + 1) % 4)).ToList();
        int correct = predictions.Count(p => p.Correct);
        var evaluation = new Evaluation(0.5, (double)correct / images, 1, 1, new int[4, 4], ["a", "b", "c", "d"], [], []) { Count = images, Predictions = predictions };
        var result = new TrainResult([], evaluation.Accuracy, 1, null, false, false);
        return new StrategyRun(strategy, seed, result, evaluation, 1000, seconds, 100);
    }

    static StrategySummary Summary(Strategy strategy, params StrategyRun[] runs) => new(strategy, runs);

    static readonly Strategy Frozen = new Strategy.FeatureExtraction(), Tuned = new Strategy.FineTune(), Scratch = new Strategy.Scratch();

    [Fact]
    public void A_detectable_win_names_the_winner_with_its_interval_and_the_cost()
    {
        var frozen = Summary(Frozen, Run(Frozen, 0, i => i < 240, seconds: 10));            // 60%
        var tuned = Summary(Tuned, Run(Tuned, 0, i => i < 300, seconds: 150));               // 75%: 60 images only it gets right

        var verdict = Verdict.For([frozen, tuned]);

        Assert.StartsWith("On this data, fine-tuning beats feature extraction by +15.0 points (95% CI [+", verdict);
        Assert.Contains("exact McNemar p < 0.001", verdict);
        Assert.Contains("fine-tuning took 15 times as long as feature extraction", verdict);
        var c = PairedComparison.Of(tuned, frozen);
        Assert.True(c.Detectable);
        Assert.Equal(0.15, c.Difference, 12);
    }

    [Fact]
    public void Feature_extraction_can_be_the_detectable_winner()
    {
        var frozen = Summary(Frozen, Run(Frozen, 0, i => i < 300, seconds: 10));
        var tuned = Summary(Tuned, Run(Tuned, 0, i => i < 240, seconds: 150));

        var verdict = Verdict.For([frozen, tuned]);

        Assert.StartsWith("On this data, feature extraction beats fine-tuning by +15.0 points (95% CI [+", verdict);
    }

    [Fact]
    public void An_interval_that_includes_zero_says_no_detectable_difference_and_names_the_cheaper()
    {
        // 4 images only frozen gets right, 6 only fine-tuning: +0.5 points, exact McNemar p = 0.75
        var frozen = Summary(Frozen, Run(Frozen, 0, i => i < 240 || i is >= 390 and < 394, seconds: 10));
        var tuned = Summary(Tuned, Run(Tuned, 0, i => i < 246, seconds: 150));

        var verdict = Verdict.For([frozen, tuned]);

        Assert.Contains("there is no detectable difference between fine-tuning and feature extraction", verdict);
        Assert.Contains("+0.5 points (95% CI [-", verdict);
        Assert.Contains("The cheaper, feature extraction, is the practical choice", verdict);
        Assert.DoesNotContain("beats", verdict);
    }

    [Fact]
    public void Identical_predictions_differ_by_nothing()
    {
        var a = Summary(Frozen, Run(Frozen, 0, i => i % 3 == 0, seconds: 1));
        var b = Summary(Tuned, Run(Tuned, 0, i => i % 3 == 0, seconds: 2));

        var c = PairedComparison.Of(b, a);

        Assert.Equal(0, c.Difference);
        Assert.Equal(1, c.PValue);
        Assert.False(c.Detectable);
    }

    [Fact]
    public void Several_seeds_are_compared_seed_by_seed_with_a_paired_t_interval()
    {
        var frozen = Summary(Frozen, Run(Frozen, 0, i => i < 240, 10), Run(Frozen, 1, i => i < 244, 10), Run(Frozen, 2, i => i < 236, 10));
        var tuned = Summary(Tuned, Run(Tuned, 0, i => i < 250, 90), Run(Tuned, 1, i => i < 256, 90), Run(Tuned, 2, i => i < 244, 90));

        var c = PairedComparison.Of(tuned, frozen);

        Assert.Equal("paired t", c.Test);
        Assert.Equal((0.025 + 0.03 + 0.02) / 3, c.Difference, 12);
        Assert.True(c.Detectable);                         // per-seed differences 2.5, 3.0, 2.0 points
        Assert.Equal("t", frozen.IntervalMethod);
        Assert.Equal([0.6, 0.61, 0.59], frozen.PerSeed.Select(a => Math.Round(a, 9)));
        Assert.Contains("fine-tuning beats feature extraction", Verdict.For([frozen, tuned]));
    }

    [Fact]
    public void Runs_on_different_validation_images_or_seeds_are_refused()
    {
        var a = Summary(Frozen, Run(Frozen, 0, i => i < 200, 1));
        var b = Summary(Tuned, Run(Tuned, 0, i => i < 200, 1, offset: 1000));
        Assert.Contains("different validation images", Assert.Throws<ArgumentException>(() => PairedComparison.Of(b, a)).Message);

        var c = Summary(Tuned, Run(Tuned, 5, i => i < 200, 1));
        Assert.Contains("not run with the same seeds", Assert.Throws<ArgumentException>(() => PairedComparison.Of(c, a)).Message);
    }

    [Fact]
    public void Pretrained_against_scratch_gets_its_own_sentence()
    {
        var scratch = Summary(Scratch, Run(Scratch, 0, i => i < 100, 100));
        var frozen = Summary(Frozen, Run(Frozen, 0, i => i < 280, 10));

        var verdict = Verdict.For([scratch, frozen]);

        Assert.StartsWith("Pretrained (feature extraction) against training from scratch: +45.0 points (95% CI [+", verdict);
        Assert.EndsWith("the pretrained weights help.", verdict);
    }

    [Fact]
    public void One_seed_uses_the_wilson_interval_over_the_validation_images()
    {
        var frozen = Summary(Frozen, Run(Frozen, 0, i => i < 240, 10));

        Assert.Equal("wilson", frozen.IntervalMethod);
        Assert.Equal(NotebookKit.Experiments.Statistics.Intervals.Wilson(240, Images), frozen.ValidationAccuracyInterval);
    }
}
