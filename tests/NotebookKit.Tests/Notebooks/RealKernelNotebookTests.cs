using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Notebooks;

/// <summary>
/// Every notebook runs top to bottom, cell by cell, in smoke mode, in the kernel users run: the pinned
/// `dotnet-interactive jupyter` that environment/setup.sh registers, driven by Jupyter's own client. dotnet-repl (the
/// other notebook tests) hosts the C# kernel without the app's assemblies, so a name that collides with one of them
/// (notebook 05's `Recipes`, issue 29) compiled there and failed here.
/// </summary>
[Collection(NotebookCollection.Name)]
public class RealKernelNotebookTests
{
    [RealKernelTheory]
    [MemberData(nameof(NotebookExecutionTests.Notebooks), MemberType = typeof(NotebookExecutionTests))]
    public void Runs_in_the_real_kernel_without_a_cell_error(string notebook)
    {
        Assert.True(JupyterKernel.Missing is null, JupyterKernel.Missing); // only reached here when required (CI) or available
        var run = NotebookExecutionTests.Run(notebook, NotebookHost.Jupyter); // the run the other notebook tests read, where the kernel is here

        Assert.True(run.Failure() is null, run.Failure());
        var code = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "notebooks", notebook)))!["cells"]!
            .AsArray().Count(c => (string?)c!["cell_type"] == "code");
        Assert.Equal(code, run.Cells.Count);
        Assert.Contains("Smoke mode: tiny data, few epochs, one seed.", run.Cells[0].Text);
        // The kit's kernel extension loaded in this kernel too (it registers the formatters and the FSharp.Core mapping).
        Assert.Contains("NotebookKit.Interactive.dll", run.Cells[0].Text);
        // Every cell ran: the last code cell has executed (nbclient records an execution count on each cell it ran).
        Assert.All(run.Cells, c => Assert.True(c.Executed, $"{notebook}, cell {c.Index} (`{c.FirstLine}`) did not run"));
    }
}
