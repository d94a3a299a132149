using System.Text.Json;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Html = NotebookKit.Charts.Html;
using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Experiments;
using NotebookKit.Interactive;
using NotebookKit.Reports;
using NotebookKit.Tests.Support;
using NotebookKit.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NotebookKit.Tests.Charts;

/// <summary>
/// Every page and view the kit writes, rendered in process with hostile class and dataset names (see
/// <see cref="HostilePage"/>): the names show as text, and nothing in them runs.
/// </summary>
public class HostileNamesTests : IDisposable
{
    static readonly string[] Classes = HostilePage.Names;
    static readonly string Dataset = HostilePage.Names[1];
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    static readonly Strategy Frozen = new Strategy.FeatureExtraction(), Tuned = new Strategy.FineTune();

    static Evaluation Evaluation(int right)
    {
        int n = Classes.Length, images = 40;
        var predictions = Enumerable.Range(0, images).Select(i => new Prediction(i, i % n, i < right ? i % n : (i + 1) % n)).ToList();
        var confusion = new int[n, n];
        foreach (var p in predictions) confusion[p.Label, p.Predicted]++;
        return new Evaluation(0.7, (double)right / images, 0.9, 5, confusion, Classes,
            Classes.Select(c => new ClassMetrics(c, 0.5, 0.5, 0.5, images / n)).ToList(),
            [new WrongPrediction(0, "a/0.jpg", 1, 2, 0.93)]) { Count = images, Predictions = predictions };
    }

    static EpochRecord Epoch(int epoch, string phase = "train") => new(epoch, phase, 1.0 / epoch, 0.5, 1.1 / epoch, 0.4 + 0.1 * epoch, 0.01, 1, 100, 300, 50);

    static StrategyRun Run(Strategy strategy, int right) =>
        new(strategy, 0, new TrainResult([Epoch(1), Epoch(2)], right / 40.0, 2, null, false, false), Evaluation(right), 1000, 2, 40);

    static StrategySummary[] Summaries() => [new(Frozen, [Run(Frozen, 20)]), new(Tuned, [Run(Tuned, 30)])];

    /// <summary>Images for the "most confidently wrong" grid; the comparison's hostile classes caption them.</summary>
    PreparedData Data()
    {
        var samples = new List<(string, int)>();
        for (int i = 0; i < 3; i++)
            foreach (var folder in new[] { "a", "b" })
            {
                TestImages.Jpeg(Path.Combine(temp.Path, folder, $"{i}.jpg"));
                samples.Add(($"{folder}/{i}.jpg", folder == "a" ? 0 : 1));
            }
        var dataset = new FileImageDataset(Dataset, "imagefolder", temp.Path, Classes, samples);
        return new PreparedData(new DatasetSource(Dataset, "imagefolder", temp.Path, dataset, null, null), dataset, dataset);
    }

    Comparison Comparison() => new(Dataset, "resnet18", "w&<x>.pth", "note <i>", new TrainSettings(), [0], Summaries(), 40, 40, Classes) { Data = Data() };

    [Fact]
    public void Comparison_report_shows_the_names_as_text_and_runs_none_of_them()
    {
        var page = HostilePage.Check(ComparisonReport.Html(Comparison()), Classes);

        HostilePage.ShowsEscaped(page, [Dataset, $"true {Classes[1]}, predicted {Classes[2]} (", "w&<x>.pth", "note <i>"]);
        HostilePage.ChartsShow(page, Classes); // the confusion matrix's axes
        Assert.Equal(4, page.Figures.Count);
    }

    [Fact]
    public void Study_and_transferability_reports_keep_hostile_names_as_text()
    {
        var study = new StudyResult(Dataset, "resnet18", "w", new TrainSettings(), new StudyBudget(), [0], 40, Classes,
            [new StudyPoint(5, 25, 2, 6, Summaries()), new StudyPoint(10, 50, 2, 8, Summaries())]);
        var studyPage = HostilePage.Check(StudyReport.Html(study), Classes);
        HostilePage.ShowsEscaped(studyPage, [Dataset]);
        HostilePage.ChartsShow(studyPage, [Dataset]); // in the figure's title

        var transfer = new TransferabilityResult(Dataset, "resnet18", new TransferSplit(), [new TransferRunSplit(0, Classes[..2], Classes[2..])], [0], new TrainSettings(),
            [new TransferPoint("base B", 0, [0.5], 20), new TransferPoint("AnB", 1, [0.4], 20), new TransferPoint("AnB+", 1, [0.6], 20), new TransferPoint("BnB", 1, [0.45], 20), new TransferPoint("BnB+", 1, [0.55], 20)],
            [new BaseCurve(0, "A", [Epoch(1), Epoch(2)])], 12);
        var transferPage = HostilePage.Check(TransferabilityReport.Html(transfer), Classes);
        HostilePage.ShowsEscaped(transferPage, [Dataset, string.Join(", ", Classes[..2])]);
        HostilePage.ChartsShow(transferPage, [Dataset]);
    }

    [Fact]
    public void Evaluation_live_training_and_image_grid_escape_every_name()
    {
        var evaluation = HostilePage.Check(EvaluationHtml.Render(Evaluation(30)), Classes);
        HostilePage.ShowsEscaped(evaluation, Classes);
        HostilePage.ShowsEscaped(evaluation, [$"true {Classes[0]}, predicted {Classes[1]}"]);

        var monitor = new TrainingMonitor(new NoView(), Classes[0], TimeSpan.Zero);
        monitor.BeginFit(Classes[1], Classes[2], 2, 3, []);
        monitor.OnBatch(new BatchProgress(1, 1, 3, 0.5));
        monitor.OnEpoch(Epoch(1, Classes[2]));
        monitor.Finish(MonitorState.Stopped, Classes[3]);
        var live = HostilePage.Check(LiveTrainingHtml.Render(monitor), Classes);
        HostilePage.ShowsEscaped(live, [Classes[0], Classes[1], Classes[3]]);
        Assert.Contains(Html.Escape(Classes[1] + " validation"), SvgLineChart.Render("t", [new(Classes[1] + " validation", "#000", [(1, 0.5)], Markers: true)], 2, xLabel: Classes[4]));

        using var image = new Image<Rgb24>(4, 4);
        var grid = HostilePage.Check(ImageGrid.Of([image, image], Classes[..2]).Html, Classes);
        HostilePage.ShowsEscaped(grid, Classes[..2]);
    }

    [Fact]
    public void Chart_pages_and_fragments_carry_the_names_json_escaped()
    {
        var chart = ComparisonCharts.ConfusionMatrix(Evaluation(30), $"Confusion matrix of {Classes[0]}");

        var page = HostilePage.Check(OfflineChart.ToHtmlPage(chart, Classes[1]), Classes);
        HostilePage.ShowsEscaped(page, [Classes[1]]); // the page title
        HostilePage.ChartsShow(page, Classes);
        var fragment = HostilePage.Check(OfflineChart.ToHtmlFragment(chart), Classes);
        Assert.Single(fragment.Figures);
        HostilePage.Check(OfflineChart.ToHtmlPage(ComparisonCharts.History([Epoch(1), Epoch(2)], Classes[0])), Classes);

        // A chart made in a notebook, names as they are: its JSON reaches the script with '<' only as \u003c, and plotly.js gets the name back.
        var own = Plotly.NET.CSharp.Chart.Line<int, double, string>(x: [1, 2], y: [0.5, 0.25], Name: Classes[0]);
        var html = OfflineChart.ToHtmlFragmentWithoutLoader(own);
        Assert.Contains("\\u003c/script\\u003e\\u003cscript\\u003e", html);
        var start = html.IndexOf("var figure = ", StringComparison.Ordinal) + "var figure = ".Length;
        using var figure = JsonDocument.Parse(html[start..html.IndexOf(";\nPlotly.newPlot(", StringComparison.Ordinal)]);
        Assert.Equal(Classes[0], figure.RootElement.GetProperty("data")[0].GetProperty("name").GetString());
        Assert.DoesNotContain(Classes[0], html);
    }

    [Fact]
    public void File_based_apps_write_safe_pages()
    {
        var previous = AppOutput.Folder;
        var console = Console.Out;
        try
        {
            AppOutput.Folder = temp.Path;
            Console.SetOut(TextWriter.Null);
            AppOutput.Show(ComparisonCharts.ConfusionMatrix(Evaluation(30)), "chart");
            AppOutput.Show(Evaluation(30), "evaluation");
            using var image = new Image<Rgb24>(4, 4);
            AppOutput.Show(ImageGrid.Of([image], [Classes[0]]), "grid");
        }
        finally
        {
            Console.SetOut(console);
            AppOutput.Folder = previous;
        }
        foreach (var name in new[] { "chart", "evaluation", "grid" })
            HostilePage.Check(File.ReadAllText(Path.Combine(temp.Path, name + ".html")), Classes);
    }

    [Fact]
    public async Task Notebook_views_escape_every_name()
    {
        using var kernel = new CompositeKernel();
        await new NotebookKitExtension().OnLoadAsync(kernel);
        var comparison = Comparison();
        var data = comparison.Data!;

        foreach (var value in new object[] { comparison, Evaluation(30), data.Train, data.Source, DatasetInspection.Of(data.Source), ComparisonCharts.ConfusionMatrix(Evaluation(30)), comparison.Strategies[0].Runs[0].Result })
        {
            var page = HostilePage.Check(value.ToDisplayString("text/html"), Classes);
            Assert.NotEmpty(page.Markup);
        }
        HostilePage.ShowsEscaped(HostilePage.Check(data.Train.ToDisplayString("text/html"), Classes), Classes);
    }

    [Fact]
    public void Script_json_keeps_the_value_and_cannot_end_the_script()
    {
        foreach (var text in Classes.Append("a\\<\\/script>b").Append("&amp; \u2029 <!-- -->"))
        {
            var json = Html.ScriptJson(JsonSerializer.Serialize(new { name = text }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

            Assert.DoesNotContain("</", json);
            Assert.DoesNotContain("<!--", json);
            Assert.DoesNotContain("\u2028", json);
            using var parsed = JsonDocument.Parse(json);
            Assert.Equal(text, parsed.RootElement.GetProperty("name").GetString());
        }
        Assert.Equal("&amp;&lt;b&gt;x&lt;/b&gt; \"q\"", Html.ChartText("&<b>x</b> \"q\""));
    }

    sealed class NoView : ITrainingView
    {
        public void Update(TrainingMonitor monitor, MonitorUpdate reason) { }
    }
}
