using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using NotebookKit.Cli.Commands;
using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Cli.Bench;

/// <summary>
/// <c>nbkit bench soak</c>: trains without stopping for a given time and counts crashes. TorchSharp 0.107 can finalise an
/// implicit Scalar while the native call that uses it runs ("Unknown scalar type" in THSTensor_add_scalar_, or a segfault),
/// a race that shows after minutes to hours. <c>--implementation torchsharp</c> trains TorchVision's own ResNet-18 with
/// TorchSharp's SGD (implicit Scalars in BatchNorm, the residual additions and every optimizer step); <c>kit</c> trains the
/// kit's ResNet-18 (its BatchNorm and blocks) with the kit's optimizer, which hold every Scalar through its call. Each run
/// is a child process; a crash is counted, its message kept, and a new child continues until the time is up.
/// <c>--gc-pressure</c> adds a thread that allocates and collects all the time, to make the race more likely.
/// </summary>
static class SoakBenchmark
{
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "How long to train in all.", DefaultValueFactory = _ => 60 };
        var implementation = new Option<string>("--implementation") { Description = "kit (the kit's modules and optimizer) or torchsharp (TorchVision's ResNet and TorchSharp's SGD).", DefaultValueFactory = _ => "kit" };
        var pressure = new Option<bool>("--gc-pressure") { Description = "Allocate and collect garbage on another thread all the time (makes the finalizer race more likely)." };
        var child = new Option<bool>("--child") { Hidden = true };
        var json = CommonOptions.Json();
        var command = new Command("soak", "Train continuously for --minutes and count crashes (TorchSharp's Scalar finalizer race): the kit's modules against TorchSharp's.") { minutes, implementation, pressure, child, json };
        command.SetAction(parse =>
        {
            var impl = parse.GetValue(implementation)!.ToLowerInvariant();
            if (impl is not ("kit" or "torchsharp")) throw new ArgumentException($"--implementation {impl}: expected kit or torchsharp.");
            double total = parse.GetValue(minutes);
            if (!(total > 0)) throw new ArgumentException($"--minutes {total}: expected a positive number of minutes.");
            if (parse.GetValue(child)) return Train(impl, TimeSpan.FromMinutes(total), parse.GetValue(pressure));
            var result = Supervise(impl, TimeSpan.FromMinutes(total), parse.GetValue(pressure));
            JsonOutput.Write(result);
            return 0;
        });
        return command;
    }

    sealed record SoakResult(string Implementation, bool GcPressure, double Minutes, long Steps, int Crashes, IReadOnlyList<string> CrashMessages, IReadOnlyList<double> CrashAfterMinutes);

    static SoakResult Supervise(string implementation, TimeSpan total, bool pressure)
    {
        var watch = Stopwatch.StartNew();
        long steps = 0;
        var messages = new List<string>();
        var crashAt = new List<double>();
        while (watch.Elapsed < total - TimeSpan.FromSeconds(20))
        {
            var remaining = total - watch.Elapsed;
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            foreach (var a in (string[])["bench", "soak", "--child", "--implementation", implementation, "--minutes", remaining.TotalMinutes.ToString("R", CultureInfo.InvariantCulture)])
                start.ArgumentList.Add(a);
            if (pressure) start.ArgumentList.Add("--gc-pressure");
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            string? line;
            long childSteps = 0;
            while ((line = process.StandardOutput.ReadLine()) is not null)
            {
                if (line.StartsWith("steps ", StringComparison.Ordinal)) childSteps = long.Parse(line[6..], CultureInfo.InvariantCulture);
                Console.Error.WriteLine($"[{watch.Elapsed:hh\\:mm\\:ss}] {implementation}: {line}");
            }
            process.WaitForExit();
            steps += childSteps;
            if (process.ExitCode != 0)
            {
                var text = errors.Result.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? $"exit code {process.ExitCode}";
                messages.Add($"exit {process.ExitCode}: {text}");
                crashAt.Add(watch.Elapsed.TotalMinutes);
                Console.Error.WriteLine($"[{watch.Elapsed:hh\\:mm\\:ss}] {implementation}: CRASH {messages[^1]}");
            }
        }
        return new SoakResult(implementation, pressure, watch.Elapsed.TotalMinutes, steps, messages.Count, messages, crashAt);
    }

    /// <summary>The child: ResNet-18 at 32 px on the embedded data with augmentation, until the time is up; prints "steps N" every 30 s.</summary>
    static int Train(string implementation, TimeSpan duration, bool pressure)
    {
        TorchRuntime.Require();
        using var stop = new CancellationTokenSource(duration);
        if (pressure) new Thread(() => Allocate(stop.Token)) { IsBackground = true }.Start();
        var data = EmbeddedData.FashionMnistSmall();
        var loader = new DataLoader(data.Train, Preprocessing.ImageNetDefault.Train(32, augment: true), new DataLoaderOptions { BatchSize = 32, Workers = 2 });
        manual_seed(0);
        long steps = 0;
        var report = Stopwatch.StartNew();
        Action<Batch> step;
        IDisposable owner;
        if (implementation == "kit")
        {
            var model = ResNetModel.Create("resnet18", 10);
            var optimizer = new OptimizerOptions { LearningRate = 0.01 }.Build(model, out _);
            var trainStep = new TrainStep(model, loader, optimizer);
            model.train();
            step = batch => trainStep.Run(batch, 1.0);
            owner = new Owned(model, optimizer);
        }
        else
        {
            var model = torchvision.models.resnet18(num_classes: 10);
            var optimizer = optim.SGD(model.parameters(), 0.01, 0.9, 0, 1e-4);
            model.train();
            step = batch =>
            {
                using var scope = NewDisposeScope();
                var loss = nn.functional.cross_entropy(model.call(batch.Images), batch.Labels);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
            };
            owner = new Owned(model, optimizer);
        }
        using (owner)
        {
            for (int epoch = 0; !stop.IsCancellationRequested; epoch++)
                foreach (var batch in loader.Epoch(epoch))
                {
                    using (batch) step(batch);
                    steps++;
                    if (report.Elapsed >= TimeSpan.FromSeconds(30)) { Console.Out.WriteLine($"steps {steps}"); Console.Out.Flush(); report.Restart(); }
                    if (stop.IsCancellationRequested) break;
                }
        }
        Console.Out.WriteLine($"steps {steps}");
        return 0;
    }

    /// <summary>Short-lived garbage as fast as one thread makes it: frequent generation-0 collections, which queue finalizers.</summary>
    static void Allocate(CancellationToken stop)
    {
        long sink = 0;
        while (!stop.IsCancellationRequested)
        {
            for (int i = 0; i < 1000; i++) sink += new byte[4096].Length;
            Thread.Yield();
        }
        GC.KeepAlive(sink);
    }

    sealed class Owned(params IDisposable[] items) : IDisposable
    {
        public void Dispose() { foreach (var item in items) item.Dispose(); }
    }
}
