using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookKit.Models;

/// <summary>One row of a <see cref="ModelSummary"/>: a stem module, a residual block, the pooling or the head.</summary>
/// <param name="Name">Module name (<c>layer2.0</c>).</param>
/// <param name="Stage">Its stage (<c>layer2</c>).</param>
/// <param name="Type">Module type (<c>Bottleneck</c>).</param>
/// <param name="OutputShape">Output shape for the summary's input (batch of 1).</param>
/// <param name="Parameters">Parameters it holds.</param>
/// <param name="Trainable">Of which trainable (requires_grad).</param>
public sealed record SummaryRow(string Name, string Stage, string Type, long[] OutputShape, long Parameters, long Trainable)
{
    /// <summary>Whether it has parameters and none of them train.</summary>
    public bool Frozen => Parameters > 0 && Trainable == 0;
}

/// <summary>
/// What a model is made of: per module its output shape for a given input, its parameters (trainable or frozen),
/// per stage totals, and a FLOPs estimate (multiply-adds of convolutions and linear layers).
/// </summary>
public sealed record ModelSummary(string Architecture, int InputSize, int InputChannels, IReadOnlyList<SummaryRow> Rows, IReadOnlyList<StageSummary> Stages,
    long Parameters, long Trainable, long MultiplyAdds)
{
    /// <summary>Multiply-adds in billions (what papers call GFLOPs for CNNs).</summary>
    public double GigaMultiplyAdds => MultiplyAdds / 1e9;

    /// <summary>Runs one forward pass on a zero image of <paramref name="inputSize"/> and records shapes, parameters and work.</summary>
    public static ModelSummary Of(ResNetModel model, int inputSize = 224)
    {
        Ranges.ImageSize.Check(inputSize, nameof(inputSize));
        var rows = new List<SummaryRow>();
        var shapes = new Dictionary<string, long[]>();
        long macs = 0;
        var removers = new List<Action>();
        var named = model.named_modules().Where(m => m.name.Length > 0).ToList();
        var rowModules = named.Where(m => IsRow(m.name)).ToList();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            foreach (var (name, module) in rowModules)
                if (module is nn.Module<Tensor, Tensor> typed)
                    { var hook = typed.register_forward_hook((_, _, output) => { shapes[name] = output.shape; return output; }); removers.Add(hook.remove); }
            foreach (var (_, module) in named)
            {
                if (module is Conv2d conv)
                {
                    var hook = conv.register_forward_hook((_, _, output) =>
                    {
                        var w = conv.weight!.shape; // out, in/groups, kh, kw
                        macs += output.shape[1] * output.shape[2] * output.shape[3] * w[1] * w[2] * w[3];
                        return output;
                    });
                    removers.Add(hook.remove);
                }
                else if (module is Linear linear)
                {
                    var hook = linear.register_forward_hook((_, _, output) => { macs += linear.weight!.shape[0] * linear.weight.shape[1]; return output; });
                    removers.Add(hook.remove);
                }
            }
            using (no_grad())
            using (var scope = NewDisposeScope())
                model.forward(zeros(1, model.InputChannels, inputSize, inputSize));
        }
        finally
        {
            foreach (var remove in removers) remove();
            model.train(wasTraining);
        }

        foreach (var (name, module) in rowModules)
        {
            var parameters = module.parameters().ToList();
            rows.Add(new SummaryRow(name, ResNetModel.StageOf(name == "relu" || name == "maxpool" ? "conv1" : name == "avgpool" ? "fc" : name),
                module.GetType().Name, shapes.GetValueOrDefault(name, []),
                parameters.Sum(p => p.numel()), parameters.Where(p => p.requires_grad).Sum(p => p.numel())));
        }
        var all = model.named_parameters().ToList();
        var stages = model.StageNames.Select(stage =>
        {
            var ps = all.Where(p => ResNetModel.StageOf(p.name) == stage).Select(p => p.parameter).ToList();
            return new StageSummary(stage, ps.Sum(p => p.numel()), ps.Where(p => p.requires_grad).Sum(p => p.numel()));
        }).ToList();
        return new ModelSummary(model.Architecture.Name, inputSize, model.InputChannels, rows, stages,
            all.Sum(p => p.parameter.numel()), all.Where(p => p.parameter.requires_grad).Sum(p => p.parameter.numel()), macs);
    }

    // Rows: the stem's modules, each residual block (layerN.i), the pooling and the head.
    static bool IsRow(string name) => name is "preprocess" or "conv1" or "bn1" or "relu" or "maxpool" or "avgpool" or "fc"
        || (name.StartsWith("layer", StringComparison.Ordinal) && name.Count(c => c == '.') == 1);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Architecture} at {InputSize}x{InputSize}: {Parameters:N0} parameters ({Trainable:N0} trainable), {GigaMultiplyAdds:F2} G multiply-adds";
}
