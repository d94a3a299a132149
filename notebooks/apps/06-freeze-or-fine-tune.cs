// Generated from notebooks/06-freeze-or-fine-tune.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/06-freeze-or-fine-tune.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Experiments;
using NotebookKit.Models.Weights;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 06 · Freeze or fine-tune? The evidence
//
// `01-the-answer-first` gave the answer and what the literature says: the usual recipe freezes first and then unfreezes
// at a low rate, and Yosinski et al. (2014, section 1) tie the choice to the size of the target data. This notebook
// measures each factor on its own: the strategies side by side with their uncertainty, the amount of data, the distance
// from ImageNet, and the cost.
//
// In this notebook you will learn:
// - how to run the strategies side by side on the same split, with the same budget and seeds, and read the verdict,
// - how to find where fine-tuning overtakes freezing as the data grows (the data-size study),
// - how to run the same comparison on data close to ImageNet, and with ResNet-50, when you have them,
// - how to read accuracy, cost and the spread over seeds.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`). Uncomment the second line to switch
// smoke mode on here; the last line says whether it is on.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "06-freeze-or-fine-tune-cell1");

// A preset fixes the protocol: image size, epochs, learning rate, which strategies, how many seeds. In smoke mode the
// notebook uses the tiny `smoke` preset (one seed); otherwise the `default` one (three seeds; 634 s measured on a 2-core
// CPU, see `01`).
var preset = SmokeMode.Preset();
AppOutput.Show(preset, "06-freeze-or-fine-tune-cell2");

// Train each strategy: `scratch` (random weights), `frozen` (feature extraction: the backbone is frozen, BatchNorm
// statistics too, only a new head trains, on cached features) and `finetune` (fastai's recipe: the head first, then
// everything at discriminative learning rates). A live chart follows each run; then the table shows each accuracy with
// its 95% interval, the paired comparisons (same seeds, same validation images), and the verdict, which names a winner
// only when the interval of the difference excludes zero.
var comparison = Comparer.Run(preset, note: "06-freeze-or-fine-tune");
AppOutput.Show(comparison, "06-freeze-or-fine-tune-cell3");

// Accuracy with its 95% interval per strategy: Wilson's over the validation images with one seed, Student's t over the
// seeds with several.
AppOutput.Show(ComparisonCharts.AccuracyBars(comparison), "06-freeze-or-fine-tune-cell4");

// Accuracy against cost: feature extraction trains a few thousand parameters on features computed once, fine-tuning
// millions with a forward and backward pass through the whole network at every step.
AppOutput.Show(ComparisonCharts.TimeVsAccuracy(comparison), "06-freeze-or-fine-tune-cell5");

// Where the best strategy still goes wrong: its evaluation on the validation set, with the confusion matrix (rows: true
// class, columns: predicted; green: right, red: wrong, shaded by the share of the row) and precision and recall per class.
AppOutput.Show(comparison.Best.Runs[0].Evaluation, "06-freeze-or-fine-tune-cell6");

// ## The amount of data
//
// Yosinski et al.'s rule predicts freezing for little data and fine-tuning for more. The study measures where the switch
// happens on this data: every strategy at several training-set sizes (images per class, nested subsets of one split),
// on the same validation images, with the same number of optimiser steps for every strategy at a size. Here it runs the
// two strategies the question is about (scratch was measured above). In smoke mode: 5 and 10 images per class, one seed.
// Otherwise the `default` study's 5, 20 and 100 per class with three seeds (22 minutes measured on a 2-core
// CPU with scratch; less without it). `nbkit study --preset default` runs it headless, with scratch too.
var study = Study.Run(SmokeMode.StudyPreset() with { Strategies = "frozen,finetune" });
AppOutput.Show(StudyCharts.Crossover(study), "06-freeze-or-fine-tune-cell7");

// The same, in words: the smallest size at which fine-tuning beats feature extraction with an interval that excludes
// zero (or that it never does within the sizes tried), and what each strategy cost at the largest size.
AppOutput.Show($"{study.Crossover()} {study.Costs()}", "06-freeze-or-fine-tune-cell8");

// **Measured.** `nbkit study --preset default` on the embedded data (ResNet-18 [2, 2, 2, 3], 64 px, 3 seeds, 500
// validation images), measured on 2026-11-28 on a 2-core AMD EPYC virtual machine (one torch thread, the other core busy
// with another run; 1,322 s in all): "Within the sizes tried (5, 20, 100 images per class), fine-tuning never beats
// feature extraction with a 95% interval that excludes 0 on this data (at 100/class: +2.0 points (95% CI [-0.3, +4.3],
// paired t p = 0.063))." The paired differences, fine-tuning − feature extraction: -0.7 points [-8.8, +7.3] at 5 images
// per class, +3.9 [-0.6, +8.3] at 20, +2.0 [-0.3, +4.3] at 100. Feature extraction against scratch: +1.2 [-10.0, +12.4] at
// 5, -1.2 [-7.7, +5.3] at 20, +2.5 [+1.0, +4.1] at 100 (the only interval that excludes zero). Accuracies at 100 per
// class: scratch 79.5 % [78.3, 80.6], frozen 82.0 % [81.0, 83.0], fine-tuned 84.0 % [81.0, 87.0].
// "Cost at 100/class: scratch 87 s (8.7x frozen), frozen 10 s, finetune 73 s (7.4x frozen) per run."
//
// On the full Fashion-MNIST (Debian's `dataset-fashion-mnist` IDX files; `nbkit study --data fashion-mnist --preset full
// --image-size 32 --sizes 5,20,100,500 --val-per-class 100`: 32 px and at most 500 per class to fit a CPU session, 1,000
// validation images from the test set, 3 seeds), measured on 2026-11-28 on the same machine (one torch thread, 2,059 s):
// "Fine-tuning first beats feature extraction with a 95% interval that excludes 0 at 500 images per class (+3.6 points
// (95% CI [+0.3, +6.9], paired t p = 0.043))." Fine-tuning − feature extraction was +0.7 [-7.1, +8.5] at 5 per class,
// +2.0 [-3.4, +7.3] at 20, +0.6 [-3.3, +4.5] at 100 and +3.6 [+0.3, +6.9] at 500; at 500 per class fine-tuning reached
// 84.2 % [81.9, 86.4], feature extraction 80.6 % [78.6, 82.6] and scratch 81.9 % [81.1, 82.6], at 14 times the cost of
// feature extraction (186 s against 13 s per run). With enough data, fine-tuning pays here; below it, the two cannot be
// told apart.
//
// ## Distance from ImageNet
//
// The course's data is far from ImageNet (`02-your-data`): tiny grayscale product photos against ImageNet's colour photos
// of everyday scenes. The published evidence: Yosinski et al. (2014) found that transferability falls as the base and
// target tasks grow apart, though distant features still beat random ones; Kornblith et al. (2019) found fine-tuning
// ahead of fixed ImageNet features on average over their 12 datasets, and ImageNet pretraining of minimal benefit on two
// small fine-grained datasets. So on far data expect frozen features to do worse than on close data, which leaves
// fine-tuning more to gain, *if* there is enough data to fine-tune without overfitting. What this data measured: frozen
// ImageNet features beat the same network's random features by 8.2 points (95% CI [+4.1, +12.2], one seed, full
// settings; `04-feature-extraction`), and fine-tuning against freezing as the data grows is the study above. One story,
// two factors: distance decides how good the frozen features are; data size decides
// whether fine-tuning can improve on them.
//
// For the other half of the pair, run the same comparison on a dataset close to ImageNet: `hymenoptera` (ants and bees,
// both ImageNet classes; about 245 training images) or `imagenette-160` (ten ImageNet classes, ImageNet's own images).
// They download while online (`nbkit data fetch hymenoptera`); this cell runs only when one is already there. Offline,
// there is no close dataset to fall back on: bring a folder of your own everyday photos to `09-bring-your-own-dataset`,
// or read the expectation above and compare it with the far result.

var close = DatasetCatalog.All.FirstOrDefault(d => d.Name is "hymenoptera" or "imagenette-160"
    && DatasetCatalog.IsAvailable(d));
object closeRun = close is null
    ? "Skipped: no dataset close to ImageNet is downloaded. While online: `nbkit data fetch "
      + "hymenoptera` (45 MB) or `nbkit data fetch imagenette-160` (94 MB); then run it again."
    : Comparer.Run(preset with { Strategies = "frozen,finetune" }, data: close.Name, note: "close");
AppOutput.Show(closeRun, "06-freeze-or-fine-tune-cell9");

// The same comparison with ResNet-50 and torchvision's `tv-imagenet1k-v2` weights, the network the kit was first
// written for. It runs only when the weights are in the cache (`nbkit weights fetch --arch resnet50 --weights
// tv-imagenet1k-v2` while online); expect about five times the compute of ResNet-18.

var resnet50 = WeightsRegistry.Find("resnet50", "tv-imagenet1k-v2");
object resnet50Run = !new WeightsStore().IsCached(resnet50)
    ? "Skipped: ResNet-50's weights are not in the cache. While online, run `nbkit weights fetch "
      + $"--arch resnet50 --weights {resnet50.Name}`, then run this cell again."
    : Comparer.Run(preset with
    {
        Settings = preset.Settings with { Arch = "resnet50", Weights = resnet50.Name },
        Strategies = "frozen,finetune",
    }, note: "resnet50");
AppOutput.Show(resnet50Run, "06-freeze-or-fine-tune-cell10");

// ## What the result means
//
// - **Data size.** With a few images per class, fine-tuning millions of weights can overfit (Yosinski et al.'s rule); with
//   more, it can improve on the frozen features. Where the switch lies on your data is what the study measures: above,
//   with its intervals. If the interval at your size includes zero, the two are not distinguishable there, and the
//   cheaper one, feature extraction, is the practical choice.
// - **Distance from ImageNet.** Distance lowers what frozen features are worth; whether fine-tuning recovers it depends
//   on the data size. Read the close and far results side by side when you have both.
// - **Compute.** Feature extraction with a feature cache costs one backbone pass; fine-tuning a forward and backward pass
//   per step. The verdict states the measured ratio; on the default preset fine-tuning took
//   7.2 times as long.
// - **Seeds.** One seed measures the luck of one validation sample; three seeds also measure the luck of initialisation
//   and order. `Comparer.Run(preset with { Seeds = 3 })` (or `nbkit compare --seeds 3`) before concluding.
//
// ## Exercises
// 1. **Predict, then run.** Before running the study at 2 and 50 images per class
//    (`Study.Run(SmokeMode.StudyPreset() with { Sizes = [2, 50] })`), write down which strategy you expect to win at each.
//    <details><summary>Hint</summary>Yosinski et al.'s rule, section 1. Then check whether each difference is detectable
//    at all: at 2 images per class the intervals are wide.</details>
// 2. Add `full` (everything trained from the start, the body at 0.1 times the head's rate) to the strategies. Where does
//    it fall between `frozen` and `finetune`, and at what cost?
//    <details><summary>Hint</summary><code>preset with { Strategies = "frozen,finetune,full" }</code>. The difference
//    from <code>finetune</code> is the head phase: <code>full</code> trains the random head and the body
//    together.</details>
// 3. If you are online, fetch `hymenoptera` and run the close-to-ImageNet cell. Is the gap between the strategies larger
//    or
//    smaller than on the course's data?
//
// ## What we learned
// - Run every strategy on the same split, budget and seeds, then read the verdict: a winner only when the interval of
//   the difference excludes zero.
// - The amount of data and the distance from ImageNet decide together; the study measures the first on your data.
// - Frozen features are a strong, cheap baseline; whether fine-tuning pays is a measurement, not a rule.
//
// ## See also
// - `01-the-answer-first` for what Yosinski et al., Keras, fastai and PyTorch say; `08-how-transferable-are-features`.
// - Kornblith, Shlens, Le, *Do Better ImageNet Models Transfer Better?* CVPR 2019.
// - The same runs headless: `nbkit compare --preset default`, `nbkit study --preset default`.
