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

    /// <summary>A run with <paramref name="phases"/> as its epochs (each epoch's phase), 100 training images, features cached or not.</summary>
    static StrategyRun Trained(Strategy strategy, int seed, Func<int, bool> right, double seconds, string[] phases, bool cached = false)
    {
        var run = Run(strategy, seed, right, seconds);
        var history = phases.Select((phase, i) => new EpochRecord(i + 1, phase, 1, 0.5, 1, 0.5, 0.01, seconds / phases.Length, 10, 100, 10)).ToList();
        return run with { Result = run.Result with { History = history }, UsedFeatureCache = cached };
    }

    /// <summary>Images right per seed for a strategy level with feature extraction's 240: one more, one fewer, the same.</summary>
    static int Tie(int seed) => 240 + (seed == 0 ? 1 : seed == 1 ? -1 : 0);

    static readonly string[] FourHeadEpochs = ["head", "head", "head", "head"], FineTuneEpochs = ["head", "unfrozen", "unfrozen", "unfrozen"];

    public static TheoryData<double[], double[]> Clocks => new()
    {
        // seconds per seed: frozen, then fine-tuning
        { [10, 10, 10], [150, 150, 150] },   // what a quiet machine shows
        { [150, 150, 150], [10, 10, 10] },   // swapped
        { [95, 12, 11], [40, 41, 39] },      // frozen ran first in a cold process (warm-up), then the machine got busy
        { [20, 20, 20], [20, 20, 20] },      // a dead heat
        { [12, 80, 13], [9, 9, 200] },       // noise both ways
    };

    [Theory]
    [MemberData(nameof(Clocks))]
    public void The_cheaper_choice_does_not_depend_on_the_wall_clock(double[] frozenSeconds, double[] tunedSeconds)
    {
        // No detectable difference (the same images right), so the verdict names the cheaper one as the practical choice.
        var frozen = Summary(Frozen, [.. frozenSeconds.Select((t, seed) => Trained(Frozen, seed, i => i < 240, t, FourHeadEpochs, cached: true))]);
        var tuned = Summary(Tuned, [.. tunedSeconds.Select((t, seed) => Trained(Tuned, seed, i => i < Tie(seed), t, FineTuneEpochs))]);

        var verdict = Verdict.For([frozen, tuned]);

        Assert.Contains("no detectable difference", verdict);
        Assert.Contains("The cheaper, feature extraction, is the practical choice (cheaper by training work, not by the clock", verdict);
        Assert.Contains("fine-tuning does 10 times the training work of feature extraction", verdict); // 100 + 3 x 300 against 100
        Assert.Contains(TrainingWork.Measure, verdict);
        Assert.Contains("measured, fine-tuning took", verdict); // the clock is still reported, as a measurement
    }

    [Fact]
    public void The_same_runs_give_the_same_verdict_whatever_their_times()
    {
        var random = new Random(7);
        string VerdictWithNoisyClocks()
        {
            var frozen = Summary(Frozen, [.. Enumerable.Range(0, 3).Select(seed => Trained(Frozen, seed, i => i < 240, random.NextDouble() * 200, FourHeadEpochs, cached: true))]);
            var full = new Strategy.FullFineTune();
            var tuned = Summary(full, [.. Enumerable.Range(0, 3).Select(seed => Trained(full, seed, i => i < Tie(seed), random.NextDouble() * 200, ["all", "all", "all", "all"]))]);
            var text = Verdict.For([frozen, tuned]);
            return System.Text.RegularExpressions.Regex.Replace(text, @"took [0-9.]+ times", "took N times");
        }

        var first = VerdictWithNoisyClocks();
        for (int i = 0; i < 20; i++) Assert.Equal(first, VerdictWithNoisyClocks());
        Assert.Contains("The cheaper, feature extraction", first);
    }

    [Fact]
    public void Training_work_counts_the_layers_that_train_and_features_computed_once()
    {
        double Work(Strategy strategy, string[] phases, bool cached = false) => TrainingWork.Of(Trained(strategy, 0, _ => true, 1, phases, cached));
        string[] four(string phase) => [phase, phase, phase, phase];

        Assert.Equal(100, Work(Frozen, FourHeadEpochs, cached: true));          // one forward pass to cache, the head is free
        Assert.Equal(400, Work(Frozen, FourHeadEpochs));                        // a forward pass per epoch (augmentation: no cache)
        Assert.Equal(1000, Work(Tuned, FineTuneEpochs));                        // 100 + 3 x (forward 1 + backward 2) x 100
        Assert.Equal(1200, Work(Scratch, four("all")), 9);
        Assert.Equal(1200, Work(new Strategy.FullFineTune(), four("all")), 9);
        var partial = Enumerable.Range(1, 5).Select(k => Work(new Strategy.PartialFineTune(k), four("partial"))).ToList();
        Assert.Equal(partial.OrderDescending(), partial);                       // the more stages frozen, the less work
        Assert.True(partial.Zip(partial.Skip(1)).All(p => p.First > p.Second));
        Assert.Equal(400, partial[^1], 9);                                      // all five frozen: forward only
        Assert.True(Work(Scratch, four("all")) > partial[0]);
    }

    [Fact]
    public void Whether_features_were_cached_survives_the_journal()
    {
        var cached = Trained(Frozen, 0, i => i < 240, 10, FourHeadEpochs, cached: true);
        var record = System.Text.Json.Nodes.JsonNode.Parse(NotebookKit.KitJson.SerializeLine(RunRecords.Of(cached)))!.AsObject();

        Assert.True(RunRecords.ToRun(record, Frozen).UsedFeatureCache);
        Assert.Equal(TrainingWork.Of(cached), TrainingWork.Of(RunRecords.ToRun(record, Frozen)));
        record.Remove("feature_cache");                                          // a journal written before the field existed
        Assert.False(RunRecords.ToRun(record, Frozen).UsedFeatureCache);
    }
}
