using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using NotebookKit.Training;
using TorchSharp;

namespace NotebookKit.Tests.Training;

public class TrainerTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    public TrainerTests() => TorchRuntime.Require();

    static TrainOptions Quick(int epochs = 3) => new() { Epochs = epochs, Optimizer = new OptimizerOptions { LearningRate = 0.01 }, Schedule = ScheduleKind.OneCycle, Seed = 3 };

    static TrainResult TrainScratch(int epochs, int seed = 0, string? checkpoints = null, string? resume = null, CancellationToken cancellation = default, Action<Trainer>? observe = null)
    {
        torch.manual_seed(42);
        using var model = ResNetModel.Create("resnet18", 10);
        var (train, val) = TrainingFixture.Loaders(Preprocessing.ImageNetDefault, trainPerClass: 3, valPerClass: 2, size: 32, augment: true, seed: seed);
        var trainer = new Trainer(model, train, val, Quick(epochs) with { CheckpointDirectory = checkpoints });
        observe?.Invoke(trainer);
        return trainer.Fit(cancellation, resume);
    }

    [Fact]
    public void Same_seed_same_numbers()
    {
        var a = TrainScratch(2);
        var b = TrainScratch(2);

        Assert.Equal(a.History.Select(h => (h.TrainLoss, h.ValidationLoss, h.ValidationAccuracy)), b.History.Select(h => (h.TrainLoss, h.ValidationLoss, h.ValidationAccuracy)));
    }

    [Fact]
    public void Epochs_do_not_grow_live_tensors_or_memory()
    {
        var history = TrainScratch(4).History;

        Assert.All(history.Skip(1), h => Assert.Equal(history[1].LiveTensors, h.LiveTensors));
        Assert.True(history[^1].RssMegabytes - history[1].RssMegabytes < 150, string.Join("\n", history));
        Assert.All(history, h => Assert.True(h.ImagesPerSecond > 0 && h.Seconds > 0));
    }

    [Fact]
    public void Resuming_from_a_checkpoint_repeats_the_uninterrupted_run_exactly()
    {
        var straight = TrainScratch(3);
        var folder = Path.Combine(temp.Path, "run");
        Assert.Throws<InvalidOperationException>(() => TrainScratch(3, checkpoints: folder,
            observe: t => t.EpochCompleted += r => { if (r.Epoch == 2) throw new InvalidOperationException("simulated crash after epoch 2"); }));

        var resumed = TrainScratch(3, checkpoints: folder, resume: folder);

        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(straight.History[^1].TrainLoss, resumed.History[^1].TrainLoss, 5);
        Assert.Equal(straight.History[^1].ValidationAccuracy, resumed.History[^1].ValidationAccuracy);
        Assert.True(File.Exists(Path.Combine(folder, "best.safetensors")));
    }

    [Fact]
    public void Cancellation_stops_and_leaves_the_last_complete_checkpoint()
    {
        using var cts = new CancellationTokenSource();
        var folder = Path.Combine(temp.Path, "cancelled");

        var result = TrainScratch(5, checkpoints: folder, cancellation: cts.Token, observe: t => t.BatchCompleted += b => { if (b.Epoch == 2 && b.Batch == 2) cts.Cancel(); });

        Assert.True(result.Cancelled);
        Assert.Single(result.History);
        var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "last", "state.json")));
        Assert.Equal(1, state.RootElement.GetProperty("epoch").GetInt32());
        Assert.DoesNotContain(Directory.EnumerateDirectories(folder), d => d.Contains(".writing-"));
    }

    [Fact]
    public void A_diverging_loss_stops_with_a_clear_message()
    {
        using var model = ResNetModel.Create("resnet18", 10);
        var (train, val) = TrainingFixture.Loaders(Preprocessing.ImageNetDefault, 3, 1, 32);
        var trainer = new Trainer(model, train, val, new TrainOptions { Epochs = 2, Schedule = ScheduleKind.None, Optimizer = new OptimizerOptions { LearningRate = 1e9, Momentum = 0.99 } });

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit());

        Assert.Contains("Lower the learning rate", e.Message);
    }

    [Fact]
    public void Early_stopping_ends_the_run_when_validation_stalls()
    {
        using var model = ResNetModel.Create("resnet18", 10);
        var (train, val) = TrainingFixture.Loaders(Preprocessing.ImageNetDefault, 2, 1, 32);
        // A frozen body and a learning rate of zero: nothing changes after the first epoch.
        Freezing.FreezeUpTo(model, "layer4");
        var result = new Trainer(model, train, val, new TrainOptions { Epochs = 10, Schedule = ScheduleKind.None, EarlyStoppingPatience = 2, Optimizer = new OptimizerOptions { LearningRate = 0 } }).Fit();

        Assert.True(result.StoppedEarly);
        Assert.Equal(3, result.History.Count);
    }

    [Fact]
    public void Reading_the_loss_only_at_ticks_gives_the_same_numbers_and_still_stops_a_divergence()
    {
        TrainResult Run(bool? everyStep)
        {
            torch.manual_seed(42);
            using var model = ResNetModel.Create("resnet18", 10);
            var (train, val) = TrainingFixture.Loaders(Preprocessing.ImageNetDefault, trainPerClass: 3, valPerClass: 2, size: 32, augment: true);
            return new Trainer(model, train, val, Quick(2) with { CheckLossEveryStep = everyStep }).Fit();
        }

        var everyStep = Run(null);   // the CPU default: read after every step
        var atTicks = Run(false);    // what a GPU does: sums on the device, read at ticks

        Assert.Equal(everyStep.History.Select(h => Math.Round(h.TrainLoss, 5)), atTicks.History.Select(h => Math.Round(h.TrainLoss, 5)));
        Assert.Equal(everyStep.History.Select(h => h.TrainAccuracy), atTicks.History.Select(h => h.TrainAccuracy));
        Assert.Equal(everyStep.History.Select(h => h.ValidationAccuracy), atTicks.History.Select(h => h.ValidationAccuracy));

        using var diverging = ResNetModel.Create("resnet18", 10);
        var (t, v) = TrainingFixture.Loaders(Preprocessing.ImageNetDefault, 3, 1, 32);
        Assert.Throws<TrainingDivergedException>(() => new Trainer(diverging, t, v, new TrainOptions
        {
            Epochs = 2, Schedule = ScheduleKind.None, CheckLossEveryStep = false, Optimizer = new OptimizerOptions { LearningRate = 1e9, Momentum = 0.99 },
        }).Fit());
    }
}
