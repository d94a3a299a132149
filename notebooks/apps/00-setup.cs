// Generated from notebooks/00-setup.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/00-setup.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Experiments;
using NotebookKit.Models.Weights;
using NotebookKit.Models;
using NotebookKit.Runtime;
using Plotly.NET.CSharp;
using TorchSharp;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 00 · Setup: is everything working?
//
// In this notebook you will learn:
// - how a notebook references NotebookKit (one cell; TorchSharp, ImageSharp and Plotly.NET come with it),
// - how to switch smoke mode on (tiny runs that only check that everything works),
// - which device your training will run on (an NVIDIA GPU when there is one, the CPU otherwise), with no edits,
// - which network the course trains, and what a tensor, a chart and a model summary look like in this kernel.
//
// Run `environment/setup.sh` (or `environment/setup.ps1` on Windows) once before opening this notebook: it builds the kit into a local package folder that the next cell reads.
// Reference the kit. The setup script built it into a local package folder and registered that folder as a NuGet source
// named `notebookkit-local`; `*-*` picks its newest build, so rebuilding the kit never needs a version bump here.
//
// The last line says whether **smoke mode** is on: tiny data and few epochs, so every notebook runs in about a minute, and
// every number it shows is only a smoke test. `NBKIT_SMOKE=1` turns it on, but VS Code started from the desktop does not
// see a variable set in a terminal: uncomment the `SmokeMode.Enabled = true;` line instead. Every notebook starts this way.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "00-setup-cell1");

// Load torch and pick the device. `TorchRuntime.Require()` chooses CUDA when an NVIDIA GPU and the CUDA build of TorchSharp are present, and the CPU otherwise. On Debian 12 / Ubuntu 22.04 it also applies the libstdc++ fix TorchSharp needs there (the last row says what it did).

var torchStatus = TorchRuntime.Require();
AppOutput.Show(torchStatus, "00-setup-cell2");

// A tensor on the chosen device. The kit shows its shape, type and device above its values, which is what you check first when something goes wrong.

torch.manual_seed(0);
var x = torch.randn(new long[] { 3, 4 }, device: TorchRuntime.Device);
AppOutput.Show(x, "00-setup-cell3");

// A chart, drawn inline. plotly.js is embedded from the kit's own copy, so charts show without internet (workshop Wi-Fi fails).

var epochs = Enumerable.Range(1, 10).ToArray();
var loss = epochs.Select(e => Math.Exp(-e / 3.0)).ToArray();
AppOutput.Show(Chart.Line<int, double, string>(x: epochs, y: loss, Name: "a falling curve"), "00-setup-cell4");

// **The network the course trains.** ImageNet weights that need no internet: a ResNet-18 from ML.NET's NuGet package,
// imported once into the kit's cache. It is not torchvision's ResNet-18: its last stage has three blocks instead of two
// (blocks [2, 2, 2, 3], the kit calls it `resnet18-2223`). The notebooks train it on small images (32 to 64 px, so that a
// laptop CPU keeps up; ImageNet's are 224 px). Its summary shows the stages you will freeze or fine-tune later, with their
// parameter counts: 16.4 M parameters in all with its 1,000-class ImageNet head (15.9 M with a 10-class one), and
// 2.05 G multiply-adds at 224 px.

var pretrained = Pretrained.Load("resnet18", "mlnet-imagenet");
AppOutput.Show(ModelSummary.Of(pretrained.Model, 224), "00-setup-cell5");

// The kit was first written for ResNet-50 with torchvision's ImageNet weights (`tv-imagenet1k-v2`, 80.9% top-1 on
// ImageNet by torchvision's documentation). They cannot ship offline: they download once, 98 MB, while online
// (`nbkit weights fetch --arch resnet50 --weights tv-imagenet1k-v2`). This cell shows their summary when they are in the
// cache, and says how to get them when they are not; later notebooks do the same.
var resnet50 = WeightsRegistry.Find("resnet50", "tv-imagenet1k-v2");
object resnet50View = new WeightsStore().IsCached(resnet50)
    ? ModelSummary.Of(Pretrained.Load("resnet50", resnet50.Name).Model, 224)
    : "Skipped: ResNet-50's weights are not in the cache. While online, run `nbkit weights fetch "
      + $"--arch resnet50 --weights {resnet50.Name}` (98 MB), then run this cell again.";
AppOutput.Show(resnet50View, "00-setup-cell6");

// ## Exercises
// 1. The summary above is at 224 px. Predict how the multiply-adds change at 64 px, the size most notebooks train at,
//    then check with `ModelSummary.Of(pretrained.Model, 64)`.
//    <details><summary>Hint and answer</summary>A convolution's cost grows with the number of pixels it visits:
//    (224 / 64)² ≈ 12, so about twelve times fewer multiply-adds (the parameters do not change).</details>
// 2. Which stage holds most of the parameters? What does that tell you about the cost of fine-tuning it compared with
//    training only a new head (512 × 10 + 10 = 5,130 parameters for ten classes)?
//    <details><summary>Hint</summary>Read the parameters column of the summary; the channels double at each stage and a
//    3x3 convolution's weights grow with the square of its width.</details>
//
// ## What we learned
// - One cell references the kit; its dependencies and its notebook integration (formatters, offline charts) come with it.
// - Smoke mode is one line in the first cell; its numbers only show that everything runs.
// - `TorchRuntime.Require()` picks the device for you; every later notebook trains on `TorchRuntime.Device` unchanged on CPU or GPU.
// - The course trains ImageNet ResNet-18 [2, 2, 2, 3] (ML.NET's weights, offline) at 32-64 px; ResNet-50 runs when its
//   weights are cached.
// - If a cell above failed, run `dotnet run --project src/NotebookKit.Cli -- doctor` from the repository root: it says what is wrong and how to fix it.
//
// ## See also
// - `01-the-answer-first.ipynb`, the next step: the question, answered.
// - TorchSharp: https://github.com/dotnet/TorchSharp
// - The README's *Troubleshooting* section (glibc, CUDA); `notebooks/README.md` for workshops.
