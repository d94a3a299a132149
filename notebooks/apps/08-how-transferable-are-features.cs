// Generated from notebooks/08-how-transferable-are-features.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/08-how-transferable-are-features.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Experiments;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 07 · How transferable are features? (Yosinski et al. 2014, in miniature)
//
// The paper split ImageNet's classes into halves A and B, trained a network on each, then copied the first n layers of
// the A network into a new network for B, frozen (AnB) or fine-tuned (AnB+), with self-transfer controls (BnB, BnB+).
// Published shape (ImageNet, AlexNet): AnB falls as n grows (features become specific), BnB dips in the middle layers
// (fragile co-adaptation), AnB+ beats the base network by about 1.7 points.
//
// In this notebook you will learn:
// - how to run the same experiment on any dataset with ResNet stages as layers,
// - how to read the figure against the paper's.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// A small version on the embedded data: classes 0-4 are A, 5-9 are B; stages stem..layer4 are n = 1..5. In smoke mode it is tiny and its curves are noise; the `default` settings take about 9 minutes per seed on a 2-core
// CPU (22 trainings). A live chart follows the trainings while they run.

var settings = SmokeMode.Enabled
    ? new TrainSettings { Epochs = 1, ImageSize = 32, TrainPerClass = 8, ValidationPerClass = 4, Weights = "random", Optimizer = NotebookKit.Training.OptimizerKind.AdamW, LearningRate = 3e-3 }
    : new TrainSettings { Epochs = 4, ImageSize = 32, Weights = "random", Optimizer = NotebookKit.Training.OptimizerKind.AdamW, LearningRate = 3e-3 };
var result = TransferabilityExperiment.Run(settings, seeds: 1);
AppOutput.Show(result.Summary(), "08-how-transferable-are-features-cell2");

// The figure: accuracy on B against n, with the base network on B as the reference line.
AppOutput.Show(NotebookKit.Charts.TransferabilityCharts.Figure(result), "08-how-transferable-are-features-cell3");

// ## What we learned
// - Frozen transferred stages (AnB) help when they are general (early) and hurt when they are specific (late).
// - Fine-tuning them (AnB+) recovers, and can beat training on B alone: the paper's headline result.
//
// ## See also
// - Yosinski, Clune, Bengio, Lipson, *How transferable are features in deep neural networks?* NeurIPS 2014.
// - `nbkit transferability --preset full --seeds 3` for a real run.
