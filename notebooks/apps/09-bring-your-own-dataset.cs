// Generated from notebooks/09-bring-your-own-dataset.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/09-bring-your-own-dataset.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Experiments;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 09 · Bring your own dataset
//
// In this notebook you will learn:
// - how to point the kit at your own folder of photos (or a downloadable one),
// - how to get the "freeze or fine-tune?" answer for it, with its uncertainty,
// - what to expect from data close to ImageNet, and from data far from it.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`). Uncomment the second line to switch
// smoke mode on here; the last line says whether it is on.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "09-bring-your-own-dataset-cell1");

// Set `dataPath` to your folder (one sub-folder per class, optionally `train/` and `val/`), a CSV with `path,label`, or a
// dataset name such as `hymenoptera` (downloaded once, while online). Left empty, the embedded data is used, so the
// notebook always runs.

string? dataPath = null;   // e.g. "my-photos" (a folder) or "hymenoptera"
var inspection = DatasetInspection.Of(Datasets.Open(dataPath));
AppOutput.Show(inspection, "09-bring-your-own-dataset-cell2");

// The comparison on your data, with the protocol of the preset (smoke in smoke mode, else `default`: three seeds), with
// live curves while it trains. The verdict names a winner only when the 95% interval of the difference excludes zero.
// With `dataPath` left empty this is the course's data, and a real run gives the figures in `01-the-answer-first`.
var preset = SmokeMode.Preset() with { Strategies = "frozen,finetune" };
var comparison = Comparer.Run(preset, data: dataPath, note: "09-bring-your-own-dataset");
AppOutput.Show(comparison, "09-bring-your-own-dataset-cell3");

// Accuracy per strategy with its 95% interval.
AppOutput.Show(NotebookKit.Charts.ComparisonCharts.AccuracyBars(comparison), "09-bring-your-own-dataset-cell4");

// **What to expect.** Two things decide the answer (`01-the-answer-first`): how much data you have per class, and how far
// your images are from ImageNet's. Photos of everyday objects are close to ImageNet: frozen features usually do well on
// them, and with a small set the rule of Yosinski et al. (2014, section 1) says freeze. Images unlike ImageNet's
// (medical scans, satellite tiles, drawings, grayscale products like the course's data) leave the frozen features less
// to offer (Yosinski et al.; Kornblith et al. 2019), so fine-tuning has more to gain if there is enough data. To see
// where the switch lies for your data, run the data-size study on it: `nbkit study --data PATH --preset default`.
//
// ## Exercises
// 1. Point `dataPath` at a folder of your own photos with at least two classes (twenty images each is enough to start).
//    Before running, predict the verdict from the two factors above.
// 2. Run the study on your data (`Study.Run(SmokeMode.StudyPreset(), data: dataPath)` here, or `nbkit study --data PATH`
//    in a terminal) and find the size at which your answer changes.
//    <details><summary>Hint</summary>The study's sizes must fit your smallest class: the error message names the largest
//    size possible.</details>
//
// ## What we learned
// - The same two calls answer the question for any folder; `nbkit compare --data PATH --seeds 3` does it headless with
//   a report.
// - The answer comes with its interval; a difference whose interval includes zero is no difference you can rely on.
//
// ## See also
// - `02-your-data` for inspecting and cleaning a folder; the README's *Your own images*.
// - `06-freeze-or-fine-tune` for the data-size study and the close-vs-far pair.
