// Generated from notebooks/06-freeze-or-fine-tune.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/06-freeze-or-fine-tune.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Experiments;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 05 · Freeze or fine-tune? Measure it
//
// The question that started this kit: you take a network pretrained on ImageNet and adapt it to your images. Should you
// **freeze** the transferred layers and train only a new head (feature extraction), or let them **update** at a low
// learning rate (fine-tuning)? Tutorials say freeze; Yosinski et al. (2014) found fine-tuning generalises better.
// The honest answer is: it depends on your data. Measure it.
//
// In this notebook you will learn:
// - how to run the strategies side by side on the same split, with the same budget and seed,
// - how to read accuracy, cost and the spread over seeds,
// - when each choice tends to win (distance from ImageNet, data size, compute).
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// A preset fixes the protocol: image size, epochs, learning rate, which strategies. With `NBKIT_SMOKE=1` (the tests,
// or a workshop in a hurry) the notebook uses the tiny `smoke` preset; otherwise the `default` one.

var preset = SmokeMode.Preset();
AppOutput.Show(preset, "06-freeze-or-fine-tune-cell2");

// Train each strategy: `scratch` (random weights), `frozen` (feature extraction: the backbone is frozen, BatchNorm
// statistics too, only a new head trains, on cached features) and `finetune` (fastai's recipe: the head first, then
// everything at discriminative learning rates). A live chart follows each strategy as it trains, one colour each; then
// the table shows accuracy, trainable parameters and time, and a verdict.
var comparison = Comparer.Run(preset.Settings, Strategy.ParseList(preset.Strategies), seeds: 1,
    note: "05-freeze-or-fine-tune");
AppOutput.Show(comparison, "06-freeze-or-fine-tune-cell3");

// The learning curves: validation accuracy after each epoch. Pretrained strategies start high; scratch has to learn everything.
AppOutput.Show(ComparisonCharts.LearningCurves(comparison), "06-freeze-or-fine-tune-cell4");

// Accuracy against cost: feature extraction trains a few thousand parameters, fine-tuning millions.
AppOutput.Show(ComparisonCharts.TimeVsAccuracy(comparison), "06-freeze-or-fine-tune-cell5");

// Where the best strategy still goes wrong: its evaluation on the validation set, with the confusion matrix (rows: true
// class, columns: predicted; green: right, red: wrong, shaded by the share of the row) and precision and recall per class.
AppOutput.Show(comparison.Best.Runs[0].Evaluation, "06-freeze-or-fine-tune-cell6");

// ## What the result means
//
// - **Data size.** With a few images per class, a frozen backbone wins: fine-tuning millions of weights on little
//   data overfits. With thousands, fine-tuning catches up and usually passes it (`--preset default` shows it here).
// - **Distance from ImageNet.** Fashion-MNIST (grayscale product shots) is far from ImageNet's photos, so deep
//   layers transfer less well and fine-tuning has more to gain; close domains favour freezing.
// - **Compute.** Feature extraction with a feature cache costs one backbone pass; fine-tuning costs a full forward
//   and backward pass per epoch. On a laptop CPU that is the difference between seconds and minutes.
// - **Seeds.** A single run can mislead: differences of a point or two are often within the spread. Use
//   `Comparer.Run(..., seeds: 3)` (or `nbkit compare --seeds 3`) before concluding.
//
// ## What we learned
// - Run every strategy on the same split, budget and seed, then decide.
// - Frozen features are a strong, cheap baseline; fine-tuning pays off with more data or a distant domain.
//
// ## See also
// - Yosinski et al., *How transferable are features in deep neural networks?* (NeurIPS 2014) and `07-how-transferable-are-features`.
// - Keras guide *Transfer learning & fine-tuning*; fastai's `fine_tune`.
// - The same run headless: `nbkit compare --preset default`.
