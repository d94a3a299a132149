using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>
/// A ResNet built from TorchVision's own modules, under torchvision's names (<c>conv1</c>, <c>bn1</c>,
/// <c>layer1.0.conv1</c>, <c>fc</c>, …) so state dicts from PyTorch load as they are, with timm's
/// interface on top: stages by name (<c>stem</c>, <c>layer1</c>..<c>layer4</c>, <c>head</c>), features
/// and head separately, a new classifier, truncation after a stage, grayscale input.
/// Methods that change the shape return a new model that shares the unchanged modules with this one.
/// The model also owns which stages are frozen and its BatchNorm policy (see <c>ResNetModel.Freezing.cs</c>), so a
/// plain <c>model.train()</c> keeps frozen BatchNorm layers in eval mode.
/// Strided projection shortcuts are <see cref="SubsampledProjection"/>s: torchvision's function and names, computed
/// without the strided 1x1 convolution that crashes libtorch 2.10's oneDNN in backward on some CPUs.
/// </summary>
public sealed partial class ResNetModel : nn.Module<Tensor, Tensor>
{
    readonly Parts parts;

    /// <summary>The architecture.</summary>
    public ResNetArchitecture Architecture { get; }

    /// <summary>Number of outputs of the head.</summary>
    public int NumClasses { get; }

    /// <summary>The last body stage kept (<c>layer4</c> unless truncated).</summary>
    public string LastStage => parts.Layers.Count == 0 ? Stages.Stem : $"layer{parts.Layers.Count}";

    /// <summary>Size of the pooled features the head receives.</summary>
    public int FeatureSize => Architecture.ChannelsAfter(LastStage);

    /// <summary>Input channels (3, or 1 after <see cref="WithGrayscaleInput"/>).</summary>
    public int InputChannels { get; }

    /// <summary>The stages this model has, in order (body stages, then head).</summary>
    public IReadOnlyList<string> StageNames => [Stages.Stem, .. parts.Layers.Select(l => l.Name), Stages.Head];

    /// <summary>The device of the model's parameters: where its inputs must go (code that feeds the model moves them here).</summary>
    public Device Device => parameters().First().device;

    /// <summary>The classifier (torchvision's <c>fc</c>).</summary>
    public nn.Module<Tensor, Tensor> Classifier => parts.Fc;

    sealed record Parts(
        nn.Module<Tensor, Tensor>? Preprocess,
        nn.Module<Tensor, Tensor> Conv1, nn.Module<Tensor, Tensor> Bn1, nn.Module<Tensor, Tensor> Relu, nn.Module<Tensor, Tensor> MaxPool,
        IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> Layers,
        nn.Module<Tensor, Tensor> AvgPool, nn.Module<Tensor, Tensor> Fc,
        object KeepAlive);

    ResNetModel(ResNetArchitecture architecture, Parts parts, int numClasses, int inputChannels, FreezeState? carried = null) : base(architecture.Name)
    {
        Architecture = architecture;
        this.parts = parts;
        NumClasses = numClasses;
        InputChannels = inputChannels;
        if (parts.Preprocess is not null) register_module("preprocess", parts.Preprocess);
        register_module("conv1", parts.Conv1);
        register_module("bn1", parts.Bn1);
        register_module("relu", parts.Relu);
        register_module("maxpool", parts.MaxPool);
        foreach (var (name, module) in parts.Layers) register_module(name, module);
        register_module("avgpool", parts.AvgPool);
        register_module("fc", parts.Fc);
        if (carried is not null) Carry(carried);
    }

    /// <summary>A freshly initialised (random) model with <paramref name="numClasses"/> outputs.</summary>
    public static ResNetModel Create(ResNetArchitecture architecture, int numClasses = 1000)
    {
        var block = BlockFactory(architecture.Block);
        var torchvision = new ResNet(architecture.Name, block, architecture.Expansion, architecture.Layers.ToList(), numClasses,
            zero_init_residual: false, groups: 1, width_per_group: 64, replace_stride_with_dilation: null, norm_layer: KitNorm,
            weights_file: null, skipfc: true, device: null);
        var children = torchvision.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
        var parts = new Parts(null, children["conv1"], children["bn1"], children["relu"], children["maxpool"],
            new[] { "layer1", "layer2", "layer3", "layer4" }.Select(n => (n, children[n])).ToList(),
            nn.AdaptiveAvgPool2d(1), children["fc"], KeepAlive: torchvision);
        return new ResNetModel(architecture, parts, numClasses, inputChannels: 3);
    }

    /// <inheritdoc cref="Create(ResNetArchitecture, int)"/>
    public static ResNetModel Create(string architecture, int numClasses = 1000) => Create(ResNetArchitecture.Find(architecture), numClasses);

    /// <summary>The full network: features, then head.</summary>
    public override Tensor forward(Tensor input) => ForwardHead(ForwardFeatures(input));

    /// <summary>Pooled, flattened features of the last body stage (what the head sees).</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        using var scope = NewDisposeScope();
        var map = ForwardUntil(LastStage, input);
        return parts.AvgPool.call(map).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>The head alone, on pooled features.</summary>
    public Tensor ForwardHead(Tensor features) => parts.Fc.call(features);

    /// <summary>The feature map after <paramref name="stage"/> (not pooled).</summary>
    public Tensor ForwardUntil(string stage, Tensor input)
    {
        Stages.Check(stage, nameof(stage));
        if (stage == Stages.Head) throw new ArgumentException("ForwardUntil runs body stages; use forward for the head.", nameof(stage));
        int last = stage == Stages.Stem ? 0 : int.Parse(stage["layer".Length..], System.Globalization.CultureInfo.InvariantCulture);
        if (last > parts.Layers.Count) throw new ArgumentException($"This model ends at {LastStage}; it has no {stage}.", nameof(stage));
        using var scope = NewDisposeScope();
        // call() rather than forward(): it runs the modules' hooks (used by ModelSummary and users).
        var x = parts.Preprocess is null ? input : parts.Preprocess.call(input);
        x = parts.MaxPool.call(parts.Relu.call(parts.Bn1.call(parts.Conv1.call(x))));
        for (int i = 0; i < last; i++) x = parts.Layers[i].Module.call(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The modules of a stage, by name (<c>stem</c>: conv1, bn1, relu, maxpool; <c>head</c>: fc).</summary>
    public IReadOnlyList<nn.Module> ModulesOf(string stage)
    {
        Stages.Check(stage, nameof(stage));
        if (stage == Stages.Stem) return parts.Preprocess is null ? [parts.Conv1, parts.Bn1, parts.Relu, parts.MaxPool] : [parts.Preprocess, parts.Conv1, parts.Bn1, parts.Relu, parts.MaxPool];
        if (stage == Stages.Head) return [parts.Fc];
        var layer = parts.Layers.FirstOrDefault(l => l.Name == stage);
        return layer.Module is null ? [] : [layer.Module];
    }

    /// <summary>The stage a state-dict name belongs to (<c>layer3.1.conv2.weight</c> → <c>layer3</c>).</summary>
    public static string StageOf(string parameterName)
    {
        var first = parameterName.Split('.')[0];
        return first switch
        {
            "fc" => Stages.Head,
            "conv1" or "bn1" or "preprocess" => Stages.Stem,
            _ when first.StartsWith("layer", StringComparison.Ordinal) => first,
            _ => throw new ArgumentException($"'{parameterName}' belongs to no stage.", nameof(parameterName)),
        };
    }

    /// <summary>
    /// A new model with a fresh classifier for <paramref name="numClasses"/> classes: a linear layer, optionally
    /// after dropout, optionally with a hidden layer (Linear → ReLU → Dropout → Linear). The body's frozen stages and
    /// BatchNorm policy carry over; the new head is trainable.
    /// </summary>
    public ResNetModel WithClassifier(int numClasses, double dropout = 0, int? hidden = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        if (dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout is a probability in [0, 1).");
        nn.Module<Tensor, Tensor> head = (hidden, dropout) switch
        {
            (null, 0) => nn.Linear(FeatureSize, numClasses),
            (null, _) => nn.Sequential(nn.Dropout(dropout), nn.Linear(FeatureSize, numClasses)),
            ({ } h, _) => nn.Sequential(nn.Linear(FeatureSize, h), nn.ReLU(), nn.Dropout(dropout), nn.Linear(h, numClasses)),
        };
        return new ResNetModel(Architecture, parts with { Fc = head }, numClasses, InputChannels, freeze.Without(Stages.Head));
    }

    /// <summary>
    /// "The first n layers" (Yosinski et al.): keeps the body up to <paramref name="stage"/>, then global average
    /// pooling and a new linear head for <paramref name="numClasses"/> classes. The kept stages stay frozen if they were.
    /// </summary>
    public ResNetModel TruncatedAfter(string stage, int numClasses)
    {
        Stages.Check(stage, nameof(stage));
        if (stage == Stages.Head) throw new ArgumentException("Truncate after a body stage (stem, layer1..layer4).", nameof(stage));
        int keep = stage == Stages.Stem ? 0 : int.Parse(stage["layer".Length..], System.Globalization.CultureInfo.InvariantCulture);
        if (keep > parts.Layers.Count) throw new ArgumentException($"This model ends at {LastStage}; it cannot keep {stage}.", nameof(stage));
        var kept = parts with { Layers = parts.Layers.Take(keep).ToList(), Fc = nn.Linear(1, 1) };
        var truncated = new ResNetModel(Architecture, kept, numClasses, InputChannels, freeze.Only(Stages.Body.Take(keep + 1)));
        return truncated.WithClassifier(numClasses);
    }

    /// <summary>
    /// A new model for 1-channel input: conv1's weights summed over RGB (timm's approach), which gives the
    /// same response to a gray image as the original gives to that image repeated on three channels.
    /// Frozen stages and the BatchNorm policy carry over (the new conv1 is frozen when the stem is).
    /// </summary>
    public ResNetModel WithGrayscaleInput()
    {
        if (InputChannels == 1) return this;
        if (parts.Preprocess is not null)
            throw new InvalidOperationException("These weights carry their own input preprocessing (a mean image in BGR); feed them RGB (repeat the gray channel) instead.");
        var old = (Conv2d)parts.Conv1;
        var conv = nn.Conv2d(1, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
        using (no_grad())
        using (NewDisposeScope())
        {
            conv.weight!.copy_(old.weight!.sum(1, keepdim: true));
        }
        return new ResNetModel(Architecture, parts with { Conv1 = conv }, NumClasses, inputChannels: 1, freeze);
    }

    /// <summary>A new model that applies <paramref name="preprocess"/> to its input first (registered as <c>preprocess</c>); freezing carries over.</summary>
    public ResNetModel WithPreprocess(nn.Module<Tensor, Tensor> preprocess) =>
        new(Architecture, parts with { Preprocess = preprocess }, NumClasses, InputChannels, freeze);

    /// <summary>
    /// The kit's own residual blocks (<see cref="BasicBlock"/>, <see cref="Bottleneck"/>: torchvision's structure and names)
    /// for TorchVision's public ResNet constructor, which builds the layers from a factory.
    /// </summary>
    static ResNet.BlockFunc BlockFactory(ResidualBlock block) => block == ResidualBlock.Basic
        ? (inPlanes, planes, stride, downsample, groups, baseWidth, dilation, norm) => new BasicBlock(inPlanes, planes, stride, SubsampledProjection.Replacing(downsample), norm ?? KitNorm)
        : (inPlanes, planes, stride, downsample, groups, baseWidth, dilation, norm) => new Bottleneck(inPlanes, planes, stride, SubsampledProjection.Replacing(downsample), norm ?? KitNorm);

    static nn.Module<Tensor, Tensor> KitNorm(int channels) => new KitBatchNorm2d(channels);
}
