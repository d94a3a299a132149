using NotebookKit.Charts;
using NotebookKit.Runtime;
using NotebookKit.Training;

namespace NotebookKit.Tests.Training;

/// <summary>A view that keeps every redraw (reason, state and the HTML a notebook would show).</summary>
sealed class RecordingView : ITrainingView
{
    public List<(MonitorUpdate Reason, MonitorState State, string Html)> Updates { get; } = [];
    public TrainingMonitor? Monitor { get; private set; }
    public Exception? Throw { get; init; }

    public void Update(TrainingMonitor monitor, MonitorUpdate reason)
    {
        Monitor = monitor;
        Updates.Add((reason, monitor.State, LiveTrainingHtml.Render(monitor)));
        if (Throw is not null) throw Throw;
    }
}

/// <summary>
/// Installs the edge default (<see cref="LiveTraining.DefaultView"/>, what the notebook extension sets) for one test and
/// counts the displays it makes. Only the tests of that default use it; the others pass their observer explicitly.
/// </summary>
sealed class DefaultViews : IDisposable
{
    readonly Func<string, ITrainingView?>? previous = LiveTraining.DefaultView;
    public List<(string Title, RecordingView View)> Made { get; } = [];

    public DefaultViews(Func<RecordingView>? make = null) =>
        LiveTraining.DefaultView = title => { var view = (make ?? (() => new RecordingView()))(); Made.Add((title, view)); return view; };

    public void Dispose() => LiveTraining.DefaultView = previous;
}

public class LiveTrainingTests
{
    public LiveTrainingTests() => TorchRuntime.Require();

    static TrainResult FitHead(int epochs, Action<Trainer>? observe = null, ITrainingObserver? observer = null)
    {
        TorchSharp.torch.manual_seed(1);
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 4, valPerClass: 2, size: 32, batch: 8);
        using var trainCache = FeatureCache.Compute(pretrained.Model, train, 8, shuffle: true, seed: 0);
        using var valCache = FeatureCache.Compute(pretrained.Model, val, 8, shuffle: false, seed: 0);
        Freezing.FreezeUpTo(pretrained.Model, "layer4");
        var trainer = new Trainer(pretrained.Model, trainCache, valCache, new TrainOptions { Epochs = epochs, Phase = "head", Optimizer = new OptimizerOptions { LearningRate = 0.05 }, Observer = observer });
        observe?.Invoke(trainer);
        return trainer.Fit();
    }

    [Fact]
    public void A_fit_given_no_observer_shows_one_default_display_redrawn_after_every_epoch_and_finished_last()
    {
        using var views = new DefaultViews();

        var result = FitHead(4);

        var (title, view) = Assert.Single(views.Made);
        Assert.Equal("training: head", title);
        Assert.Equal(4, view.Updates.Count(u => u.Reason == MonitorUpdate.Epoch));
        Assert.Equal(MonitorUpdate.Finished, view.Updates[^1].Reason);
        Assert.Single(view.Updates, u => u.Reason == MonitorUpdate.Finished);
        Assert.Equal(MonitorUpdate.Batch, view.Updates[0].Reason); // shown before the first batch ends
        // 5 batches an epoch: between-batch redraws are throttled to one per 0.5 s, never one per batch
        Assert.True(view.Updates.Count(u => u.Reason == MonitorUpdate.Batch) <= 1 + 20, $"{view.Updates.Count} redraws");

        var monitor = view.Monitor!;
        Assert.Equal(MonitorState.Done, monitor.State);
        var curve = Assert.Single(monitor.Curves);
        Assert.Equal(result.History.Select(h => (h.Epoch, h.TrainLoss, h.ValidationAccuracy)), curve.Epochs.Select(h => (h.Epoch, h.TrainLoss, h.ValidationAccuracy)));
        var last = view.Updates[^1].Html;
        Assert.Contains(">done<", last);
        Assert.Contains($"best validation accuracy {result.BestValidationAccuracy.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)}", last);
        Assert.Equal(2, CountOf(last, "<svg"));
        Assert.DoesNotContain("<script", last);
        Assert.Contains(">training…<", view.Updates[0].Html);
    }

    [Fact]
    public void Two_phase_fine_tuning_continues_one_curve_in_one_display()
    {
        using var views = new DefaultViews();
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, val) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 2, valPerClass: 1, size: 32, batch: 10);

        TrainingRecipes.FineTune(new RecipeInput(pretrained.Model, train, val, new TrainOptions { Epochs = 3 }));

        var (title, view) = Assert.Single(views.Made);
        Assert.Equal("fine-tuning: head, then everything", title);
        var curve = Assert.Single(view.Monitor!.Curves);
        Assert.Equal("fine-tune", curve.Label);
        Assert.Equal([1, 2, 3], curve.Epochs.Select(e => e.Epoch));
        Assert.Equal(["head", "unfrozen", "unfrozen"], curve.Epochs.Select(e => e.Phase));
        Assert.Contains("fine-tune &#183; head &#183; epoch 1/3", view.Updates[0].Html); // the whole budget from the first phase
        Assert.Equal(MonitorState.Done, view.Monitor.State);
        Assert.Single(view.Updates, u => u.Reason == MonitorUpdate.Finished);
    }

    [Fact]
    public void A_fit_that_fails_shows_the_error_and_still_throws()
    {
        var view = new RecordingView();
        var monitor = new TrainingMonitor(view, "training");

        var error = Assert.Throws<InvalidOperationException>(() => FitHead(3, t => t.EpochCompleted += r => { if (r.Epoch == 2) throw new InvalidOperationException("disk full"); }, monitor));

        Assert.Equal(MonitorState.Failed, view.Monitor!.State);
        Assert.Contains("failed: disk full", view.Updates[^1].Html);
        Assert.Contains(">failed<", view.Updates[^1].Html);
        Assert.Equal(2, view.Monitor.Curves[0].Epochs.Count);
    }

    [Fact]
    public void A_view_that_throws_is_switched_off_and_training_goes_on()
    {
        var view = new RecordingView { Throw = new IOException("display gone") };

        var result = FitHead(2, observer: new TrainingMonitor(view));

        Assert.Equal(2, result.History.Count);
        Assert.Single(view.Updates);
        Assert.IsType<IOException>(view.Monitor!.ViewError);
    }

    [Fact]
    public void The_silent_observer_shows_nothing_even_when_a_default_display_is_set()
    {
        using var views = new DefaultViews();

        var result = FitHead(1, observer: TrainingObserver.None);

        Assert.Single(result.History);
        Assert.Empty(views.Made);
    }

    [Fact]
    public void A_monitor_passed_in_hears_every_epoch_and_is_left_open_for_its_owner()
    {
        using var views = new DefaultViews();
        var view = new RecordingView();
        var monitor = new TrainingMonitor(view, "mine");

        FitHead(2, observer: monitor.ForCurve("frozen", 2));

        Assert.Empty(views.Made); // the default display is not used when an observer is given
        Assert.Equal(MonitorState.Running, monitor.State);
        Assert.Equal(["frozen"], monitor.Curves.Select(c => c.Label));
        Assert.Equal(2, view.Updates.Count(u => u.Reason == MonitorUpdate.Epoch));
        monitor.Finish(MonitorState.Done);
        Assert.Contains(">done<", view.Updates[^1].Html);
    }

    [Fact]
    public void Batch_redraws_are_throttled_and_running_loss_points_bounded()
    {
        var view = new RecordingView();
        var monitor = new TrainingMonitor(view, "t", TimeSpan.FromHours(1));
        monitor.BeginFit("c", "train", epochs: 2, batchesPerEpoch: 5000, earlier: []);
        for (int b = 1; b <= 5000; b++) monitor.OnBatch(new BatchProgress(1, b, 5000, 1.0 / b, 8));

        Assert.Single(view.Updates); // the first draw; the next batch redraw is an hour away
        Assert.Equal(5000, monitor.Status!.Batch);
        Assert.Equal(0.5, monitor.Status.Progress, 6);

        var eager = new TrainingMonitor(new RecordingView(), "t", TimeSpan.Zero);
        eager.BeginFit("c", "train", epochs: 1, batchesPerEpoch: 5000, earlier: []);
        for (int b = 1; b <= 5000; b++) eager.OnBatch(new BatchProgress(1, b, 5000, 1.0 / b, 8));
        Assert.Equal(5001, eager.Updates);
        Assert.InRange(eager.Curves[0].RunningLoss.Count, TrainingMonitor.MaxPointsPerCurve / 2, TrainingMonitor.MaxPointsPerCurve);
        Assert.Equal(1.0, eager.Curves[0].RunningLoss[^1].Epoch, 9);
    }

    [Fact]
    public void Work_between_fits_is_reported_in_the_shared_display()
    {
        var view = new RecordingView();
        var monitor = new TrainingMonitor(view, "comparison");
        var pretrained = TrainingFixture.Pretrained(10);
        var (train, _) = TrainingFixture.Loaders(pretrained.Preprocessing, trainPerClass: 2, size: 32, batch: 10);

        using (var cache = FeatureCache.Compute(pretrained.Model, train, 10, shuffle: false, seed: 0, observer: monitor.ForCurve("frozen"))) { }
        monitor.Finish(MonitorState.Done);
        int updates = view.Updates.Count;
        using (var _ = FeatureCache.Compute(pretrained.Model, train, 10, shuffle: false, seed: 0)) { } // no observer: nothing

        Assert.Equal(updates, view.Updates.Count);
        Assert.Contains("frozen: computing features: 10/20 images", view.Updates[0].Html); // the first report draws at once
        Assert.Equal(MonitorUpdate.Finished, view.Updates[^1].Reason);
        Assert.DoesNotContain("computing features", view.Updates[^1].Html); // a finished run shows its outcome
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}

public class SvgLineChartTests
{
    [Fact]
    public void Points_land_where_the_axes_say()
    {
        // 340 x 190 with margins left 44, right 8, top 20, bottom 22: the plot spans x 44..332, y 20..168.
        var svg = SvgLineChart.Render("acc", [new("a", "#123456", [(0, 0), (1, 1), (2, 0.5)])], xMax: 2, yMin: 0, yMax: 1);

        Assert.Contains("points=\"44.0,168.0 188.0,20.0 332.0,94.0\"", svg);
        Assert.Contains("stroke=\"#123456\"", svg);
    }

    [Fact]
    public void Labels_are_escaped_non_finite_points_skipped_and_no_script_is_used()
    {
        var svg = SvgLineChart.Render("<b>loss</b>", [new("<script>x</script>", "red", [(0, 1), (1, double.NaN), (2, 0.5)], Markers: true)], xMax: 2);

        Assert.DoesNotContain("<script", svg);
        Assert.DoesNotContain("<b>", svg);
        Assert.Contains("&lt;b&gt;loss&lt;/b&gt;", svg);
        Assert.Equal(2, (svg.Length - svg.Replace("<circle", "").Length) / "<circle".Length);
        Assert.DoesNotContain("NaN", svg);
    }

    [Fact]
    public void An_empty_chart_says_it_is_waiting()
    {
        Assert.Contains("waiting for the first values", SvgLineChart.Render("loss", [], xMax: 3));
    }
}
