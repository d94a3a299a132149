// Generated from notebooks/03-resnet50-anatomy-and-surgery.ipynb by `nbkit dev notebooks-to-apps`; do not edit.
// Run: dotnet run notebooks/apps/03-resnet50-anatomy-and-surgery.cs   (NBKIT_SMOKE=1 for a quick run)
#:project ../../src/NotebookKit/NotebookKit.csproj
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:property NoWarn=$(NoWarn);CS1591;IL2026;IL3050;IL2104;IL3053

using NotebookKit.Charts;
using NotebookKit.Models.Weights;
using NotebookKit.Models;
using NotebookKit.Runtime;

// Training prints a line per epoch here (in a notebook it is a live chart).
NotebookKit.Training.LiveTraining.UseConsole();

// # 02 · ResNet-50: anatomy and surgery
//
// In this notebook you will learn:
// - the stages of a ResNet (`stem`, `layer1`..`layer4`, `head`) and where its parameters are,
// - how to replace the head, truncate after a stage, and adapt the first layer to grayscale,
// - what preprocessing a set of weights carries.
// Reference the kit (built and registered by `environment/setup.sh`; see `00-setup`).

// ```mermaid
// flowchart LR
//     x[image] --> stem[stem: conv 7x7/2, BN, ReLU, maxpool] --> l1[layer1: 3 bottlenecks] --> l2[layer2: 4] --> l3[layer3: 6] --> l4[layer4: 3] --> pool[average pool] --> head[head: fc 2048 to classes]
// ```
// A ResNet-50, built from TorchVision's modules under torchvision's parameter names (so PyTorch checkpoints load as they are). Its summary: shapes, parameters per stage, and 4.09 G multiply-adds at 224 px.

TorchRuntime.Require();
var resnet50 = ResNetModel.Create("resnet50");
AppOutput.Show(ModelSummary.Of(resnet50, 224), "03-resnet50-anatomy-and-surgery-cell2");

// Surgery: a new head for 10 classes, and the network truncated after `layer2` with a fresh pooled head (Yosinski et al.'s "first n layers").
var forTen = resnet50.WithClassifier(10, dropout: 0.2);
var firstThree = resnet50.TruncatedAfter("layer2", numClasses: 10);
AppOutput.Show(new { HeadClasses = forTen.NumClasses, HeadInputs = forTen.FeatureSize, TruncatedAfter = firstThree.LastStage, TruncatedFeatures = firstThree.FeatureSize, Stages = string.Join(" > ", firstThree.StageNames) }, "03-resnet50-anatomy-and-surgery-cell3");

// Grayscale input without copying the gray channel three times: conv1's weights summed over RGB (timm's approach).
var gray = ResNetModel.Create("resnet18", 10).WithGrayscaleInput();
AppOutput.Show(new { gray.InputChannels, Conv1 = string.Join("x", gray.state_dict()["conv1.weight"].shape) }, "03-resnet50-anatomy-and-surgery-cell4");

// Weights carry their preprocessing. torchvision's V2 ResNet-50 weights expect a 232 px resize, a 224 px crop and ImageNet's mean and std; ML.NET's ResNet-18 expects BGR values in 0..255 minus a mean image, which the kit folds into the model.
AppOutput.Show(WeightsRegistry.All.Select(w => new { w.Architecture, w.Name, w.Top1, Preprocessing = w.Preprocessing.ToString() }), "03-resnet50-anatomy-and-surgery-cell5");

// ## What we learned
// - Stages have names; freezing, truncation and learning rates refer to them, never to indices.
// - A new head, a truncated body or a gray first layer are one call each and keep the pretrained weights.
//
// ## See also
// - He et al., *Deep Residual Learning for Image Recognition* (2015); torchvision's model docs.
// - `03-feature-extraction`.
