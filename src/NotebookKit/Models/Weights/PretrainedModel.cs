using NotebookKit.Downloads;
using static TorchSharp.torch;

namespace NotebookKit.Models.Weights;

/// <summary>A model with its weights loaded, and what goes with them.</summary>
/// <param name="Model">The model (head sized for the requested classes).</param>
/// <param name="Preprocessing">The input the weights expect (ImageNet default for a bare file).</param>
/// <param name="Entry">The registry entry, or null for a bare file.</param>
/// <param name="WeightsName">What the user asked for (entry name or file).</param>
/// <param name="Report">What loading did, key by key.</param>
/// <param name="Categories">Class names of the head when it is the weights' own (ImageNet), else null.</param>
public sealed record PretrainedModel(ResNetModel Model, Preprocessing Preprocessing, WeightsEntry? Entry, string WeightsName, LoadReport Report, IReadOnlyList<string>? Categories);
