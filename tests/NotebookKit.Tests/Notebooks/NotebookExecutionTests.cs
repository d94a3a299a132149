using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Notebooks;

/// <summary>Every notebook in notebooks/ runs top to bottom headless in smoke mode, with no cell error.</summary>
[Collection(NotebookCollection.Name)]
public class NotebookExecutionTests
{
    static string NotebooksFolder => Path.Combine(Fixtures.RepositoryRoot, "notebooks");

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
        var run = NotebookRun.Execute(Path.Combine(NotebooksFolder, notebook), TimeSpan.FromMinutes(10));

        Assert.True(run.Failure() is null, run.Failure());
    }

    [Fact]
    public void Setup_notebook_shows_the_device_a_tensor_an_offline_chart_and_a_model_summary()
    {
        var run = NotebookRun.Execute(Path.Combine(NotebooksFolder, "00-setup.ipynb"), TimeSpan.FromMinutes(10));
        Assert.True(run.Failure() is null, run.Failure());

        var outputs = run.Cells.Select(c => c.Text).ToList();
        Assert.Contains(outputs, o => o.Contains("NotebookKit.Interactive.dll")); // the kernel extension loaded with the package
        Assert.Contains(outputs, o => o.Contains("<th") && o.Contains("device") && o.Contains("CPU"));
        Assert.Contains(outputs, o => o.Contains("<b>Tensor</b> shape [3, 4], Float32, cpu"));
        var chart = Assert.Single(outputs, o => o.Contains("Plotly.newPlot("));
        Assert.Contains("plotly.js v2.", chart);
        Assert.DoesNotContain("<script src=", chart);
        Assert.Contains(outputs, o => o.Contains("<b>resnet18-2223</b> at 224x224") && o.Contains("<td>layer4</td>"));
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
