using NotebookKit.Data.Transforms;
using NotebookKit.Export;
using NotebookKit.Experiments;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Export;

/// <summary>
/// Issue 30, item 3: a run's model.json states the preprocessing training actually fed the model (what
/// <see cref="Pretrained.Load"/> gives the weights the strategy starts from), so `predict --checkpoint` and the export
/// see images as training did.
/// </summary>
public class ModelCardTrainingTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();
    public ModelCardTrainingTests() => TorchRuntime.Require();

    string WithMeanImage()
    {
        using var mean = full(new long[] { 1, 3, 224, 224 }, 114f);
        using var model = ResNetModel.Create("resnet18-2223", 3).WithPreprocess(new MeanImageSubtraction(mean));
        return StateDicts.Write(model, Path.Combine(temp.Path, "mean-image.safetensors"));
    }

    [Theory]
    [InlineData("scratch", "mlnet-imagenet", "random", ChannelOrder.Rgb)] // scratch trains from random weights whatever --weights says
    [InlineData("finetune", "mlnet-imagenet", "mlnet-imagenet", ChannelOrder.Bgr)]
    [InlineData("frozen", "random", "random", ChannelOrder.Rgb)]
    [InlineData("frozen", "FILE", "FILE", ChannelOrder.Bgr)] // a bare file with a mean image: ML.NET's convention
    public void The_card_states_what_training_feeds_the_model(string strategy, string weights, string startsFrom, ChannelOrder order)
    {
        var file = weights == "FILE" ? WithMeanImage() : null;
        var settings = new TrainSettings { Arch = file is null ? "resnet18" : "resnet18-2223", Weights = file ?? weights, ImageSize = 32 };

        var card = ModelCard.ForTraining(settings, ["a", "b", "c"], Strategy.Parse(strategy));
        var pretrained = Pretrained.Load(settings.ResolvedArchitecture, Strategy.Parse(strategy).Pretrained ? settings.Weights : "random", 3);

        using var _ = pretrained.Model;
        Assert.Equal(startsFrom == "FILE" ? file : startsFrom, card.Pretrained);
        Assert.Equal(order, card.Preprocessing.Normalization.Order);
        Assert.Equal(pretrained.Preprocessing.ToString(), card.Preprocessing.ToString()); // the card is what training used
    }
}
