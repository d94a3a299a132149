// Generated from notebooks/07-batchnorm-pitfall.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/07-batchnorm-pitfall.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Data;
using NotebookKit.Models.Weights;
using NotebookKit.Models;
using NotebookKit.Training;
using Plotly.NET.CSharp;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 06 · The BatchNorm pitfall: "frozen" layers that still change
//
// Setting `requires_grad = false` freezes weights, but BatchNorm layers also keep running statistics, which
// update whenever the model is in training mode. Many tutorials "freeze" a backbone and silently let those
// statistics drift to the new data (pytorch/pytorch#86590, keras-team/keras#9965).
//
// In this notebook you will learn:
// - how to see BatchNorm statistics move in a "frozen" backbone,
// - how the kit's default policy keeps them frozen (Keras's `training=False`),
// - what the difference does to accuracy.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// Offline ImageNet weights (ResNet-18 from ML.NET's package) and a small part of the embedded Fashion-MNIST data.

var perClass = NotebookKit.Experiments.SmokeMode.Enabled ? 10 : 50;
var source = Datasets.Open(null);
var train = DatasetSplits.PerClass(source.Train, perClass);
var val = DatasetSplits.PerClass(source.Validation!, perClass / 2);
AppOutput.Show((train.Count, val.Count), "07-batchnorm-pitfall-cell2");

// A helper trains a new head on a frozen backbone under a BatchNorm policy and reports how far one BatchNorm layer's running mean moved.
(TrainResult Result, float Drift) TrainHead(BatchNormPolicy policy)
{
    TorchSharp.torch.manual_seed(0);
    var p = Pretrained.Load("resnet18", "mlnet-imagenet", numClasses: 10);
    var before = p.Model.state_dict()["layer2.0.bn1.running_mean"].clone();
    Freezing.FreezeUpTo(p.Model, "layer4", policy);
    var options = new DataLoaderOptions { BatchSize = 16 };
    var result = new Trainer(p.Model, new DataLoader(train, p.Preprocessing.Train(48, augment: false), options),
        new DataLoader(val, p.Preprocessing.Eval(48), options with { Shuffle = false }), new TrainOptions { Epochs = 2 }).Fit();
    var drift = (p.Model.state_dict()["layer2.0.bn1.running_mean"] - before).abs().max().item<float>();
    return (result, drift);
}

// The pitfall: weights frozen, BatchNorm in training mode (`Naive`). The statistics move.
var naive = TrainHead(BatchNormPolicy.Naive);
AppOutput.Show($"running mean moved by up to {naive.Drift:F4}; final validation accuracy {naive.Result.FinalValidationAccuracy:P1}", "07-batchnorm-pitfall-cell4");

// The kit's default (`FrozenStatistics`): BatchNorm layers of frozen stages stay in eval mode even while the model trains.
var frozen = TrainHead(BatchNormPolicy.FrozenStatistics);
AppOutput.Show($"running mean moved by up to {frozen.Drift:F4}; final validation accuracy {frozen.Result.FinalValidationAccuracy:P1}", "07-batchnorm-pitfall-cell5");

// Side by side, epoch by epoch: the validation accuracy of the two heads.
AppOutput.Show(Chart.Combine(new[] {
    Chart.Line<int, double, string>(x: naive.Result.History.Select(h => h.Epoch), y: naive.Result.History.Select(h => h.ValidationAccuracy), Name: "naive (statistics drift)"),
    Chart.Line<int, double, string>(x: frozen.Result.History.Select(h => h.Epoch), y: frozen.Result.History.Select(h => h.ValidationAccuracy), Name: "frozen statistics"),
}), "07-batchnorm-pitfall-cell6");

// ## What we learned
// - "Frozen" must include BatchNorm's statistics; otherwise the features the head learns on keep shifting, and at
//   evaluation time the network sees statistics that match neither ImageNet nor your data.
// - `Freezing.FreezeUpTo(model, "layer4")` keeps them frozen by default; `BatchNormPolicy.TrainAffine` is fastai's
//   `train_bn`; `Naive` exists only to show this pitfall.
//
// ## See also
// - pytorch/pytorch#86590 and keras-team/keras#9965; the Keras guide's note on `training=False`.
// - `04-fine-tuning` for unfreezing with discriminative learning rates.
