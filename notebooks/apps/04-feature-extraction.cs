// Generated from notebooks/04-feature-extraction.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/04-feature-extraction.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Models.Weights;
using NotebookKit.Training;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 03 · Feature extraction: freeze the backbone, train a head
//
// In this notebook you will learn:
// - how to freeze every pretrained stage (BatchNorm statistics included),
// - why the feature cache makes head training almost free,
// - how good frozen ImageNet features are on a distant dataset.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// ImageNet ResNet-18 (offline weights) with a new 10-class head, and the embedded data split into training and validation.

var pretrained = Pretrained.Load("resnet18", "mlnet-imagenet", numClasses: 10);
var (train, val) = Datasets.Open(null).Split();
if (NotebookKit.Experiments.SmokeMode.Enabled) (train, val) = (DatasetSplits.PerClass(train, 10), DatasetSplits.PerClass(val, 5));
AppOutput.Show(Freezing.FreezeUpTo(pretrained.Model, "layer4"), "04-feature-extraction-cell2");

// The feature cache runs the frozen backbone once over each set and keeps the pooled features; every head epoch then costs almost nothing. (Only valid without augmentation: the input must be the same every epoch.)
var loaderOptions = new DataLoaderOptions { BatchSize = 32 };
var trainLoader = new DataLoader(train, pretrained.Preprocessing.Eval(64), loaderOptions);
var valLoader = new DataLoader(val, pretrained.Preprocessing.Eval(64), loaderOptions with { Shuffle = false });
var watch = System.Diagnostics.Stopwatch.StartNew();
var trainFeatures = FeatureCache.Compute(pretrained.Model, trainLoader, 32, shuffle: true, seed: 0);
var valFeatures = FeatureCache.Compute(pretrained.Model, valLoader, 64, shuffle: false, seed: 0);
AppOutput.Show($"{trainFeatures.Count + valFeatures.Count} images -> {trainFeatures.FeatureSize} features each, in {watch.Elapsed.TotalSeconds:F1} s", "04-feature-extraction-cell3");

// Ten epochs of head training on the cached features. While it trains, a progress line and the loss and accuracy curves
// update in place above the result (one output, redrawn after each epoch); the table of epochs follows.
var result = new Trainer(pretrained.Model, trainFeatures, valFeatures,
    new TrainOptions { Epochs = 10, Optimizer = new OptimizerOptions { Kind = OptimizerKind.AdamW, LearningRate = 3e-3 } }).Fit();
AppOutput.Show(result, "04-feature-extraction-cell4");

// The learning curve of the head.
AppOutput.Show(NotebookKit.Charts.ComparisonCharts.History(result.History, "frozen"), "04-feature-extraction-cell5");

// Where the head goes wrong: its evaluation on the validation features, with the confusion matrix (rows: true class,
// columns: predicted) and precision and recall per class. Which classes does it confuse, and would you?
AppOutput.Show(Trainer.Evaluate(pretrained.Model, valFeatures), "04-feature-extraction-cell6");

// ## What we learned
// - Feature extraction trains a few thousand parameters; with the cache, ten epochs cost less than one more pass over the images.
// - Frozen ImageNet features already separate Fashion-MNIST's classes well, though the domain is far from ImageNet.
//
// ## See also
// - `04-fine-tuning` to let the backbone adapt; `06-batchnorm-pitfall` for why BatchNorm must stay frozen too.
