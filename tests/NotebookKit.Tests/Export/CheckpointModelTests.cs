using NotebookKit.Data.Transforms;
using NotebookKit.Export;
using NotebookKit.Experiments;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Tests.Models;
using NotebookKit.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Export;

public class CheckpointModelTests : IDisposable
{
    readonly TempDir temp = new();
    public void Dispose() => temp.Dispose();

    public static TheoryData<string> Variants() => [.. ExportFixture.Variants];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_is_rebuilt_from_its_weights_alone_and_computes_the_same(string variant)
    {
        var (model, _) = ExportFixture.Build(variant);
        var file = StateDicts.Write(model, Path.Combine(temp.Path, $"{variant}.safetensors"));

        var loaded = CheckpointModel.Load(file);

        using var rebuilt = loaded.Model;
        Assert.Equal((model.NumClasses, model.InputChannels, model.LastStage), (rebuilt.NumClasses, rebuilt.InputChannels, rebuilt.LastStage));
        Assert.Equal(model.state_dict().Keys.Order(), rebuilt.state_dict().Keys.Order());
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        rebuilt.eval();
        var x = randn(2, model.InputChannels, ExportFixture.ImageSize, ExportFixture.ImageSize, generator: new Generator(3));
        Assert.True(Tensors.Same(model.forward(x), rebuilt.forward(x)), $"{variant}: the rebuilt model computes something else");
        Assert.Null(loaded.Card);
        Assert.Null(loaded.Classes);
    }

    [Fact]
    public void A_training_folder_gives_its_best_weights_and_its_cards_classes_size_and_preprocessing()
    {
        using var model = ResNetModel.Create("resnet18-2223", 3);
        PytorchEquivalenceTests.FillWithFormula(model);
        StateDicts.Write(model, Path.Combine(temp.Path, "best.safetensors"));
        StateDicts.Write(ResNetModel.Create("resnet18-2223", 3), Path.Combine(temp.Path, "last", "model.safetensors"));
        var settings = new TrainSettings { Arch = "resnet18", Weights = "mlnet-imagenet", ImageSize = 48 };
        ModelCard.ForTraining(settings, ["ant", "bee", "wasp"]).Write(temp.Path);

        var loaded = CheckpointModel.Load(temp.Path);
        var fromLast = CheckpointModel.Load(Path.Combine(temp.Path, "last"));

        Assert.Equal(Path.Combine(temp.Path, "best.safetensors"), loaded.WeightsPath);
        Assert.Equal(["ant", "bee", "wasp"], loaded.Classes);
        Assert.Equal(48, loaded.ImageSize);
        Assert.Equal(WeightsRegistry.MlNetImageNet.Preprocessing.ToString(), loaded.Preprocessing.ToString()); // the card's: BGR 0..255
        Assert.Equal(ChannelOrder.Bgr, loaded.Preprocessing.Normalization.Order); // (the weights alone would say ImageNet RGB)
        Assert.Equal("resnet18-2223", loaded.Card!.Architecture);
        Assert.Equal("resnet18-2223", loaded.Model.Architecture.Name);
        Assert.Equal(Path.Combine(temp.Path, "last", "model.safetensors"), fromLast.WeightsPath);
        Assert.Equal(["ant", "bee", "wasp"], fromLast.Classes); // DIR/last finds DIR/model.json
    }

    [Fact]
    public void The_model_card_round_trips()
    {
        var card = new ModelCard("resnet18-2223", "mlnet-imagenet", ["a", "b \"c\""], 64, WeightsRegistry.MlNetImageNet.Preprocessing);

        var read = ModelCard.Read(card.Write(temp.Path));

        Assert.Equal((card.Architecture, card.Pretrained, card.ImageSize), (read.Architecture, read.Pretrained, read.ImageSize));
        Assert.Equal(card.Classes, read.Classes);
        Assert.Equal(card.Preprocessing.ToString(), read.Preprocessing.ToString());
        Assert.Equal(ChannelOrder.Bgr, read.Preprocessing.Normalization.Order);
    }

    [Fact]
    public void Weights_that_are_not_a_resnet_are_refused_by_name()
    {
        var other = new Dictionary<string, Tensor> { ["encoder.weight"] = ones(4, 4), ["encoder.bias"] = zeros(4) };
        var path = Path.Combine(temp.Path, "other.safetensors");
        TorchSharp.PyBridge.Safetensors.SaveStateDict(path, other);

        var error = Assert.Throws<WeightsFormatException>(() => CheckpointModel.Load(path));

        Assert.Contains($"{path}: not a ResNet checkpoint", error.Message);
        Assert.Contains("nbkit train --out", error.Message);
    }

    [Fact]
    public void An_architecture_that_does_not_fit_the_weights_is_a_mismatch_that_names_the_one_that_does()
    {
        using var model = ResNetModel.Create("resnet34", 2);
        var path = StateDicts.Write(model, Path.Combine(temp.Path, "r34.safetensors"));

        var error = Assert.Throws<ArgumentException>(() => CheckpointModel.Load(path, "resnet50"));

        Assert.Contains("Architecture mismatch", error.Message);
        Assert.Contains("basic blocks [3,4,6,3]", error.Message);
        Assert.Contains("--arch resnet34", error.Message);
    }

    [Fact]
    public void A_card_from_another_run_is_refused()
    {
        using var model = ResNetModel.Create("resnet18", 5);
        StateDicts.Write(model, Path.Combine(temp.Path, "best.safetensors"));
        new ModelCard("resnet18", "random", ["only", "two"], 32, Preprocessing.ImageNetDefault).Write(temp.Path);

        var error = Assert.Throws<WeightsFormatException>(() => CheckpointModel.Load(temp.Path));

        Assert.Contains("lists 2 classes", error.Message);
        Assert.Contains("5-way head", error.Message);
    }
}
