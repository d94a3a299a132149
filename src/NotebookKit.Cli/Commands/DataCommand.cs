using System.CommandLine;
using NotebookKit.Data;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit data inspect [PATH]</c>: what a dataset holds and which files are bad.</summary>
static class DataCommand
{
    public static Command Create()
    {
        var path = new Argument<string?>("path") { Description = "A folder with one sub-folder per class, a folder of IDX files, or a CSV (path,label). Default: the embedded Fashion-MNIST subset.", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var headersOnly = new Option<bool>("--headers-only") { Description = "Check only each image's header (faster; an image whose data is cut short or corrupt then passes). Default: decode every image in full, as training will." };
        var inspect = new Command("inspect", "Format, classes with usable counts, image sizes and every bad file. Exit 0 when the dataset is usable.") { path, json, headersOnly };
        inspect.SetAction(parse =>
        {
            DatasetInspection report;
            report = DatasetInspection.Of(Datasets.Open(parse.GetValue(path)), headersOnly: parse.GetValue(headersOnly)); // a DatasetException is the command line's one failure report (exit 2)
            if (parse.GetValue(json))
                JsonOutput.Write(new
                {
                    format = report.Format,
                    root = report.Root,
                    classes = report.Classes.Select(c => new { name = c.Name, count = c.Count }),
                    problems = report.Problems.Select(p => new { path = p.Path, reason = p.Reason }),
                    warnings = report.Warnings,
                    splits = report.Splits.Select(s => new { name = s.Name, count = s.Count }),
                    image_size = report.ImageSize,
                    @checked = report.HeadersOnly ? "headers" : "decoded",
                });
            else Render(report);
            if (report.Usable) return 0;
            Console.Error.WriteLine($"{Term.Plain(report.Root)}: not usable for training: fewer than two classes have usable images.");
            return 1;
        });
        return new Command("data", "Look at, list and download datasets.") { inspect, List(), Fetch() };
    }

    static Command List()
    {
        var json = CommonOptions.Json();
        var list = new Command("list", "The datasets nbkit can download by name.") { json };
        list.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                JsonOutput.Write(DatasetCatalog.All.Select(d => new { name = d.Name, description = d.Description, licence = d.Licence, urls = d.Files.Select(f => f.Url.ToString()) }));
                return 0;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("name").AddColumn("what").AddColumn("licence");
            foreach (var d in DatasetCatalog.All) table.AddRow(Term.Escape(d.Name), Term.Escape(d.Description), Term.Escape(d.Licence));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"Cached in {Term.Escape(KitPaths.Datasets)} (set {KitPaths.HomeVariable} to move it).");
            return 0;
        });
        return list;
    }

    static Command Fetch()
    {
        var name = new Argument<string>("name") { Description = "A name from `nbkit data list`." };
        var json = CommonOptions.Json();
        var fetch = new Command("fetch", "Download (resuming, verifying) and extract a named dataset into the cache; print where it is.") { name, json };
        fetch.SetAction(async (parse, cancellation) =>
        {
            var known = DatasetCatalog.Find(parse.GetValue(name)!);
            if (known is null) throw new KitException($"Unknown dataset '{parse.GetValue(name)}'. Known: {string.Join(", ", DatasetCatalog.All.Select(d => d.Name))}.");
            string folder = parse.GetValue(json)
                ? await DatasetCatalog.EnsureAsync(known, cancellation: cancellation)
                : await AnsiConsole.Progress().StartAsync(async context =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var progress = new Progress<NotebookKit.Downloads.DownloadProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.FileName, out var task)) tasks[p.FileName] = task = context.AddTask(Term.Escape(p.FileName), maxValue: p.Total ?? 1);
                        if (p.Total is { } total) task.MaxValue = total;
                        task.Value = p.Received;
                    });
                    return await DatasetCatalog.EnsureAsync(known, progress: progress, cancellation: cancellation);
                });
            if (parse.GetValue(json)) JsonOutput.Write(new { name = known.Name, path = folder });
            else AnsiConsole.MarkupLine($"[green]{Term.Escape(known.Name)}[/] is in {Term.Escape(folder)}");
            return 0;
        });
        return fetch;
    }

    static void Render(DatasetInspection r)
    {
        AnsiConsole.MarkupLine($"[bold]{Term.Escape(r.Root)}[/] ({Term.Escape(r.Format)}): {Term.Escape(string.Join(", ", r.Splits.Select(s => $"{s.Name} {s.Count}")))} usable images");
        if (r.ImageSize is not null) AnsiConsole.MarkupLine($"image size: {Term.Escape(r.ImageSize.ToString())}");
        var classes = new Table().Border(TableBorder.Rounded).AddColumn("class").AddColumn(new TableColumn("images").RightAligned());
        foreach (var c in r.Classes) classes.AddRow(Term.Escape(c.Name), c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(classes);
        if (r.Problems.Count > 0)
        {
            var problems = new Table().Border(TableBorder.Rounded).Title($"[red]{r.Problems.Count} file(s) skipped[/]").AddColumn("file").AddColumn("reason");
            foreach (var p in r.Problems) problems.AddRow(Term.Escape(p.Path), Term.Escape(p.Reason));
            AnsiConsole.Write(problems);
        }
        foreach (var w in r.Warnings) AnsiConsole.MarkupLine($"[yellow]warning[/]: {Term.Escape(w)}");
    }
}
