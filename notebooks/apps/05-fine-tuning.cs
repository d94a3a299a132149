// Generated from notebooks/05-fine-tuning.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/05-fine-tuning.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Export;
using NotebookKit.Models.Weights;
using NotebookKit.Training;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 04 · Fine-tuning: unfreeze, low and discriminative learning rates
//
// In this notebook you will learn:
// - how to find a learning rate with the range test,
// - how discriminative learning rates give early stages smaller steps than late ones,
// - fastai's two-phase recipe: train the head first, then everything.
// - how to take the fine-tuned model to a .NET app: an ONNX file checked against ONNX Runtime.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// The same model and data as in `03`, smaller in smoke mode.

var pretrained = Pretrained.Load("resnet18", "mlnet-imagenet", numClasses: 10);
var (train, val) = Datasets.Open(null).Split();
(train, val) = NotebookKit.Experiments.SmokeMode.Enabled ? (DatasetSplits.PerClass(train, 8), DatasetSplits.PerClass(val, 4)) : (DatasetSplits.PerClass(train, 40), DatasetSplits.PerClass(val, 20));
var options = new DataLoaderOptions { BatchSize = 16 };
var trainLoader = new DataLoader(train, pretrained.Preprocessing.Train(48, augment: false), options);
var valLoader = new DataLoader(val, pretrained.Preprocessing.Eval(48), options with { Shuffle = false });
AppOutput.Show((train.Count, val.Count), "05-fine-tuning-cell2");

// The learning-rate range test: the rate grows every step while the loss is recorded; the suggestion is where the loss falls fastest. The weights are put back afterwards.
var lr = LrFinder.Run(pretrained.Model, trainLoader, new OptimizerOptions(), start: 1e-5, end: 1, steps: 30);
AppOutput.Show(NotebookKit.Charts.LrFinderChart.Figure(lr), "05-fine-tuning-cell3");

// Discriminative learning rates: the stem moves 100 times slower than the head, the stages in between on a geometric scale.
var discriminative = new OptimizerOptions { LearningRate = 0.01, BackboneLrMultiplier = 0.01, Discriminative = true };
AppOutput.Show(pretrained.Model.StageNames.Select(s => new { Stage = s, LearningRate = discriminative.LearningRateOf(s, pretrained.Model.StageNames) }), "05-fine-tuning-cell4");

// fastai's `fine_tune`: one epoch on the head with the body frozen, then everything unfrozen at discriminative rates.
// The live chart shows both phases as one curve: watch the loss jump when the body unfreezes, then fall further.
var result = Recipes.FineTune(new RecipeInput(pretrained.Model, trainLoader, valLoader, new TrainOptions { Epochs = 3 }));
AppOutput.Show(result, "05-fine-tuning-cell5");

// To use the model in an ASP.NET, MAUI or console app, export it to ONNX: the class names and the preprocessing travel in the file.
// Then check that ONNX Runtime, which such an app runs, gives the same outputs as TorchSharp on validation images.

var onnx = ModelExport.ToOnnx(pretrained.Model, "fine-tuned.onnx",
    new OnnxExportOptions { Classes = train.Classes, Preprocessing = pretrained.Preprocessing, ImageSize = 48 });
AppOutput.Show(OnnxAgreement.Measure(pretrained.Model, onnx.Path, val), "05-fine-tuning-cell6");

// ## What we learned
// - The range test gives a starting learning rate in seconds; fine-tuning wants it lower for early stages.
// - The two-phase recipe protects the pretrained features from the random head's first large gradients.
// - An ONNX export takes the model out of the notebook; compare it with ONNX Runtime before you ship it.
//
// ## See also
// - Smith, *Cyclical Learning Rates* (2015); fastai's `lr_find` and `fine_tune`; Howard & Ruder, ULMFiT (discriminative rates).
// - `05-freeze-or-fine-tune` to compare the strategies on the same budget.
// - `samples/classify-onnx.cs`: the exported model in a 60-line app with only ONNX Runtime and ImageSharp; `nbkit export` and `nbkit predict --onnx` do the same from the command line.
