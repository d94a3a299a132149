using NotebookKit.Downloads;
using static TorchSharp.torch;

namespace NotebookKit.Models.Weights;

/// <summary>The one call that gives a ResNet with pretrained weights: <c>Pretrained.Load("resnet50", "tv-imagenet1k-v2", numClasses: 10)</c>.</summary>
public static class Pretrained
{
    /// <summary>
    /// Builds <paramref name="architecture"/> and loads <paramref name="weights"/> (a registry name or a .pth/.safetensors/.dat file).
    /// With <paramref name="numClasses"/> different from the weights' head, the head is new (random) and reported as skipped.
    /// <c>random</c> or <c>none</c> gives a randomly initialised model (training from scratch).
    /// </summary>
    public static PretrainedModel Load(string architecture, string weights, int? numClasses = null, WeightsStore? store = null, IProgress<DownloadProgress>? progress = null)
    {
        if (weights is "random" or "none" or "scratch")
        {
            var random = ResNetModel.Create(architecture, numClasses ?? 1000);
            return new PretrainedModel(random, Preprocessing.ImageNetDefault, null, "random", new LoadReport([], [], [], [], false), null);
        }
        WeightsEntry? entry = File.Exists(weights) ? null : WeightsRegistry.Find(architecture, weights);
        var path = entry is null ? weights : (store ?? new WeightsStore()).EnsureAsync(entry, progress).GetAwaiter().GetResult();
        var arch = entry?.Architecture ?? architecture;

        if (path.EndsWith(".dat", StringComparison.OrdinalIgnoreCase))
        {
            var datModel = ResNetModel.Create(arch, numClasses ?? 1000);
            var datReport = StateDicts.LoadInto(datModel, path);
            return new PretrainedModel(datModel, entry?.Preprocessing ?? Preprocessing.ImageNetDefault, entry, weights, datReport, null);
        }
        var state = StateDicts.Read(path);
        try
        {
            int fileClasses = StateDicts.ClassCount(state) ?? 1000;
            var model = ResNetModel.Create(arch, fileClasses);
            if (state.TryGetValue("preprocess.mean_image", out var mean))
            {
                using var placeholder = zeros_like(mean); // held in a variable: a bare temporary could be finalized mid-call
                model = model.WithPreprocess(new MeanImageSubtraction(placeholder));
            }
            var report = StateDicts.LoadInto(model, state, skipHeadIfClassesDiffer: false);
            bool ownHead = entry?.Categories is not null && StateDicts.ClassCount(state) is not null && (numClasses is null || numClasses == fileClasses);
            if (numClasses is { } n && (n != fileClasses || entry?.Categories is null || StateDicts.ClassCount(state) is null))
            {
                model = model.WithClassifier(n);
                report = report with { SkippedHead = true, Missing = [.. report.Missing.Where(m => ResNetModel.StageOf(m) != Stages.Head), "fc.weight", "fc.bias"] };
            }
            return new PretrainedModel(model, entry?.Preprocessing ?? Preprocessing.ImageNetDefault, entry, weights, report, ownHead ? entry!.Categories : null);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
