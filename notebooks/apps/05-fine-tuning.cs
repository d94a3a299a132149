// Generated from notebooks/05-fine-tuning.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/05-fine-tuning.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Experiments;
using NotebookKit.Export;
using NotebookKit.Models.Weights;
using NotebookKit.Training;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 05 · Fine-tuning: unfreeze, low and discriminative learning rates
//
// In this notebook you will learn:
// - how to find a learning rate with the range test, the way fastai does it (body frozen, new head) and use it,
// - how discriminative learning rates give early stages smaller steps than late ones,
// - fastai's two-phase recipe: train the head first, then everything,
// - how to take the fine-tuned model to a .NET app: an ONNX file checked against ONNX Runtime.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`). Uncomment the second line to switch
// smoke mode on here; the last line says whether it is on.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "05-fine-tuning-cell1");

// The same model and data as in `04`: 40 training and 20 validation images per class at 48 px (8 and 4 in smoke mode),
// without augmentation.

var pretrained = Pretrained.Load("resnet18", "mlnet-imagenet", numClasses: 10);
var (train, val) = Datasets.Open(null).Split();
var (trainPerClass, valPerClass) = SmokeMode.Enabled ? (8, 4) : (40, 20);
train = DatasetSplits.PerClass(train, trainPerClass);
val = DatasetSplits.PerClass(val, valPerClass);
var (options, preprocessing) = (new DataLoaderOptions { BatchSize = 16 }, pretrained.Preprocessing);
var trainLoader = new DataLoader(train, preprocessing.Train(48, augment: false), options);
var valLoader = new DataLoader(val, preprocessing.Eval(48), options with { Shuffle = false });
AppOutput.Show((train.Count, val.Count), "05-fine-tuning-cell2");

// The learning-rate range test, the way fastai runs it before `fine_tune`: on the model as the first phase will train it,
// body frozen and a new head. The rate grows every step while the loss is recorded; the weights are put back afterwards.
Freezing.FreezeUpTo(pretrained.Model, "layer4");
var lr = LrFinder.Run(pretrained.Model, trainLoader, new OptimizerOptions(), start: 1e-5, end: 1,
    steps: 30);
AppOutput.Show(NotebookKit.Charts.LrFinderChart.Figure(lr), "05-fine-tuning-cell3");

// fastai's finder offers several suggestions, and fastai passes one to `fine_tune` as its base rate; we do the same. The
// kit computes two: the steepest descent (`lr.Suggestion`) and a tenth of the rate at the lowest loss (fastai's
// `minimum`). On a test this short, with few batches, the steepest point can land on the noisy flat start: find it on the
// chart. A tenth of the minimum is less sensitive to that noise, so the recipe starts from it.
var baseRate = lr.MinimumLoss / 10;
AppOutput.Show($"{lr}: the head phase will train at {baseRate:G2}, the unfrozen one at {baseRate / 2:G2} and below", "05-fine-tuning-cell4");

// Discriminative learning rates for the unfrozen phase: half the base rate for `layer4` and the head (fastai halves it),
// the stem 100 times slower (fastai's `lr_mult=100`), the stages in between on a geometric scale.
var unfrozenRates = new OptimizerOptions
{
    LearningRate = baseRate / 2, BackboneLrMultiplier = 0.01, Discriminative = true,
};
var stages = pretrained.Model.StageNames;
AppOutput.Show(stages.Select(s => new { Stage = s, LearningRate = unfrozenRates.LearningRateOf(s, stages) }), "05-fine-tuning-cell5");

// fastai's `fine_tune`: one epoch on the head with the body frozen, then everything unfrozen at those rates, from the
// rate the range test found. The live chart shows both phases as one curve. When the body unfreezes, two things change
// at once: its weights start to move, and its BatchNorm layers switch from the pretrained running statistics to each
// batch's own (`07-batchnorm-pitfall` measures what that switch alone does to the loss).
var result = TrainingRecipes.FineTune(new RecipeInput(pretrained.Model, trainLoader, valLoader,
    new TrainOptions { Epochs = 3, Optimizer = new OptimizerOptions { LearningRate = baseRate } }));
AppOutput.Show(result, "05-fine-tuning-cell6");

// To use the model in an ASP.NET, MAUI or console app, export it to ONNX: the class names and the preprocessing travel
// in the file. Then check that ONNX Runtime, which such an app runs, gives the same outputs as TorchSharp on validation
// images.

var export = new OnnxExportOptions { Classes = train.Classes, Preprocessing = preprocessing };
var onnx = ModelExport.ToOnnx(pretrained.Model, "fine-tuned.onnx", export with { ImageSize = 48 });
AppOutput.Show(OnnxAgreement.Measure(pretrained.Model, onnx.Path, val), "05-fine-tuning-cell7");

// **Measured** (this notebook's cells, ResNet-18 [2, 2, 2, 3] at 48 px, SGD with momentum, one-cycle per phase, seed 0):
// on 2026-11-28 on a 2-core AMD EPYC virtual machine (one torch thread), 400 training and 200 validation images. The
// range test suggested 0.00016 (steepest descent) with the minimum loss at 0.013, so the head phase trained at 0.0013 and
// the unfrozen one at 0.00063 (`layer4` and the head) down to 6.3e-6 (the stem). Validation accuracy: 64.5 % after the
// head
// epoch (95% Wilson interval [57.7, 70.8]), then 54.5 % [47.6, 61.3] and 62.0 % [55.1, 68.4] after the two unfrozen
// epochs. The unfrozen phase started with a jump in the training loss (1.99, training accuracy 31 % in its first epoch,
// `07` measures the part of it that BatchNorm's switch to batch statistics causes), and within its two epochs it did not
// get back above the head's result: with 40 images per class, fine-tuning did not pay here, as Yosinski et al.'s rule
// leads one to expect for little data (one seed; 62.0 % and 64.5 % are within each other's intervals). Training took 23 s
// in all; ONNX Runtime agreed with TorchSharp to a relative 1.3e-5, the same top-1 on 7 of 7 images.
//
// ## Exercises
// 1. Run the range test with the body **unfrozen** (`Freezing.Unfreeze(pretrained.Model)` before `LrFinder.Run`).
//    Predict first: is the suggestion higher or lower than with the body frozen?
//    <details><summary>Hint</summary>With millions of pretrained weights moving, the loss usually blows up at a lower
//    rate.
//    That is why fastai runs the finder on the frozen model and then lowers the rate for the unfrozen phase.</details>
// 2. Pass a rate ten times the suggestion to the recipe and watch the curve of the unfrozen phase.
//    <details><summary>Hint</summary><code>new OptimizerOptions { LearningRate = baseRate * 10 }</code>. The kit refuses
//    a loss that becomes NaN with a clear message, rather than training on.</details>
// 3. Change `HeadEpochs` to 0 (`TrainingRecipes.FineTune(input, headEpochs: 0)`): everything trains from the first step, with a
//    random head. What happens to the first epoch?
//
// ## What we learned
// - The range test gives a starting learning rate in seconds; run it on the model as the first phase trains it, and use
//   it.
// - Fine-tuning wants lower rates for the early, more general stages; discriminative rates give them.
// - The two-phase recipe protects the pretrained features from the random head's first large gradients (Keras's guide
//   gives the same reason for training the head first).
// - An ONNX export takes the model out of the notebook; compare it with ONNX Runtime before you ship it.
//
// ## See also
// - Smith, *Cyclical Learning Rates* (2015); fastai's `lr_find` and `fine_tune`; Howard & Ruder, ULMFiT (discriminative
//   rates).
// - `06-freeze-or-fine-tune` to compare the strategies on the same budget; `01-the-answer-first` for what the literature
//   says.
// - `samples/classify-onnx.cs`: the exported model in a 60-line app with only ONNX Runtime and ImageSharp; `nbkit export`
//   and `nbkit predict --onnx` do the same from the command line.
