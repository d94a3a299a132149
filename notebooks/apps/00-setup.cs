// Generated from notebooks/00-setup.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/00-setup.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
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
// - which device your training will run on (an NVIDIA GPU when there is one, the CPU otherwise), with no edits,
// - what a tensor, a chart and a model summary look like in this kernel, so you know the later notebooks will display properly.
//
// Run `environment/setup.sh` (or `environment/setup.ps1` on Windows) once before opening this notebook: it builds the kit into a local package folder that the next cell reads.
// Reference the kit. The setup script built it into a local package folder and registered that folder as a NuGet source named `notebookkit-local`; `*-*` picks its newest build, so rebuilding the kit never needs a version bump here.

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

// Pretrained ImageNet weights that need no internet: ResNet-18 from ML.NET's NuGet package, imported once into the kit's cache. Its summary shows the stages you will freeze or fine-tune later, with their parameter counts.

var pretrained = Pretrained.Load("resnet18", "mlnet-imagenet");
AppOutput.Show(ModelSummary.Of(pretrained.Model, 224), "00-setup-cell5");

// ## What we learned
// - One cell references the kit; its dependencies and its notebook integration (formatters, offline charts) come with it.
// - `TorchRuntime.Require()` picks the device for you; every later notebook trains on `TorchRuntime.Device` unchanged on CPU or GPU.
// - If a cell above failed, run `dotnet run --project src/NotebookKit.Cli -- doctor` from the repository root: it says what is wrong and how to fix it.
//
// ## See also
// - `01-your-data.ipynb`, the next step.
// - TorchSharp: https://github.com/dotnet/TorchSharp
// - The README's *Troubleshooting* section (glibc, CUDA).
