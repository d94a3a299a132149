using System.CommandLine;
using NotebookKit.Experiments;
using NotebookKit.Reports;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary>
/// <c>--out DIR</c> and <c>--resume DIR</c> of the multi-run commands (compare, study, transferability): the folder is
/// claimed first (writable, not used by another run), and its journal (<see cref="RunLog"/>) is started or resumed.
/// </summary>
sealed class ExperimentFolder(string defaultFolder)
{
    public Option<string> Output { get; } = new("--out") { Description = "Folder for the journal (runs.jsonl), results and report.", DefaultValueFactory = _ => defaultFolder };
    public Option<string?> Resume { get; } = new("--resume") { Description = "Complete an interrupted run in this folder: the runs in its runs.jsonl are kept, the rest are done (same options as the first time)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Output);
        command.Options.Add(Resume);
    }

    /// <summary>Claims the folder and opens its journal for <paramref name="protocol"/>; says what was resumed unless <paramref name="quiet"/>.</summary>
    public (OutputFolder Folder, RunLog Log) Open(ParseResult parse, object protocol, bool quiet)
    {
        var resume = parse.GetValue(Resume);
        var output = parse.GetValue(Output)!;
        if (resume is not null && parse.GetResult(Output) is { Implicit: false } && Path.GetFullPath(output) != Path.GetFullPath(resume))
            throw new ArgumentException($"--out {output} and --resume {resume} name different folders; --resume DIR writes into DIR.");
        var folder = OutputFolder.Claim(resume ?? output);
        try
        {
            var log = RunLog.Open(folder.Path, protocol, resume is not null);
            foreach (var notice in log.Notices) Console.Error.WriteLine($"nbkit: {notice}");
            if (!quiet && resume is not null) AnsiConsole.MarkupLine(Markup.Escape($"Resuming {folder.Path}: {log.Resumed} run(s) already done."));
            return (folder, log);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }
}
