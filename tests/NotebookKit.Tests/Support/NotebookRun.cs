using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookKit.Tests.Support;

/// <summary>One code cell's outputs after a headless run.</summary>
sealed record CellOutputs(int Index, string FirstLine, IReadOnlyList<JsonObject> Outputs, int? ExecutionCount = null)
{
    /// <summary>Whether the host ran the cell (Jupyter records an execution count on each cell it ran).</summary>
    public bool Executed => ExecutionCount is > 0;

    public IEnumerable<string> Errors => Outputs
        .Where(o => (string?)o["output_type"] == "error")
        .Select(o => $"{o["ename"]}: {o["evalue"]}");

    /// <summary>All text of all outputs (html, plain, streams) joined, for assertions on what a user sees.</summary>
    public string Text => string.Join("\n", Outputs.Select(o =>
        o["data"] is JsonObject data
            ? string.Join("\n", data.Select(kv => Join(kv.Value)))
            : Join(o["text"]) + Join(o["evalue"])));

    static string Join(JsonNode? node) => node switch
    {
        JsonArray array => string.Concat(array.Select(x => (string?)x)),
        JsonValue value => value.ToString(),
        _ => "",
    };
}

/// <summary>The program that runs a notebook in a test.</summary>
enum NotebookHost
{
    /// <summary>dotnet-repl: a headless runner that hosts the C# kernel itself; it writes every in-place display update as an output.</summary>
    Repl,

    /// <summary>
    /// The kernel users run: `dotnet-interactive jupyter` (Jupyter, and the same app VS Code starts), as registered by
    /// environment/setup.sh, driven cell by cell by Jupyter's own client (nbclient) through tests/kernel/run-notebook.py.
    /// </summary>
    Jupyter,
}

/// <summary>Runs a notebook headless, the way a kernel runs it, and reads back every cell's outputs.</summary>
sealed class NotebookRun
{
    public required string Notebook { get; init; }
    public required NotebookHost Host { get; init; }
    public required ProcessResult Process { get; init; }
    public required IReadOnlyList<CellOutputs> Cells { get; init; }

    public static NotebookRun Execute(string notebookPath, TimeSpan timeout, NotebookHost host = NotebookHost.Repl)
    {
        LocalKitFeed.EnsurePacked();
        var output = Path.Combine(Path.GetTempPath(), $"nbkit-run-{Guid.NewGuid():N}.ipynb");
        try
        {
            var environment = new Dictionary<string, string?> { ["NBKIT_SMOKE"] = "1" };
            var folder = Path.GetDirectoryName(notebookPath)!;
            var process = host switch
            {
                NotebookHost.Repl => ProcessRunner.Dotnet(
                    ["dotnet-repl", "--run", notebookPath, "--exit-after-run", "--output-format", "ipynb", "--output-path", output],
                    timeout, workingDirectory: folder, environment: environment),
                _ => ProcessRunner.Run(JupyterKernel.Python,
                    [JupyterKernel.Runner, notebookPath, output, "--cell-timeout", ((int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)],
                    folder, timeout + TimeSpan.FromMinutes(2), environment),
            };
            var cells = File.Exists(output) ? Read(output) : [];
            return new NotebookRun { Notebook = Path.GetFileName(notebookPath), Host = host, Process = process, Cells = cells };
        }
        finally
        {
            if (File.Exists(output)) File.Delete(output);
        }
    }

    static List<CellOutputs> Read(string path)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var result = new List<CellOutputs>();
        var cells = notebook["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i]!.AsObject();
            if ((string?)cell["cell_type"] != "code") continue;
            var source = cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
            var outputs = (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            result.Add(new CellOutputs(i, source.Split('\n')[0], outputs, cell["execution_count"] is JsonValue count && count.TryGetValue(out int n) ? n : null));
        }
        return result;
    }

    /// <summary>A message naming the notebook and each failing cell, or null when every cell ran clean.</summary>
    public string? Failure()
    {
        if (Process.TimedOut) return $"{Notebook} ({Host}): did not finish in time.\n{Process.Tail()}";
        var failing = Cells.Where(c => c.Errors.Any()).ToList();
        if (failing.Count > 0)
            return string.Join("\n", failing.Select(c => $"{Notebook} ({Host}), cell {c.Index} (`{c.FirstLine}`): {string.Join("; ", c.Errors)}"));
        if (Cells.Count == 0) return $"{Notebook}: no output notebook was written (exit code {Process.ExitCode}).\n{Process.Tail()}";
        if (Process.ExitCode != 0) return $"{Notebook}: {(Host == NotebookHost.Repl ? "dotnet-repl" : "the Jupyter run")} exited with {Process.ExitCode}.\n{Process.Tail()}";
        return null;
    }
}
