// Generated from notebooks/07-batchnorm-pitfall.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/07-batchnorm-pitfall.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Experiments;
using NotebookKit.Models.Weights;
using NotebookKit.Models;
using NotebookKit.Training;
using static TorchSharp.torch.nn.functional;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 07 · The BatchNorm pitfall: "frozen" layers that still change
//
// Setting `requires_grad = false` freezes weights, but BatchNorm layers also keep running statistics (a mean and a
// variance per channel), which update whenever the layer is in training mode. Many tutorials "freeze" a backbone and
// call `model.train()`, which lets those statistics drift towards the new data (pytorch/pytorch#86590). Old versions of
// Keras did something worse: frozen BatchNorm layers normalised with each batch's statistics while training but with the
// old ImageNet statistics at inference (keras-team/keras#9965); Keras has since made a frozen BatchNorm layer run in
// inference mode.
//
// In this notebook you will learn:
// - how to see BatchNorm statistics move in a "frozen" backbone, under the kit's three policies,
// - what drifting statistics really cost, measured over three seeds,
// - why Keras keeps BatchNorm in inference mode even while fine-tuning, and fastai (and the kit's recipe) do not.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`). Uncomment the second line to switch
// smoke mode on here; the last line says whether it is on.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "07-batchnorm-pitfall-cell1");

// Offline ImageNet weights (ResNet-18 [2, 2, 2, 3] from ML.NET's package) and part of the embedded Fashion-MNIST data:
// 50 training and 25 validation images per class (10 and 5 in smoke mode), at 48 px, batches of 16.

var perClass = SmokeMode.Enabled ? 10 : 50;
var source = Datasets.Open(null);
var train = DatasetSplits.PerClass(source.Train, perClass);
var val = DatasetSplits.PerClass(source.Validation!, perClass / 2);
var preprocessing = WeightsRegistry.MlNetImageNet.Preprocessing;
var options = new DataLoaderOptions { BatchSize = 16 };
var trainLoader = new DataLoader(train, preprocessing.Train(48, augment: false), options);
var valLoader = new DataLoader(val, preprocessing.Eval(48), options with { Shuffle = false });
AppOutput.Show((train.Count, val.Count), "07-batchnorm-pitfall-cell2");

// A helper trains a new head on a frozen backbone under a BatchNorm policy for two epochs and reports how far one
// BatchNorm layer's running mean moved.
(PretrainedModel Model, float Drift) TrainHead(BatchNormPolicy policy)
{
    TorchSharp.torch.manual_seed(0);
    var p = Pretrained.Load("resnet18", "mlnet-imagenet", numClasses: 10);
    var before = p.Model.state_dict()["layer2.0.bn1.running_mean"].clone();
    Freezing.FreezeUpTo(p.Model, "layer4", policy);
    new Trainer(p.Model, trainLoader, valLoader, new TrainOptions { Epochs = 2 }).Fit();
    var after = p.Model.state_dict()["layer2.0.bn1.running_mean"];
    return (p, (after - before).abs().max().item<float>());
}

// The three policies. `Naive` is the pitfall: weights frozen, BatchNorm in training mode, so the statistics move.
// `TrainAffine` is fastai's `train_bn`: BatchNorm's scale and shift train and its statistics update, everything else is
// frozen. `FrozenStatistics`, the kit's default, keeps the BatchNorm layers of frozen stages in inference mode even while
// the model trains (what Keras does for a frozen layer, and timm's `FrozenBatchNorm2d`).
BatchNormPolicy[] policies =
    [BatchNormPolicy.Naive, BatchNormPolicy.TrainAffine, BatchNormPolicy.FrozenStatistics];
var drifts = policies.Select(policy => (Policy: policy, Trained: TrainHead(policy))).ToList();
AppOutput.Show(drifts.Select(d => $"{d.Policy}: running mean moved by up to {d.Trained.Drift:F4};"), "07-batchnorm-pitfall-cell4");

// **What the drift costs.** In `Naive` mode the running statistics do not end up matching "neither ImageNet nor your
// data": they converge to *your* data, which is what the head is evaluated with. The real costs are three:
// - **train/eval mismatch**: the head trains on features normalised with each batch's statistics and is evaluated on
//   features normalised with the running average, which lags behind and differs from any one batch;
// - **batch noise**: with small batches (16 here) those statistics are noisy, so the same image gives different
//   features from one batch to the next;
// - **no feature cache**: the body's output changes with every batch, so it must run at every step: the cost of
//   fine-tuning without its benefit. `TrainAffine` adds a backward pass through the whole body for its BatchNorm
//   parameters.
//
// Measured: the same frozen-body training under each policy, three seeds each (two in smoke mode, to keep it short), on
// the same images. The last column is the paired difference from `FrozenStatistics` (same seeds, same validation images)
// with its 95% interval.
var settings = new TrainSettings { Epochs = 2, ImageSize = 48, BatchSize = 16 } with
{
    TrainPerClass = perClass, ValidationPerClass = perClass / 2,
};
var seeds = SmokeMode.Enabled ? 2 : 3;
StrategySummary Measure(BatchNormPolicy policy) =>
    Comparer.Run(settings with { BatchNorm = policy }, [new Strategy.FeatureExtraction()], seeds,
        note: policy.ToString()).Strategies[0];
var byPolicy = policies.Select(policy => (Policy: policy, Summary: Measure(policy))).ToList();
var reference = byPolicy.Single(m => m.Policy == BatchNormPolicy.FrozenStatistics).Summary;
AppOutput.Show(byPolicy.Select(m => new
{
    Policy = m.Policy.ToString(),
    Accuracy = $"{m.Summary.ValidationAccuracy:P1}",
    Interval95 = $"{m.Summary.ValidationAccuracyInterval.ToPoints()} ({m.Summary.IntervalMethod})",
    PerSeed = string.Join(", ", m.Summary.PerSeed.Select(a => a.ToString("P0"))),
    Seconds = Math.Round(m.Summary.Seconds, 1),
    VersusFrozenStatistics = m.Summary == reference
        ? "" : PairedComparison.Of(m.Summary, reference).Describe(),
}), "07-batchnorm-pitfall-cell5");

// **Measured** (this notebook's cells, full settings: 500 training and 250 validation images, 48 px, 2 epochs, SGD,
// seeds 0-2): on 2026-11-28 on a 2-core AMD EPYC virtual machine (one torch thread). The running mean of `layer2.0.bn1`
// moved by up to 1.08 under `Naive`, 1.15 under `TrainAffine` and 0.0000 under `FrozenStatistics`. Accuracy over seeds
// 0-2 (95% t interval; per seed; seconds per run): `Naive` 62.0 % [57.4, 66.6] (60, 64, 62 %; 9.4 s), `TrainAffine`
// 63.1 % [58.6, 67.5] (61, 65, 63 %; 14.2 s), `FrozenStatistics` 73.2 % [64.5, 81.9] (77, 72, 71 %; 4.7 s, on cached
// features). Against `FrozenStatistics`, paired: `Naive` -11.2 points (95% CI [-24.1, +1.7], paired t p = 0.065),
// `TrainAffine` -10.1 points [-22.8, +2.5] (p = 0.075). Both leaned 10-11 points below with every seed, but three seeds
// cannot exclude zero; what is certain is the cost: twice (`Naive`) and three times (`TrainAffine`) the time, because the
// body runs, and for `TrainAffine` back-propagates, at every step.
//
// ## Fine-tuning: Keras keeps inference mode, fastai does not
//
// When the body unfreezes for fine-tuning, its BatchNorm layers become trainable too. Keras's guide *Transfer learning &
// fine-tuning* keeps them in **inference mode** during fine-tuning (it calls the base model with `training=False`), so
// that their statistics stay put and do not undo what the model has learned so far. fastai's `fine_tune`, and the kit's
// `TrainingRecipes.FineTune` (`05-fine-tuning`), put the unfrozen body in **training mode**: BatchNorm then normalises with each
// batch's statistics and updates its running ones, like the rest of the network adapting to the new data.
//
// That switch is part of the loss jump you may see in `05` when the body unfreezes. Here it is alone: the head trained
// on the frozen body (`FrozenStatistics` above), the same weights, the same training images, the loss with BatchNorm on
// the pretrained statistics (what the head was trained with, and Keras's choice) and on each batch's (what the unfrozen
// phase starts with).

double MeanLoss(ResNetModel model)
{
    using var _ = TorchSharp.torch.no_grad();
    double sum = 0; int count = 0;
    foreach (var batch in trainLoader.Epoch(0))
        using (batch)
        {
            using var logits = model.forward(batch.Images.to(model.Device));
            using var loss = cross_entropy(logits, batch.Labels.to(model.Device));
            (sum, count) = (sum + loss.item<float>() * batch.Count, count + batch.Count);
        }
    return sum / count;
}
var headOnFrozenBody = drifts.Single(d => d.Policy == BatchNormPolicy.FrozenStatistics)
    .Trained.Model.Model;
headOnFrozenBody.eval();
var withPretrainedStatistics = MeanLoss(headOnFrozenBody);
Freezing.Unfreeze(headOnFrozenBody);
headOnFrozenBody.train();   // as the unfrozen phase: every BatchNorm on batch statistics
var withBatchStatistics = MeanLoss(headOnFrozenBody);
AppOutput.Show($"training loss {withPretrainedStatistics:F3} with the pretrained statistics, "
    + $"{withBatchStatistics:F3} with each batch's: the jump the unfrozen phase starts with, "
    + "before any weight has moved (one seed)", "07-batchnorm-pitfall-cell6");

// **Measured** (this cell, full settings, seed 0): on 2026-11-28, same machine: the training loss of the head on the
// frozen body was 1.241 with the pretrained statistics and 5.101 with each batch's, before any weight moved: a fourfold
// jump from BatchNorm's switch alone.
//
// ## Exercises
// 1. Predict, then run: with batches of 64 instead of 16 (`options` and `BatchSize` in the settings), does the `Naive`
//    policy get closer to `FrozenStatistics`?
//    <details><summary>Hint</summary>Larger batches give less noisy statistics, so the mismatch between batch and running
//    statistics shrinks; the lost feature cache does not come back.</details>
// 2. Train `Naive` for 10 epochs instead of 2. What happens to the drift, and to the accuracy?
//    <details><summary>Hint</summary>The running mean moves by a tenth of the gap at every step (momentum 0.1): after a
//    few dozen steps it has converged to your data's statistics.</details>
//
// ## What we learned
// - "Frozen" must include BatchNorm's statistics; `Freezing.FreezeUpTo(model, "layer4")` keeps them frozen by default,
//   even after `model.train()`.
// - `Naive` statistics converge to your data; the costs are the train/eval mismatch, batch noise and a lost feature cache,
//   and the table above says what they cost here.
// - `BatchNormPolicy.TrainAffine` is fastai's `train_bn`; when fine-tuning, Keras keeps BatchNorm in inference mode while
//   fastai and the kit's recipe train it, which is part of the loss jump when the body unfreezes.
//
// ## See also
// - pytorch/pytorch#86590 and keras-team/keras#9965; the Keras guide's notes on `BatchNormalization` and `training=False`.
// - `05-fine-tuning` for unfreezing with discriminative learning rates.
