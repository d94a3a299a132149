// Generated from notebooks/02-your-data.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/02-your-data.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data.Transforms;
using NotebookKit.Data;
using SixLabors.ImageSharp;
using System.IO;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 01 · Your data
//
// In this notebook you will learn:
// - how the kit opens a dataset (the embedded Fashion-MNIST subset, or a folder with one sub-folder per class),
// - how to check class counts, image sizes and bad files before training,
// - what the training and evaluation transforms do to an image.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// The embedded default: a balanced Fashion-MNIST subset (100 training and 50 validation images per class) that ships inside the kit, so everything works offline.

var fashion = Datasets.Open(null);
AppOutput.Show(fashion, "02-your-data-cell2");

// Your own photos are a folder with one sub-folder per class. Here we write a tiny one, with one broken file, to see what the kit reports.

var folder = Path.Combine(Path.GetTempPath(), "nbkit-your-data");
if (Directory.Exists(folder)) Directory.Delete(folder, true);
for (int label = 0; label < 6; label++)                  // the first image of six classes
{
    int i = Enumerable.Range(0, fashion.Train.Count).First(j => fashion.Train.LabelOf(j) == label);
    var dir = Directory.CreateDirectory(Path.Combine(folder, fashion.Classes[label].Replace('/', '-'))).FullName;
    fashion.Train.Load(i).SaveAsPng(Path.Combine(dir, $"{i}.png"));
}
File.WriteAllText(Path.Combine(folder, "Trouser", "oops.jpg"), "<html>not an image</html>");
AppOutput.Show(Directory.GetDirectories(folder).Select(Path.GetFileName), "02-your-data-cell3");

// `DatasetInspection` checks every file's header without decoding it: usable images per class, sizes, and each bad file with the reason. A bad file is skipped, never fatal.
AppOutput.Show(DatasetInspection.Of(Datasets.Open(folder)), "02-your-data-cell4");

// The training transform at 64 px: a random resized crop and a flip. The normalization comes from the weights you choose
// later, never typed by hand. The pipeline, step by step:

var train = ImagePipeline.Train(64, Normalization.ImageNet);
AppOutput.Show(train, "02-your-data-cell5");

// Before and after: one image, then five random views of it, as the model would see it in five epochs (before
// normalization). Each view is seeded, so the same seed gives the same view.
var views = Enumerable.Range(1, 5).Select(seed => train.Preview(fashion.Train.Load(0), new Random(seed)));
AppOutput.Show(ImageGrid.Of(views.Prepend(fashion.Train.Load(0)), ["original", "view 1", "view 2", "view 3", "view 4", "view 5"]), "02-your-data-cell6");

// ## What we learned
// - `Datasets.Open(path)` reads folders, CSV files and IDX files; `null` is the embedded data.
// - Inspect before training: bad files are listed by path with the reason and skipped.
// - Transforms are explicit, seeded, and take their normalization from the weights.
//
// ## See also
// - `nbkit data inspect PATH` does the same from a terminal; `nbkit data fetch hymenoptera` downloads a real photo set.
// - `02-resnet50-anatomy-and-surgery`, the next step.
