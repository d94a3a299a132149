using NotebookKit.Data;
using NotebookKit.Data.Transforms;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;

namespace NotebookKit.Tests.Training;

/// <summary>Small, fast training setups on the embedded Fashion-MNIST subset.</summary>
static class TrainingFixture
{
    public static readonly Lazy<string> WeightsCache = new(() => Directory.CreateTempSubdirectory("nbkit-weights-").FullName);

    public static PretrainedModel Pretrained(int classes = 10) =>
        NotebookKit.Models.Weights.Pretrained.Load("resnet18", "mlnet-imagenet", classes, new WeightsStore(WeightsCache.Value));

    public static (DataLoader Train, DataLoader Validation) Loaders(Preprocessing preprocessing, int trainPerClass = 4, int valPerClass = 2, int size = 32, bool augment = false, int seed = 0, int batch = 8)
    {
        TorchRuntime.Require();
        var source = EmbeddedData.FashionMnistSmall();
        var train = DatasetSplits.PerClass(source.Train, trainPerClass, seed);
        var val = DatasetSplits.PerClass(source.Validation!, valPerClass, seed);
        var options = new DataLoaderOptions { BatchSize = batch, Seed = seed, Workers = 2 };
        return (new DataLoader(train, preprocessing.Train(size, augment), options),
                new DataLoader(val, preprocessing.Eval(size), options with { Shuffle = false }));
    }
}
