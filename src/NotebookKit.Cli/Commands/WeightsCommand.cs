using System.CommandLine;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using Spectre.Console;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit weights list|fetch|verify|import</c>.</summary>
static class WeightsCommand
{
    public static Command Create() => new("weights", $"Pretrained weights: the registry and the cache ({KitPaths.Weights}; set {KitPaths.HomeVariable} to move it).")
    {
        List(), Fetch("fetch", "Download (or import) weights into the cache, resuming and verifying; print the path."), Verify(), Import(),
    };

    static Command List()
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "Every known set of weights, and whether it is cached.") { json };
        command.SetAction(parse =>
        {
            var store = new WeightsStore();
            var rows = WeightsRegistry.All.Select(w => new
            {
                architecture = w.Architecture == "resnet18-2223" ? "resnet18" : w.Architecture,
                name = w.Name,
                source = w.Source.Describe(),
                checksum = w.Checksum.ToString(),
                top1 = w.Top1,
                classes = w.NumClasses,
                preprocessing = w.Preprocessing.ToString(),
                cached = store.IsCached(w),
                path = store.PathOf(w),
            }).ToList();
            if (parse.GetValue(json)) { JsonOutput.Write(rows); return 0; }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("--arch").AddColumn("--weights").AddColumn(new TableColumn("acc@1").RightAligned()).AddColumn("source").AddColumn("cached");
            foreach (var r in rows) table.AddRow(Term.Escape(r.architecture), Term.Escape(r.name), r.top1?.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) ?? "-", Term.Escape(r.source), r.cached ? "[green]yes[/]" : "no");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static Command Fetch(string name, string description)
    {
        var options = new ModelOptions();
        var json = CommonOptions.Json();
        var command = new Command(name, description) { json };
        options.AddTo(command, loadsWeights: false);
        command.SetAction(async (parse, cancellation) =>
        {
            var entry = WeightsRegistry.Find(parse.GetValue(options.Arch)!, parse.GetValue(options.Weights)!);
            if (entry.Source is PackageSource) TorchRuntime.Require(); // importing builds the model
            var path = await new WeightsStore().EnsureAsync(entry, cancellation: cancellation); // a failed download: exit 1, said once
            if (parse.GetValue(json)) JsonOutput.Write(new { architecture = entry.Architecture, weights = entry.Name, path });
            else AnsiConsole.MarkupLine($"[green]{Term.Escape(entry.Key)}[/] is in {Term.Escape(path)}");
            return 0;
        });
        return command;
    }

    static Command Verify()
    {
        var json = CommonOptions.Json();
        var command = new Command("verify", "Hash every cached weights file again and compare: downloads with the registry's SHA-256, imported files with the hash recorded when they were stored. Exit 1 when one does not match.") { json };
        command.SetAction(parse =>
        {
            var store = new WeightsStore();
            var rows = WeightsRegistry.All.Select(w => (w, result: store.Verify(w))).Where(x => x.result.Cached)
                .Select(x => (key: x.w.Key, x.result.Valid, x.result.Detail))
                .Concat(store.VerifyImported().Select(r => (key: Path.GetFileName(r.Path), Valid: (bool?)r.Valid, r.Detail)))
                .ToList();
            if (parse.GetValue(json))
                JsonOutput.Write(rows.Select(x => new { key = x.key, valid = x.Valid, detail = x.Detail }));
            else if (rows.Count == 0) AnsiConsole.MarkupLine($"No weights cached in {Term.Escape(store.Folder)}.");
            else foreach (var (key, valid, detail) in rows)
                AnsiConsole.MarkupLine($"{(valid switch { true => "[green]ok[/]", false => "[red]BAD[/]", null => "[yellow]unchecked[/]" })} {Term.Escape(key)}: {Term.Escape(detail)}");
            return rows.All(x => x.Valid != false) ? 0 : 1;
        });
        return command;
    }

    static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A .pth, .safetensors or .dat file to check against the architecture and store in the cache as safetensors." };
        var arch = new Option<string>("--arch") { Description = $"The architecture the file fits: {ModelOptions.Architectures}.", DefaultValueFactory = _ => "resnet50" };
        var name = new Option<string?>("--name") { Description = "The name to store it under (default: the file name)." };
        var json = CommonOptions.Json();
        var command = new Command("import", "Load a weights file into an architecture and store it in the cache as safetensors, with its SHA-256 recorded; a file that does not fit (keys missing, mis-shaped or unexpected) is refused and nothing is stored.") { file, arch, name, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var architecture = parse.GetValue(arch)!;
            var stem = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(path);
            if (!File.Exists(path)) throw new KitException($"{path}: file not found. Give a .pth, .safetensors or .dat weights file.");
            if (stem.Length == 0 || stem.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) >= 0 || stem.StartsWith('.'))
                throw new KitException($"--name {stem}: give a plain file name (no folders, not starting with a dot).");
            var store = new WeightsStore();
            var target = Path.Combine(store.Folder, $"{architecture}-{stem}.safetensors");
            if (WeightsRegistry.All.FirstOrDefault(w => store.PathOf(w) == target) is { } taken)
                throw new KitException($"--name {stem}: {Path.GetFileName(target)} is the cache file of the registry's {taken.Key}; choose another --name.");
            TorchRuntime.Require();
            var pretrained = Pretrained.Load(architecture, path); // refuses weights that do not fit, naming the keys
            using var model = pretrained.Model;
            // Store what came from the file, nothing made up: a file without a head stays without one.
            var own = model.state_dict();
            StateDicts.Write(pretrained.Report.Loaded.ToDictionary(k => k, k => own[k]), target);
            HashRecord.Compute(target).WriteFor(target);
            if (parse.GetValue(json))
                JsonOutput.Write(new { path = target, classes = pretrained.Report.SkippedHead ? (int?)null : model.NumClasses, loaded = pretrained.Report.Loaded.Count, missing = pretrained.Report.Missing, unexpected = pretrained.Report.Unexpected, mismatched = pretrained.Report.Mismatched });
            else AnsiConsole.MarkupLine($"{Term.Escape(pretrained.Report.ToString())}\nstored as {Term.Escape(target)}");
            return 0;
        });
        return command;
    }
}
