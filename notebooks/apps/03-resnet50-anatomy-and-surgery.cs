// Generated from notebooks/03-resnet50-anatomy-and-surgery.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/03-resnet50-anatomy-and-surgery.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Experiments;
using NotebookKit.Models.Weights;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Training;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 03 · ResNet anatomy and surgery
//
// In this notebook you will learn:
// - the stages of a ResNet (`stem`, `layer1`..`layer4`, `head`) and where its parameters are,
// - how to replace the head, truncate after a stage, and adapt the first layer to grayscale,
// - how truncation differs from Yosinski et al.'s transfer design, which keeps the full depth,
// - what preprocessing a set of weights carries.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`). Uncomment the second line to switch
// smoke mode on here; the last line says whether it is on.
AppOutput.Show(// SmokeMode.Enabled = true;   // tiny runs that only check that everything works
SmokeMode.Notice, "03-resnet50-anatomy-and-surgery-cell1");

// ```mermaid
// flowchart LR
//     x[image] --> stem[stem: conv 7x7/2, BN, ReLU, maxpool] --> l1[layer1: 3 bottlenecks] --> l2[layer2: 4] --> l3[layer3: 6] --> l4[layer4: 3] --> pool[average pool] --> head[head: fc 2048 to classes]
// ```
// A ResNet-50, the network the kit was first written for, built here with random weights (nothing to download) from
// TorchVision's modules under torchvision's parameter names, so PyTorch checkpoints load as they are. Its summary: shapes,
// parameters per stage, and 4.09 G multiply-adds at 224 px. The course itself trains the smaller ImageNet ResNet-18 with
// [2, 2, 2, 3] blocks (see `00-setup`): the same five stages, with basic blocks instead of bottlenecks.

TorchRuntime.Require();
var resnet50 = ResNetModel.Create("resnet50");
AppOutput.Show(ModelSummary.Of(resnet50, 224), "03-resnet50-anatomy-and-surgery-cell2");

// Surgery: a new head for 10 classes (what every strategy of the course does), and the network **truncated** after
// `layer2` with a fresh pooled head. Truncation makes a smaller, cheaper network whose features come from an earlier,
// more general stage; everything after `layer2` is gone.
var forTen = resnet50.WithClassifier(10, dropout: 0.2);
var firstThree = resnet50.TruncatedAfter("layer2", numClasses: 10);
AppOutput.Show(new
{
    HeadClasses = forTen.NumClasses, HeadInputs = forTen.FeatureSize,
    TruncatedAfter = firstThree.LastStage, TruncatedFeatures = firstThree.FeatureSize,
    Stages = string.Join(" > ", firstThree.StageNames),
}, "03-resnet50-anatomy-and-surgery-cell3");

// **Truncation is not Yosinski et al.'s design.** In *How transferable are features?* the transfer network keeps the
// full depth of the base network: its first n layers are copied from the base network (then frozen, AnB, or trained,
// AnB+), and every layer above them starts again from random weights and trains on the new task. In the kit that is a
// fresh network of the same architecture with the first n stages' weights loaded into it; here n = 2 (stem and
// `layer1`), frozen. `08-how-transferable-are-features` runs the whole experiment this way.

var baseA = ResNetModel.Create("resnet18", 5);      // stands for a network trained on half A
var anB = ResNetModel.Create("resnet18", 5);        // full depth, random weights, for half B
var copiedStages = Stages.Body.Take(2).ToHashSet(); // n = 2: stem and layer1
var copied = baseA.state_dict().Where(kv => copiedStages.Contains(ResNetModel.StageOf(kv.Key)))
    .ToDictionary(kv => kv.Key, kv => kv.Value);
StateDicts.LoadInto(anB, copied, skipHeadIfClassesDiffer: false, allowPartial: true);
Freezing.FreezeUpTo(anB, "layer1");                 // AnB; AnB+ would leave them trainable
AppOutput.Show(anB.StageNames.Select(s => new
{
    Stage = s,
    Weights = copiedStages.Contains(s) ? "copied from base A" : "random, trained on B",
    Trains = anB.FrozenStages.Contains(s) ? "no (frozen)" : "yes",
}), "03-resnet50-anatomy-and-surgery-cell4");

// Grayscale input without copying the gray channel three times: conv1's weights summed over RGB (timm's approach).
var gray = ResNetModel.Create("resnet18", 10).WithGrayscaleInput();
AppOutput.Show(new { gray.InputChannels, Conv1 = string.Join("x", gray.state_dict()["conv1.weight"].shape) }, "03-resnet50-anatomy-and-surgery-cell5");

// Weights carry their preprocessing. torchvision's V2 ResNet-50 weights expect a 232 px resize, a 224 px crop and
// ImageNet's mean and std; ML.NET's ResNet-18 expects BGR values in 0..255 minus a mean image, which the kit folds into
// the model. The top-1 column is ImageNet accuracy as the weights' publisher reports it.
AppOutput.Show(WeightsRegistry.All.Select(w => new
{
    w.Architecture, w.Name, w.Top1, Preprocessing = w.Preprocessing.ToString(),
}), "03-resnet50-anatomy-and-surgery-cell6");

// ## Exercises
// 1. Truncate the ResNet-50 after `layer3` instead. Predict the feature size first, then check `FeatureSize`.
//    <details><summary>Answer</summary>1024: a bottleneck stage's output has four times its width (256 × 4 in
//    <code>layer3</code>); <code>layer4</code> doubles it again to 2048.</details>
// 2. Change the transfer cell to n = 4 (stem through `layer3`). How many stages are copied, and which train?
//    <details><summary>Hint</summary><code>Stages.Body.Take(4)</code> and <code>FreezeUpTo(anB, "layer3")</code>:
//    only <code>layer4</code> and the head stay random and train.</details>
// 3. Why does the transfer network need the layers above n at all, if a truncated network is cheaper?
//    <details><summary>Answer</summary>To measure what the copied layers are worth at a fixed capacity: every network
//    in the experiment has the same depth and trains for the same budget, so a difference comes from the copied
//    weights, not from a smaller network.</details>
//
// ## What we learned
// - Stages have names; freezing, truncation and learning rates refer to them, never to indices.
// - A new head, a truncated body or a gray first layer are one call each and keep the pretrained weights.
// - Truncation removes the upper layers; Yosinski et al.'s transfer networks keep them and start them again from
//   random weights.
//
// ## See also
// - He et al., *Deep Residual Learning for Image Recognition* (2015); torchvision's model docs.
// - Yosinski et al., *How transferable are features in deep neural networks?* (NeurIPS 2014), section 2.
// - `04-feature-extraction`, the next step.
