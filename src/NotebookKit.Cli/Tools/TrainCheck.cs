using NotebookKit.Cli.Bench;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Cli.Tools;

/// <summary>
/// <c>nbkit dev train-check</c>: a few SGD steps of a ResNet at each image size and batch size, with oneDNN as the kit
/// sets it, one line per run (flushed, so a crash shows where). A crash check for the CPU backend: run it with
/// <c>ONEDNN_VERBOSE=1</c> to list the primitives, or under a debugger that makes oneDNN see another CPU (the kit's
/// tests do both). <c>--torchvision</c> trains TorchVision's own ResNet instead (strided 1x1 projection shortcuts, plain
/// loop, oneDNN on): the path the kit replaced, to reproduce the crash.
/// </summary>
static class TrainCheck
{
    public static void Run(string arch, IReadOnlyList<int> sizes, IReadOnlyList<int> batches, int steps, bool torchvisionModel, TextWriter output)
    {
        TorchRuntime.Require();
        foreach (int size in sizes)
            foreach (int batch in batches)
            {
                using var scope = NewDisposeScope();
                manual_seed(0);
                var images = randn(batch, 3, size, size);
                var labels = randint(0, 10, [batch]);
                double loss = torchvisionModel ? TrainTorchVision(arch, images, labels, steps) : TrainKit(arch, images, labels, steps);
                output.WriteLine($"{arch} {size} px batch {batch}: {steps} steps, oneDNN {(OneDnn.Enabled ? "on" : "off")}, last loss {loss:F4}");
                output.Flush();
            }
    }

    static double TrainKit(string arch, Tensor images, Tensor labels, int steps)
    {
        using var model = ResNetModel.Create(arch, 10);
        var options = new TrainOptions { Epochs = 1, Schedule = ScheduleKind.None, Optimizer = new OptimizerOptions { LearningRate = 0.01 } };
        return new Trainer(model, new FixedBatches(images, labels, steps), null, options).Fit().History[^1].TrainLoss;
    }

    static double TrainTorchVision(string arch, Tensor images, Tensor labels, int steps)
    {
        using var model = arch switch
        {
            "resnet18" => torchvision.models.resnet18(num_classes: 10),
            "resnet34" => torchvision.models.resnet34(num_classes: 10),
            "resnet50" => torchvision.models.resnet50(num_classes: 10),
            "resnet101" => torchvision.models.resnet101(num_classes: 10),
            "resnet152" => torchvision.models.resnet152(num_classes: 10),
            _ => throw new ArgumentException($"--torchvision trains resnet18, resnet34, resnet50, resnet101 or resnet152; got '{arch}'.", nameof(arch)),
        };
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.01, 0.9);
        double loss = double.NaN;
        for (int i = 0; i < steps; i++)
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            var value = nn.functional.cross_entropy(model.call(images), labels);
            value.backward();
            optimizer.step();
            loss = value.item<float>();
        }
        return loss;
    }
}
