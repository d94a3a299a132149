using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using NotebookKit.Training;

namespace NotebookKit.Tests.Training;

/// <summary>Two-phase fine-tuning resumes in either phase, and its "best" is one notion across the phases.</summary>
public class FineTuneResumeTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    public FineTuneResumeTests() => TorchRuntime.Require();

    sealed class CrashAt(int epoch) : ITrainingObserver
    {
        public void EpochEnded(EpochRecord record) { if (record.Epoch == epoch) throw new InvalidOperationException($"simulated crash after epoch {epoch}"); }
    }

    static (TrainResult Result, PretrainedModel Model, DataLoader Validation) FineTune(string? checkpoints = null, string? resume = null, ITrainingObserver? observer = null, int epochs = 4)
    {
        TorchSharp.torch.manual_seed(11);
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 3, valPerClass: 2, size: 32, batch: 10);
        var result = TrainingRecipes.FineTune(new RecipeInput(pretrained.Model, train, val, new TrainOptions
        {
            Epochs = epochs, Seed = 4, CheckpointDirectory = checkpoints, ResumeFrom = resume, Observer = observer ?? TrainingObserver.None,
        }), headEpochs: 2);
        return (result, pretrained, val);
    }

    [Fact]
    public void A_crash_in_either_phase_resumes_to_the_uninterrupted_run()
    {
        var straight = FineTune().Result;
        foreach (int crash in new[] { 1, 3 }) // in the head phase, then in the unfrozen phase
        {
            var folder = Path.Combine(temp.Path, $"crash-{crash}");
            Assert.Throws<InvalidOperationException>(() => FineTune(folder, observer: new CrashAt(crash)));

            var resumed = FineTune(folder, resume: folder).Result;

            Assert.Equal(["head", "head", "unfrozen", "unfrozen"], resumed.History.Select(h => h.Phase));
            Assert.Equal([1, 2, 3, 4], resumed.History.Select(h => h.Epoch));
            Assert.Equal(straight.History.Select(h => Math.Round(h.TrainLoss, 5)), resumed.History.Select(h => Math.Round(h.TrainLoss, 5)));
            Assert.Equal(straight.History.Select(h => h.ValidationAccuracy), resumed.History.Select(h => h.ValidationAccuracy));
            Assert.Equal((straight.BestValidationAccuracy, straight.BestEpoch), (resumed.BestValidationAccuracy, resumed.BestEpoch));
        }
    }

    [Fact]
    public void The_best_file_holds_the_model_of_the_best_epoch_across_both_phases()
    {
        var folder = Path.Combine(temp.Path, "best");
        var (result, pretrained, validation) = FineTune(folder);

        var best = Pretrained.Load(pretrained.Model.Architecture.Name, Checkpoints.BestFile(folder), numClasses: 10);
        var evaluated = Trainer.Evaluate(best.Model, validation);

        Assert.Equal(result.BestValidationAccuracy, evaluated.Accuracy);
        Assert.Equal(result.History.Max(h => h.ValidationAccuracy), result.BestValidationAccuracy);
        Assert.Equal(result.History.First(h => h.ValidationAccuracy == result.BestValidationAccuracy).Epoch, result.BestEpoch);
    }
}
