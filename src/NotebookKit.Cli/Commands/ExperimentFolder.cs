using System.CommandLine;
using NotebookKit.Experiments;
using NotebookKit.Reports;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary>
/// <c>--out DIR</c> and <c>--resume DIR</c> of the multi-run commands (compare, study, transferability): the folder is
/// claimed first (writable, not used by another run), and its journal (<see cref="RunLog"/>) is started or resumed. A run
/// that fails before finishing anything (data refused, a size too large, torch or weights missing) takes back what the
/// claim wrote: no <c>run.json</c> and empty journal are left behind, nor a folder it created.
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

    /// <summary>
    /// Claims the folder, opens its journal for <paramref name="protocol"/> and runs <paramref name="work"/> with them; the
    /// folder is released afterwards. When <paramref name="work"/> fails (other than a stop asked for by Ctrl-C, which is
    /// resumable) before any run is journaled in a fresh folder, what the claim wrote is removed (<see cref="RunLog.DiscardIfEmpty"/>).
    /// </summary>
    public int Run(ParseResult parse, object protocol, bool quiet, Func<OutputFolder, RunLog, int> work)
    {
        var (folder, log) = Open(parse, protocol, quiet);
        try
        {
            var code = work(folder, log);
            folder.Dispose();
            return code;
        }
        catch
        {
            if (!Interrupts.Stopped && DiscardIfEmpty(log)) folder.Abandon();
            else folder.Dispose();
            throw;
        }
    }

    static bool DiscardIfEmpty(RunLog log)
    {
        try { return log.DiscardIfEmpty(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; } // the failure being reported matters more
    }

    /// <summary>Claims the folder and opens its journal for <paramref name="protocol"/>; says what was resumed unless <paramref name="quiet"/>.</summary>
    (OutputFolder Folder, RunLog Log) Open(ParseResult parse, object protocol, bool quiet)
    {
        var resume = parse.GetValue(Resume);
        var output = parse.GetValue(Output)!;
        if (resume is not null && parse.GetResult(Output) is { Implicit: false } && Path.GetFullPath(output) != Path.GetFullPath(resume))
            throw new ArgumentException($"--out {output} and --resume {resume} name different folders; --resume DIR writes into DIR.");
        var folder = OutputFolder.Claim(resume ?? output);
        try
        {
            var log = RunLog.Open(folder.Path, protocol, resume is not null);
            foreach (var notice in log.Notices) Console.Error.WriteLine($"nbkit: {Term.Plain(notice)}");
            if (!quiet && resume is not null) AnsiConsole.MarkupLine(Term.Escape($"Resuming {folder.Path}: {log.Resumed} run(s) already done."));
            return (folder, log);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }
}
