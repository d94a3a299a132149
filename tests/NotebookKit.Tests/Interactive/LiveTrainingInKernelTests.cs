using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using NotebookKit.Interactive;
using NotebookKit.Runtime;
using NotebookKit.Tests.Training;
using NotebookKit.Training;

namespace NotebookKit.Tests.Interactive;

/// <summary>
/// The kit's extension loaded into a real .NET Interactive kernel (in process): a cell that trains leaves one
/// display, updated in place, rather than an output per batch.
/// </summary>
public class LiveTrainingInKernelTests
{
    /// <summary>A kernel whose cells run a C# delegate (no compiler needed to check what the extension publishes).</summary>
    sealed class DelegateKernel(Action run) : Kernel("delegate"), IKernelCommandHandler<SubmitCode>
    {
        public Task HandleAsync(SubmitCode command, KernelInvocationContext context)
        {
            run();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_cell_that_trains_shows_one_display_updated_in_place_until_done()
    {
        TorchRuntime.Require();
        var previous = LiveTraining.DefaultView;
        TrainResult? result = null;
        try
        {
            using var kernel = new DelegateKernel(() =>
            {
                TorchSharp.torch.manual_seed(1);
                var pretrained = TrainingFixture.Pretrained(10);
                var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 4, valPerClass: 2, size: 32, batch: 8);
                result = TrainingRecipes.FeatureExtraction(new RecipeInput(pretrained.Model, train, val, new TrainOptions { Epochs = 3 }));
            });
            await new NotebookKitExtension().OnLoadAsync(kernel);

            var run = await kernel.SendAsync(new SubmitCode("train"));

            Assert.DoesNotContain(run.Events, e => e is CommandFailed);
            var shown = Assert.Single(run.Events.OfType<DisplayedValueProduced>());
            var updates = run.Events.OfType<DisplayedValueUpdated>().ToList();
            Assert.Contains("nbkit-live", Html(shown));
            Assert.True(updates.Count >= 3 + 1, $"{updates.Count} updates for 3 epochs");
            Assert.All(updates, u => Assert.Equal(shown.ValueId, u.ValueId));
            var final = Html(updates[^1]);
            Assert.Contains(">done<", final);
            Assert.Contains("epoch 3/3", final);
            Assert.Equal(3, result!.History.Count);
        }
        finally
        {
            LiveTraining.DefaultView = previous;
        }
    }

    [Fact]
    public async Task Outside_a_running_cell_nothing_is_displayed()
    {
        var previous = LiveTraining.DefaultView;
        try
        {
            using var kernel = new DelegateKernel(() => { });
            await new NotebookKitExtension().OnLoadAsync(kernel);
            Assert.NotNull(LiveTraining.DefaultView);
            Assert.Null(LiveTraining.DefaultView!("no cell"));
        }
        finally
        {
            LiveTraining.DefaultView = previous;
        }
    }

    static string Html(DisplayEvent e) => Assert.Single(e.FormattedValues, v => v.MimeType == "text/html").Value;
}
