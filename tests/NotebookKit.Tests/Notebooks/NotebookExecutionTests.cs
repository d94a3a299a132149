using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Notebooks;

/// <summary>Every notebook in notebooks/ runs top to bottom headless in smoke mode, with no cell error.</summary>
[Collection(NotebookCollection.Name)]
public class NotebookExecutionTests
{
    static string NotebooksFolder => Path.Combine(Fixtures.RepositoryRoot, "notebooks");

    // Each notebook runs once per host per test session; the tests that look at its outputs share that run.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, NotebookHost), Lazy<NotebookRun>> runs = new();

    /// <summary>
    /// Where the notebooks run: the real kernel when this machine can drive it (or CI requires it), dotnet-repl otherwise.
    /// The live-progress test always uses dotnet-repl, which records every in-place update as an output of its own.
    /// </summary>
    internal static NotebookHost DefaultHost => JupyterKernel.Missing is null || JupyterKernel.Required ? NotebookHost.Jupyter : NotebookHost.Repl;

    internal static NotebookRun Run(string notebook, NotebookHost? host = null) => runs.GetOrAdd((notebook, host ?? DefaultHost),
        key => new Lazy<NotebookRun>(() => NotebookRun.Execute(Path.Combine(NotebooksFolder, key.Item1), TimeSpan.FromMinutes(10), key.Item2))).Value;

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Runs_headless_without_a_cell_error(string notebook)
    {
        var run = Run(notebook); // in the real kernel where it can run (RealKernelNotebookTests says so), else in dotnet-repl

        Assert.True(run.Failure() is null, run.Failure());
        // The first code cell references the kit and says, in one line, that smoke-mode numbers are a smoke test.
        Assert.Contains("Smoke mode: tiny data, few epochs, one seed.", run.Cells[0].Text);
    }

    [Fact]
    public void Every_notebook_has_the_courses_parts_exercises_and_code_lines_that_fit_a_projector()
    {
        foreach (var path in Directory.EnumerateFiles(NotebooksFolder, "*.ipynb"))
        {
            var name = Path.GetFileName(path);
            var cells = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
                .Select(c => (Kind: (string?)c!["cell_type"], Text: string.Concat(c!["source"]!.AsArray().Select(l => (string?)l)))).ToList();
            var markdown = string.Join("\n", cells.Where(c => c.Kind == "markdown").Select(c => c.Text));
            foreach (var part in new[] { "In this notebook you will learn", "## Exercises", "## What we learned", "## See also" })
                Assert.True(markdown.Contains(part, StringComparison.Ordinal), $"{name} has no '{part}'.");
            var code = cells.Where(c => c.Kind == "code").ToList();
            Assert.StartsWith("#r \"nuget: NotebookKit, *-*\"", code[0].Text);
            Assert.Contains("// SmokeMode.Enabled = true;", code[0].Text); // smoke mode can be switched on in the first cell
            foreach (var line in code.SelectMany(c => c.Text.Split('\n')))
                Assert.True(line.Length <= 100, $"{name}: a code line of {line.Length} characters (at most 100): {line}");
            for (int i = 1; i < cells.Count; i++)
                if (cells[i].Kind == "code") Assert.True(cells[i - 1].Kind == "markdown", $"{name}: cell {i} has no sentence before it.");
        }
    }

    /// <summary>
    /// The course states what real runs measured; while a figure was still to be measured its place held a placeholder
    /// (⟦MEASURE: …⟧, ⟦SMOKE nn⟧, …). None may be left in a notebook, the workshop guide, the README or an app.
    /// </summary>
    [Fact]
    public void No_figure_is_left_as_a_placeholder()
    {
        var root = Fixtures.RepositoryRoot;
        var texts = Directory.EnumerateFiles(NotebooksFolder, "*.ipynb")
            .Concat(Directory.EnumerateFiles(Path.Combine(NotebooksFolder, "apps"), "*.cs"))
            .Append(Path.Combine(NotebooksFolder, "README.md")).Append(Path.Combine(root, "README.md"));
        var left = texts.SelectMany(path => System.Text.RegularExpressions.Regex
                .Matches(File.ReadAllText(path).Replace("\\u27e6", "⟦").Replace("\\u27e7", "⟧"), "⟦[^⟧]*⟧") // notebooks escape them in JSON
                .Select(m => $"{Path.GetFileName(path)}: {m.Value}"))
            .ToList();
        Assert.True(left.Count == 0, "placeholders left:\n" + string.Join("\n", left));
    }

    [Fact]
    public void Setup_notebook_shows_the_device_a_tensor_an_offline_chart_and_a_model_summary()
    {
        var run = Run("00-setup.ipynb");
        Assert.True(run.Failure() is null, run.Failure());

        var outputs = run.Cells.Select(c => c.Text).ToList();
        Assert.Contains(outputs, o => o.Contains("NotebookKit.Interactive.dll")); // the kernel extension loaded with the package
        Assert.Contains(outputs, o => o.Contains("<th") && o.Contains("device") && o.Contains("CPU"));
        Assert.Contains(outputs, o => o.Contains("<b>Tensor</b> shape [3, 4], Float32, cpu"));
        var chart = Assert.Single(outputs, o => o.Contains("Plotly.newPlot("));
        Assert.Contains("plotly.js v2.", chart);
        Assert.DoesNotContain("<script src=", chart);
        Assert.Contains(outputs, o => o.Contains("<b>resnet18-2223</b> at 224x224") && o.Contains("<td>layer4</td>"));
        if (ResNet50Cached)
            Assert.Contains(outputs, o => o.Contains("<b>resnet50") && o.Contains("<td>layer4</td>"));
        else
            Assert.Contains(outputs, o => o.Contains("Skipped: ResNet-50's weights are not in the cache."));
    }

    /// <summary>Whether ResNet-50's weights are in this user's cache (the notebooks then run their ResNet-50 cells).</summary>
    static bool ResNet50Cached => new NotebookKit.Models.Weights.WeightsStore().IsCached(NotebookKit.Models.Weights.WeightsRegistry.Find("resnet50", "tv-imagenet1k-v2"));

    /// <summary>Whether a dataset close to ImageNet is downloaded (06 then runs its close-to-ImageNet comparison).</summary>
    static bool CloseDatasetAvailable => NotebookKit.Data.DatasetCatalog.All.Any(d => d.Name is "hymenoptera" or "imagenette-160" && NotebookKit.Data.DatasetCatalog.IsAvailable(d));

    [Fact]
    public void Freeze_or_fine_tune_notebook_shows_the_comparison_and_its_charts()
    {
        var run = Run("06-freeze-or-fine-tune.ipynb");
        Assert.True(run.Failure() is null, run.Failure());

        var outputs = run.Cells.Select(c => c.Text).ToList();
        // One comparison table, plus one per optional run (a dataset close to ImageNet, ResNet-50) whose data is on this machine.
        var extras = (CloseDatasetAvailable ? 1 : 0) + (ResNet50Cached ? 1 : 0);
        var tables = outputs.Where(o => o.Contains("<th>final val acc (95% CI)</th>")).ToList();
        Assert.Equal(1 + extras, tables.Count);
        var table = tables[0];
        Assert.Contains("scratch", table);
        Assert.Contains("finetune", table);
        Assert.Contains("On this data", table);                 // the verdict
        Assert.Contains("<th>A − B</th>", table);               // the paired comparisons
        Assert.Contains("class=\"nbkit-caveat\"", table);       // the smoke preset says it is no answer
        var charts = outputs.Count(o => o.Contains("Plotly.newPlot(")); // accuracy with intervals, cost, the study
        Assert.True(extras == 0 ? charts == 3 : charts >= 3, $"{charts} charts");
        Assert.Contains(outputs, o => o.Contains("images per class") && o.Contains("Cost at 10/class: frozen"));
        Assert.Equal(!CloseDatasetAvailable, outputs.Any(o => o.Contains("Skipped: no dataset close to ImageNet is downloaded.")));
        Assert.Equal(!ResNet50Cached, outputs.Any(o => o.Contains("Skipped: ResNet-50's weights are not in the cache.")));
        var evaluation = Assert.Single(outputs, o => o.Contains("class=\"nbkit-confusion\""));
        Assert.Contains("class=\"nbkit-per-class\"", evaluation);
        Assert.Contains("T-shirt/top", evaluation);
    }

    [Fact]
    public void Your_data_notebook_shows_an_image_and_its_augmented_views()
    {
        var run = Run("02-your-data.ipynb");
        Assert.True(run.Failure() is null, run.Failure());

        var grid = Assert.Single(run.Cells, c => c.FirstLine.StartsWith("var views", StringComparison.Ordinal)).Text;
        Assert.Equal(6, grid.Split("<img src=\"data:image/png;base64,").Length - 1);
        Assert.Contains(">original<", grid);
        Assert.Contains(">view 5<", grid);
        Assert.Contains(run.Cells, c => c.Text.Contains("oops.jpg")); // the bad-file report names the file
    }

    [Fact]
    public void Feature_extraction_notebook_ends_with_an_evaluation_and_its_confusion_matrix()
    {
        var run = Run("04-feature-extraction.ipynb");
        Assert.True(run.Failure() is null, run.Failure());

        var evaluation = Assert.Single(run.Cells, c => c.FirstLine.StartsWith("Trainer.Evaluate", StringComparison.Ordinal)).Text;
        Assert.Contains("50 images: accuracy", evaluation); // smoke mode: 5 validation images per class
        Assert.Equal(2 * (1 + 10), evaluation.Split("<tr>").Length - 1); // confusion matrix and per-class table: a header and 10 class rows each
        var baseline = Assert.Single(run.Cells, c => c.FirstLine.StartsWith("using NotebookKit.Experiments.Statistics", StringComparison.Ordinal)).Text;
        Assert.Contains("random features", baseline); // the baseline frozen ImageNet features must beat
        Assert.Contains("exact McNemar p", baseline);
    }

    [Fact]
    public void Fine_tuning_notebook_exports_the_model_and_onnx_runtime_agrees_with_torchsharp()
    {
        var run = Run("05-fine-tuning.ipynb");
        Assert.True(run.Failure() is null, run.Failure());

        // The range test runs on the frozen body with a new head, and its suggestion is the rate the recipe uses.
        Assert.Contains("the head phase will train at", Assert.Single(run.Cells, c => c.FirstLine.StartsWith("var baseRate = lr.MinimumLoss", StringComparison.Ordinal)).Text);
        var check = Assert.Single(run.Cells, c => c.FirstLine.StartsWith("using NotebookKit.Export", StringComparison.Ordinal)).Text;
        Assert.Contains("<b>ONNX Runtime vs TorchSharp</b> on 7 images x 10 outputs", check); // the kit's formatter
        Assert.Contains("within the 0.0001 tolerance", check);
    }

    [Theory]
    [InlineData("01-the-answer-first.ipynb", "var preset = SmokeMode.Preset()", "compare: frozen, finetune on fashion-mnist-small", "finetune &#183; unfrozen &#183; epoch 3/3")]
    [InlineData("04-feature-extraction.ipynb", "var headOptimizer", "training", "epoch 10/10")]
    [InlineData("05-fine-tuning.ipynb", "var result = TrainingRecipes.FineTune", "fine-tuning: head, then everything", "fine-tune &#183; unfrozen &#183; epoch 3/3")]
    [InlineData("06-freeze-or-fine-tune.ipynb", "var comparison = Comparer.Run", "compare: scratch, frozen, finetune on fashion-mnist-small", "finetune &#183; unfrozen &#183; epoch 3/3")]
    public void Training_cells_show_live_progress_redrawn_in_place_until_done(string notebook, string cellStart, string title, string lastStatus)
    {
        var run = Run(notebook, NotebookHost.Repl);
        Assert.True(run.Failure() is null, run.Failure());

        // dotnet-repl writes each in-place update (update_display_data in Jupyter) as an output of its own: the
        // sequence is what a user watched, the last one is what stays.
        var cell = Assert.Single(run.Cells, c => c.FirstLine.StartsWith(cellStart, StringComparison.Ordinal));
        var live = cell.Outputs.Select(o => o["data"]?["text/html"]).Select(h => h is null ? "" : string.Concat(h is System.Text.Json.Nodes.JsonArray a ? a.Select(x => (string?)x) : [(string?)h]))
            .Where(h => h.Contains("class=\"nbkit-live\"")).ToList();
        Assert.True(live.Count >= 2, $"{live.Count} live outputs");
        Assert.Contains($"<b>{title}</b>", live[0]);
        Assert.Contains(">training…<", live[0]);
        Assert.Contains(">done<", live[^1]);
        Assert.Contains(lastStatus, live[^1]);
        Assert.Contains("best validation accuracy", live[^1]);
        Assert.Equal(2, live[^1].Split("<svg").Length - 1);
        Assert.All(live.SkipLast(1), h => Assert.DoesNotContain(">done<", h));
    }

    [Fact]
    public void Batchnorm_notebook_shows_the_statistics_drift_only_without_the_kits_policy()
    {
        var run = Run("07-batchnorm-pitfall.ipynb");
        Assert.True(run.Failure() is null, run.Failure());

        var drifts = Assert.Single(run.Cells, c => c.Text.Contains("running mean moved by up to")).Text;
        Assert.DoesNotContain("Naive: running mean moved by up to 0.0000;", drifts);       // the statistics moved
        Assert.DoesNotContain("TrainAffine: running mean moved by up to 0.0000;", drifts); // fastai's train_bn: they move too
        Assert.Contains("FrozenStatistics: running mean moved by up to 0.0000;", drifts);  // the kit's default: they did not
        var measured = Assert.Single(run.Cells, c => c.FirstLine.StartsWith("var settings = new TrainSettings", StringComparison.Ordinal)).Text;
        Assert.Contains("paired t", measured); // three seeds each, compared with FrozenStatistics pairwise
        Assert.Contains(run.Cells, c => c.Text.Contains("with each batch's: the jump the unfrozen phase starts with"));
    }

    [Fact]
    public void Notebooks_are_committed_with_outputs_cleared_and_polyglot_metadata()
    {
        foreach (var path in Directory.EnumerateFiles(NotebooksFolder, "*.ipynb"))
        {
            var text = File.ReadAllText(path);
            Assert.False(text.Contains("\"output_type\""), $"{Path.GetFileName(path)} has outputs; clear them before committing.");
            Assert.Contains("\"polyglot_notebook\"", text);
            Assert.Contains("\"kernelName\": \"csharp\"", text);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection
{
    public const string Name = "notebooks (heavy, one at a time)";
}
