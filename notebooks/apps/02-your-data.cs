// Generated from notebooks/02-your-data.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/02-your-data.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data.Transforms;
using NotebookKit.Data;
using NotebookKit.Experiments;
using SixLabors.ImageSharp;
using System.IO;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 02 · Your data
//
// In this notebook you will learn:
// - how the kit opens a dataset (the embedded Fashion-MNIST subset, or a folder with one sub-folder per class),
// - how far the course's data is from ImageNet, and why that matters for the question,
// - how to check class counts, image sizes and bad files before training,
// - what the training and evaluation transforms do to an image.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`). Uncomment the second line to switch
// smoke mode on here; the last line says whether it is on.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "02-your-data-cell1");

// The embedded default: a balanced Fashion-MNIST subset (100 training and 50 validation images per class, ten classes)
// that ships inside the kit, so everything works offline. It is the same in smoke mode; smoke runs use fewer of its images.

var fashion = Datasets.Open(null);
AppOutput.Show(fashion, "02-your-data-cell2");

// **Far from ImageNet.** These are 28x28 grayscale product photos, one garment centred on black. ImageNet's are colour
// photos of 1,000 kinds of everyday objects and animals in their surroundings, shown to the network at 224 px. ImageNet
// has a few classes of clothes and shoes, but its images look nothing like these. That distance is one of the two things
// that decide whether fine-tuning pays (the other is the amount of data; see `01-the-answer-first`). To try data close
// to ImageNet, `nbkit data fetch hymenoptera` (ants and bees, both ImageNet classes) or `imagenette-160` (ten ImageNet
// classes) download a set while online; `06-freeze-or-fine-tune` runs the comparison on them when they are there.
//
// Your own photos are a folder with one sub-folder per class. Here we write a tiny one, with one broken file, to see what
// the kit reports.

var folder = Path.Combine(Path.GetTempPath(), "nbkit-your-data");
if (Directory.Exists(folder)) Directory.Delete(folder, true);
for (int label = 0; label < 6; label++)                  // the first image of six classes
{
    int i = Enumerable.Range(0, fashion.Train.Count).First(j => fashion.Train.LabelOf(j) == label);
    var name = fashion.Classes[label].Replace('/', '-');   // "T-shirt/top" is not a folder name
    var dir = Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
    fashion.Train.Load(i).SaveAsPng(Path.Combine(dir, $"{i}.png"));
}
File.WriteAllText(Path.Combine(folder, "Trouser", "oops.jpg"), "<html>not an image</html>");
AppOutput.Show(Directory.GetDirectories(folder).Select(Path.GetFileName), "02-your-data-cell3");

// `DatasetInspection` checks every file's header without decoding it: usable images per class, sizes, and each bad file
// with the reason. A bad file is skipped, never fatal.
AppOutput.Show(DatasetInspection.Of(Datasets.Open(folder)), "02-your-data-cell4");

// The training transform at 64 px: a random resized crop and a flip. The normalization comes from the weights you choose
// later, never typed by hand. (The course's comparisons train without augmentation by default, so that frozen features
// can be computed once; `Augment = true` in the settings turns it on.) The pipeline, step by step:

var train = ImagePipeline.Train(64, Normalization.ImageNet);
AppOutput.Show(train, "02-your-data-cell5");

// Before and after: one image, then five random views of it, as the model would see it in five epochs (before
// normalization). Each view is seeded, so the same seed gives the same view.
var views = Enumerable.Range(1, 5)
    .Select(seed => train.Preview(fashion.Train.Load(0), new Random(seed)));
string[] captions = ["original", "view 1", "view 2", "view 3", "view 4", "view 5"];
AppOutput.Show(ImageGrid.Of(views.Prepend(fashion.Train.Load(0)), captions), "02-your-data-cell6");

// ## Exercises
// 1. Write an empty file `empty.png` into the `Sandal` folder and predict what the inspection says before you run it.
//    <details><summary>Hint</summary><code>File.WriteAllBytes(Path.Combine(folder, "Sandal", "empty.png"), []);</code>
//    then run the inspection cell again: the file is listed with its reason and skipped.</details>
// 2. Change the pipeline to 32 px and look at the views again. The images are 28x28: what does the network gain from
//    64 px, and what does it cost?
//    <details><summary>Hint</summary>Both sizes only upscale the same 784 pixels. A larger input gives the pretrained
//    filters, tuned to ImageNet's scale, larger shapes to respond to, at about four times the compute of 32 px.</details>
// 3. If you are online: `nbkit data fetch hymenoptera`, then `Datasets.Open("hymenoptera")`. How does it differ from the
//    embedded data in size, colour and content?
//
// ## What we learned
// - `Datasets.Open(path)` reads folders, CSV files and IDX files; `null` is the embedded data.
// - The course's data is far from ImageNet in how it looks; keep that in mind when reading any result on it.
// - Inspect before training: bad files are listed by path with the reason and skipped.
// - Transforms are explicit, seeded, and take their normalization from the weights.
//
// ## See also
// - `nbkit data inspect PATH` does the same from a terminal; `nbkit data list` names the sets it can download.
// - `03-resnet50-anatomy-and-surgery`, the next step.
