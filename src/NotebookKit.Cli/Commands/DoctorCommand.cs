using System.CommandLine;
using NotebookKit.Diagnostics;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit doctor</c>: what works here, what does not, and the fix.</summary>
static class DoctorCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("doctor", "Check .NET, TorchSharp/libtorch, the device, the Linux libstdc++ fix, the weights cache and notebook tools. Exit 0 when torch loads.")
        {
            json,
        };
        command.SetAction(parse =>
        {
            var report = DoctorReport.Collect();
            if (parse.GetValue(json)) JsonOutput.Write(report);
            else Render(report);
            return report.Torch.Loaded ? 0 : 1;
        });
        return command;
    }

    static void Render(DoctorReport r)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("check").AddColumn("result");
        table.AddRow("OS", Term.Escape(r.Os));
        table.AddRow(".NET", Term.Escape(r.Dotnet));
        table.AddRow("torch", r.Torch.Loaded
            ? $"[green]loads[/]: TorchSharp {Term.Escape(r.Torch.Version)}, libtorch {Term.Escape(r.Torch.Libtorch ?? "?")}"
            : $"[red]does not load[/]: {Term.Escape(r.Torch.Error ?? "")}");
        table.AddRow("device", r.Torch.Cuda ? $"[green]{Term.Escape(r.Torch.Device)}[/]" : $"CPU ({r.Torch.Threads} threads); no CUDA device or no CUDA build of TorchSharp");
        table.AddRow("libstdc++", Term.Escape(LibStdCxxLine(r.Libstdcxx)));
        foreach (var library in r.Libstdcxx.Libraries)
            table.AddRow("", Term.Escape($"{library.State}: {library.Path}" + (library.Blocking.Count > 0 ? $" (needs {string.Join(", ", library.Blocking)})" : "")));
        foreach (var error in r.Libstdcxx.Errors) table.AddRow("", $"[red]{Term.Escape(error)}[/]");
        table.AddRow("oneDNN", Term.Escape($"{(r.Onednn.Enabled ? "on" : "off")} (mode {r.Onednn.Mode}; {NotebookKit.Runtime.OneDnn.Variable}=on|off|auto)"));
        table.AddRow("weights cache", Term.Escape($"{r.WeightsCache.Path} ({(r.WeightsCache.Exists ? $"{r.WeightsCache.Files.Count} files" : "empty")}; {r.WeightsCache.Override})"));
        foreach (var file in r.WeightsCache.Files.Take(10)) table.AddRow("", Term.Escape($"{file.Name}  {file.Bytes / 1048576.0:F1} MB"));
        var tools = r.NotebookTools;
        table.AddRow("notebooks", Term.Escape(
            $"dotnet-interactive: {(tools.DotnetInteractive ? "yes" : "no")}, dotnet-repl: {(tools.DotnetRepl ? "yes" : "no")}, "
            + $"jupyter: {tools.Jupyter ?? "not found"}, kernels: {(tools.JupyterKernels.Count > 0 ? string.Join(", ", tools.JupyterKernels) : "none registered")}"));
        AnsiConsole.Write(table);
    }

    static string LibStdCxxLine(LibStdCxxReport r) =>
        r.Note ?? $"{r.Newest} at {r.Path}";
}
