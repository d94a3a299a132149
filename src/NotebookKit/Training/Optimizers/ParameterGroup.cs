using TorchSharp.Modules;

namespace NotebookKit.Training;

/// <summary>Parameters that share a learning rate and a weight decay (one stage of the model, with or without decay).</summary>
/// <param name="Stage">The stage they belong to (<c>stem</c>, <c>layer1</c>.., <c>head</c>).</param>
/// <param name="Parameters">The parameters, by state-dict name.</param>
/// <param name="WeightDecay">Their weight decay.</param>
public sealed record ParameterGroup(string Stage, IReadOnlyList<(string Name, Parameter Parameter)> Parameters, double WeightDecay)
{
    /// <summary>The learning rate of the next step (the trainer's schedule sets it before every step).</summary>
    public double LearningRate { get; set; }
}
