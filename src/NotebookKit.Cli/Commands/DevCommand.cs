using System.CommandLine;
using NotebookKit.Cli.Tools;

namespace NotebookKit.Cli.Commands;

/// <summary><c>nbkit dev ...</c>: tools for the kit's own repository.</summary>
static class DevCommand
{
    public static Command Create()
    {
        var folder = new Option<string>("--notebooks") { Description = "The notebooks folder.", DefaultValueFactory = _ => "notebooks" };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when an app differs from its notebook." };
        var command = new Command("notebooks-to-apps", "Generate notebooks/apps/*.cs (file-based apps) from notebooks/*.ipynb, so the two never drift.") { folder, check };
        command.SetAction(parse =>
        {
            var notebooks = Path.GetFullPath(parse.GetValue(folder)!);
            var apps = Path.Combine(notebooks, "apps");
            Directory.CreateDirectory(apps);
            int stale = 0;
            foreach (var notebook in Directory.EnumerateFiles(notebooks, "*.ipynb").Order(StringComparer.Ordinal))
            {
                var target = Path.Combine(apps, Path.GetFileNameWithoutExtension(notebook) + ".cs");
                var text = NotebookToApp.Convert(notebook, "../../src/NotebookKit/NotebookKit.csproj");
                bool same = File.Exists(target) && File.ReadAllText(target) == text;
                if (same) continue;
                stale++;
                if (parse.GetValue(check)) Console.Error.WriteLine($"{target} differs from {notebook}: run `nbkit dev notebooks-to-apps`.");
                else { File.WriteAllText(target, text); Console.WriteLine($"wrote {target}"); }
            }
            return parse.GetValue(check) && stale > 0 ? 1 : 0;
        });
        return new Command("dev", "Tools for working on the kit itself.") { command, TrainCheckCommand() };
    }

    static Command TrainCheckCommand()
    {
        var arch = new Option<string>("--arch") { Description = "The architecture.", DefaultValueFactory = _ => "resnet50" };
        var sizes = new Option<int[]>("--sizes") { Description = "Image sizes, in pixels.", DefaultValueFactory = _ => [32, 64, 160, 224], AllowMultipleArgumentsPerToken = true };
        var batches = new Option<int[]>("--batches") { Description = "Batch sizes.", DefaultValueFactory = _ => [2, 16], AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "Training steps per size and batch size.", DefaultValueFactory = _ => 2 };
        var torchvision = new Option<bool>("--torchvision") { Description = "Train TorchVision's own ResNet (strided 1x1 projections, plain loop) instead of the kit's." };
        var command = new Command("train-check", "Train a few steps at each image size and batch size, one line each: a crash check for the CPU backend (run it with ONEDNN_VERBOSE=1 or under a debugger).")
            { arch, sizes, batches, steps, torchvision };
        command.SetAction(parse =>
        {
            TrainCheck.Run(parse.GetValue(arch)!, parse.GetValue(sizes)!, parse.GetValue(batches)!, parse.GetValue(steps), parse.GetValue(torchvision), Console.Out);
            return 0;
        });
        return command;
    }
}
