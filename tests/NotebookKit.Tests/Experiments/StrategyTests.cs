using NotebookKit.Experiments;
using NotebookKit.Runtime;
using NotebookKit.Tests.Training;
using NotebookKit.Training;

namespace NotebookKit.Tests.Experiments;

/// <summary>Strategies as data, and a comparison run in-process with an explicit observer.</summary>
public class StrategyTests
{
    [Fact]
    public void Strategies_are_records_with_their_knobs_and_defaults()
    {
        var finetune = Assert.IsType<Strategy.FineTune>(Strategy.Parse("fine-tune"));
        Assert.Equal((1, 0.01, 0.5), (finetune.HeadEpochs, finetune.BackboneLrMultiplier, finetune.UnfrozenLrFactor)); // fastai's fine_tune
        Assert.Equal(0.1, Assert.IsType<Strategy.FullFineTune>(Strategy.Parse("full")).BackboneLrMultiplier);
        Assert.Equal(new Strategy.PartialFineTune(3), Strategy.Parse("partial:3"));
        Assert.Equal(new Strategy.FullFineTune(0.05), Strategy.Parse("full").WithBackboneLrMultiplier(0.05));
        Assert.Equal(new Strategy.FeatureExtraction(), Strategy.Parse("frozen").WithBackboneLrMultiplier(0.05)); // nothing to change
        Assert.Contains("x0.05", new Strategy.FullFineTune(0.05).Description);
        Assert.Equal("finetune", finetune.ToString());
        Assert.False(new Strategy.Scratch().Pretrained);
        Assert.Equal(["finetune", "full", "partial:2"], Strategy.ParseList("scratch,frozen,finetune,full,partial:2").Where(s => s.TunesTransferredLayers).Select(s => s.Name));
    }

    [Theory]
    [InlineData(",")]
    [InlineData(" ")]
    [InlineData("frozen,frozen")]
    public void A_list_with_no_strategy_or_a_repeated_one_is_refused(string names)
    {
        var error = Assert.Throws<ArgumentException>(() => Strategy.ParseList(names));
        Assert.Contains(names.Trim() == "" || names == "," ? "No strategy" : "twice", error.Message);
    }

    [Fact]
    public void Fine_tune_head_epochs_is_a_knob()
    {
        TorchRuntime.Require();
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, 2, 1, 32);

        var result = new Strategy.FineTune(HeadEpochs: 2, UnfrozenLrFactor: 0.25).Train(new RecipeInput(pretrained.Model, train, val,
            new TrainOptions { Epochs = 3, Schedule = ScheduleKind.None, Optimizer = new OptimizerOptions { LearningRate = 0.02 }, Observer = TrainingObserver.None }));

        Assert.Equal(["head", "head", "unfrozen"], result.History.Select(h => h.Phase));
        Assert.Equal([1, 2, 3], result.History.Select(h => h.Epoch));
        Assert.Equal([0.02, 0.02, 0.005], result.History.Select(h => Math.Round(h.LearningRate, 9))); // the head's rate: x0.25 once unfrozen
    }

    [Fact]
    public void A_comparison_in_process_reports_one_curve_per_strategy_to_the_observer_it_is_given()
    {
        TorchRuntime.Require();
        var view = new RecordingView();
        var monitor = new TrainingMonitor(view, "compare");
        var settings = new TrainSettings { Epochs = 2, ImageSize = 32, BatchSize = 16, TrainPerClass = 3, ValidationPerClass = 2, Workers = 2 };

        var comparison = Comparer.Run(settings, Strategy.ParseList("frozen,finetune"), seeds: 1, observer: monitor);

        Assert.Equal(["frozen", "finetune"], comparison.Strategies.Select(s => s.Strategy.Name));
        Assert.Equal(["frozen", "finetune"], monitor.Curves.Select(c => c.Label));
        Assert.Equal(["head", "unfrozen"], monitor.Curves[1].Epochs.Select(e => e.Phase)); // two phases, one curve
        Assert.Contains(view.Updates, u => u.Html.Contains("frozen: computing features"));
        Assert.Equal(MonitorState.Running, monitor.State); // the caller owns the monitor
        Assert.Equal(5_130, comparison.Strategies[0].TrainableParameters);
        Assert.Equal(30, comparison.TrainImages);
        Assert.All(comparison.Strategies, s => Assert.Equal(2, s.Runs[0].Result.History.Count));
    }

    [Theory]
    [InlineData(NotebookKit.Models.BatchNormPolicy.Naive)]
    [InlineData(NotebookKit.Models.BatchNormPolicy.TrainAffine)]
    public void Feature_extraction_runs_the_body_every_step_when_its_BatchNorm_is_not_frozen(NotebookKit.Models.BatchNormPolicy policy)
    {
        TorchRuntime.Require();
        var view = new RecordingView();
        var monitor = new TrainingMonitor(view, "compare");
        var settings = new TrainSettings { Epochs = 1, ImageSize = 32, BatchSize = 16, TrainPerClass = 3, ValidationPerClass = 2, Workers = 2, BatchNorm = policy };

        var comparison = Comparer.Run(settings, Strategy.ParseList("frozen"), seeds: 1, observer: monitor);

        // Cached features would be those of a body whose BatchNorm does not change: with this policy it does.
        Assert.DoesNotContain(view.Updates, u => u.Html.Contains("computing features"));
        Assert.Contains("runs the frozen body every step", comparison.BudgetPolicy);
    }
}
