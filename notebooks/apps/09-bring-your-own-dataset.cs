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

// # 08 · Bring your own dataset
//
// In this notebook you will learn:
// - how to point the kit at your own folder of photos (or a downloadable one),
// - how to get the "freeze or fine-tune?" answer for it.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// Set `dataPath` to your folder (one sub-folder per class, optionally `train/` and `val/`), a CSV with `path,label`, or a dataset name such as `hymenoptera` (downloaded once). Left empty, the embedded data is used, so the notebook always runs.

string? dataPath = null;   // e.g. "my-photos" (a folder) or "hymenoptera"
var inspection = DatasetInspection.Of(Datasets.Open(dataPath));
AppOutput.Show(inspection, "09-bring-your-own-dataset-cell2");

// The comparison on your data, with the protocol of the preset (smoke in smoke mode), with live curves while it trains.
var preset = SmokeMode.Preset();
var comparison = Comparer.Run(preset.Settings with { Data = dataPath }, Strategy.ParseList("frozen,finetune"), seeds: 1);
AppOutput.Show(comparison, "09-bring-your-own-dataset-cell3");

// Accuracy and cost side by side.
AppOutput.Show(NotebookKit.Charts.ComparisonCharts.AccuracyBars(comparison), "09-bring-your-own-dataset-cell4");

// ## What we learned
// - The same two calls answer the question for any folder; `nbkit compare --data PATH --seeds 3` does it headless with a report.
//
// ## See also
// - `01-your-data` for inspecting and cleaning a folder; the README's *Your own images*.
