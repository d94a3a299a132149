using NotebookKit.Downloads;
using static TorchSharp.torch;

namespace NotebookKit.Models.Weights;

/// <summary>The one call that gives a ResNet with pretrained weights: <c>Pretrained.Load("resnet50", "tv-imagenet1k-v2", numClasses: 10)</c>.</summary>
public static class Pretrained
{
    /// <summary>
    /// Builds <paramref name="architecture"/> and loads <paramref name="weights"/> (a registry name or a .pth/.safetensors/.dat file).
    /// With <paramref name="numClasses"/> different from the weights' head (or weights without a head), the head is new
    /// (random) and reported as skipped. <c>random</c> or <c>none</c> gives a randomly initialised model (training from scratch).
    /// A registry file is checked against its SHA-256 the first time it is used (see <see cref="WeightsStore.EnsureAsync"/>).
    /// </summary>
    /// <param name="architecture">resnet18, resnet34, resnet50, resnet101 or resnet152.</param>
    /// <param name="weights">A registry name (<c>tv-imagenet1k-v2</c>, <c>mlnet-imagenet</c>), a file, or <c>random</c>.</param>
    /// <param name="numClasses">Outputs of the head; default: the weights' own.</param>
    /// <param name="store">The weights cache; default: <see cref="KitPaths.Weights"/>.</param>
    /// <param name="progress">Download progress.</param>
    /// <param name="allowPartial">
    /// Load only the keys that fit when the weights do not fit the architecture (surgery experiments); the result's
    /// <see cref="PretrainedModel.Report"/> says what was not loaded. Default false: such weights are refused.
    /// </param>
    /// <exception cref="IncompleteWeightsException">Keys missing, mis-shaped or unexpected (the message says which and why), and not <paramref name="allowPartial"/>.</exception>
    /// <exception cref="WeightsFormatException">An unreadable file, or a cached registry file that fails its checksum.</exception>
    public static PretrainedModel Load(string architecture, string weights, int? numClasses = null, WeightsStore? store = null,
        IProgress<DownloadProgress>? progress = null, bool allowPartial = false)
    {
        if (weights is "random" or "none" or "scratch")
        {
            var random = ResNetModel.Create(architecture, numClasses ?? 1000);
            return new PretrainedModel(random, Preprocessing.ImageNetDefault, null, "random", new LoadReport([], [], [], [], false), null);
        }
        WeightsEntry? entry = File.Exists(weights) ? null : WeightsRegistry.Find(architecture, weights);
        var path = entry is null ? weights : (store ?? new WeightsStore()).EnsureAsync(entry, progress).GetAwaiter().GetResult();
        if (entry is null) HashRecord.CheckIfRecorded(path);
        var arch = entry?.Architecture ?? architecture;

        if (path.EndsWith(".dat", StringComparison.OrdinalIgnoreCase))
        {
            var datModel = ResNetModel.Create(arch, numClasses ?? 1000);
            var datReport = LoadOrDispose(datModel, () => StateDicts.LoadInto(datModel, path, allowPartial: allowPartial));
            return new PretrainedModel(datModel, entry?.Preprocessing ?? Preprocessing.ImageNetDefault, entry, weights, datReport, null);
        }
        var state = StateDicts.Read(path);
        try
        {
            int? fileClasses = StateDicts.ClassCount(state);
            var model = ResNetModel.Create(arch, fileClasses ?? 1000);
            if (state.TryGetValue("preprocess.mean_image", out var mean))
            {
                using var placeholder = zeros_like(mean); // held in a variable: a bare temporary could be finalized mid-call
                model = model.WithPreprocess(new MeanImageSubtraction(placeholder));
            }
            // The model has the file's class count, so a head is skipped only when the file has none.
            var report = LoadOrDispose(model, () => StateDicts.LoadInto(model, state, skipHeadIfClassesDiffer: true, allowPartial, path));
            bool ownHead = entry?.Categories is not null && fileClasses is not null && (numClasses is null || numClasses == fileClasses);
            if (numClasses is { } n && (n != fileClasses || fileClasses is null)) // a head of the right size (your own fine-tuned file) is kept
            {
                model = model.WithClassifier(n);
                report = report with { SkippedHead = true, Missing = [.. report.Missing.Where(m => ResNetModel.StageOf(m) != Stages.Head), "fc.weight", "fc.bias"] };
            }
            // A bare file says nothing of its preprocessing: ML.NET's for a mean image (BGR 0..255 into the model), else ImageNet's.
            var preprocessing = entry?.Preprocessing ?? (mean is not null ? WeightsRegistry.MlNetImageNet.Preprocessing : Preprocessing.ImageNetDefault);
            return new PretrainedModel(model, preprocessing, entry, weights, report, ownHead ? entry!.Categories : null);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The preprocessing <see cref="Load"/> gives <paramref name="weights"/>, without building a model: a registry entry's
    /// own; for a bare file ML.NET's when it holds a mean image (<c>preprocess.mean_image</c>: BGR 0..255 into the model),
    /// else ImageNet's; ImageNet's for random weights.
    /// </summary>
    public static Preprocessing PreprocessingFor(string architecture, string weights)
    {
        if (weights is "random" or "none" or "scratch") return Preprocessing.ImageNetDefault;
        if (!File.Exists(weights)) return WeightsRegistry.Find(architecture, weights).Preprocessing;
        return HasMeanImage(weights) ? WeightsRegistry.MlNetImageNet.Preprocessing : Preprocessing.ImageNetDefault;
    }

    static bool HasMeanImage(string file)
    {
        const string key = "preprocess.mean_image";
        var extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension == ".dat") return false; // loaded into a plain model (see Load)
        if (extension == ".safetensors") return SafetensorsHeader.Check(file).Any(e => e.Name == key);
        var state = StateDicts.Read(file);
        try { return state.ContainsKey(key); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    static LoadReport LoadOrDispose(ResNetModel model, Func<LoadReport> load)
    {
        try { return load(); }
        catch { model.Dispose(); throw; }
    }
}
