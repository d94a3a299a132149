using System.Text.Json.Nodes;
using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Experiments;

/// <summary>
/// Yosinski et al. 2014, "How transferable are features in deep neural networks?", on any dataset: split the classes
/// into halves A and B (<see cref="TransferSplit"/>), train base networks on each, then for each depth n copy the first n
/// stages of base A (or B) into a new network for B, frozen (AnB, BnB) or fine-tuned (AnB+, BnB+), train the rest on B
/// for the same schedule as base B, and measure on B's validation images.
/// </summary>
public static class TransferabilityExperiment
{
    /// <summary>The treatments at each depth, in the paper's order.</summary>
    public static IReadOnlyList<string> Treatments { get; } = ["AnB", "AnB+", "BnB", "BnB+"];

    /// <summary>
    /// Runs it. <paramref name="depths"/> default to 1..5 (stem, layer1..layer4); <paramref name="split"/> to a random split
    /// per seed. Training is reported to <paramref name="observer"/> (default: the live display of notebooks and apps).
    /// With a <paramref name="log"/>, every finished network is journaled at once (base networks' weights are kept in
    /// <c>DIR/bases/</c>) and a resumed run reads back what was done.
    /// </summary>
    public static TransferabilityResult Run(TrainSettings settings, int seeds, IReadOnlyList<int>? depths = null, TransferSplit? split = null,
        Action<string>? progress = null, ITrainingObserver? observer = null, RunLog? log = null, CancellationToken cancellation = default)
    {
        split ??= new TransferSplit();
        depths = CheckDepths(depths ?? [1, 2, 3, 4, 5]);
        var data = PreparedData.From(settings);
        int classes = data.Train.Classes.Count;
        if (classes < 4) throw new KitException($"The experiment splits the classes into two halves; {data.Source.Name} has {classes}, at least 4 are needed.");
        var architecture = settings.ResolvedArchitecture;
        var accuracies = new Dictionary<(string, int), List<double>>();
        var validationImages = new Dictionary<string, int>();
        var splits = new List<TransferRunSplit>();
        var curves = new List<BaseCurve>();
        int stepsOnB = 0;
        var seedList = Comparer.SeedList(settings, seeds);
        using var live = LiveTraining.Open(observer, $"transferability: {data.Source.Name}, {architecture}");
        foreach (var seed in seedList)
        {
            var (classesA, classesB) = split.For(classes, seed);
            var a = Half(data, classesA, "A");
            var b = Half(data, classesB, "B");
            splits.Add(new TransferRunSplit(seed, a.Train.Classes, b.Train.Classes));
            stepsOnB = settings.Epochs * ((b.Train.Count + settings.BatchSize - 1) / settings.BatchSize);
            var network = new Network(architecture, settings, seed, live.Observer, log, progress, cancellation);
            using var baseA = network.Base("A", a, curves, accuracies, validationImages);
            using var baseB = network.Base("B", b, curves, accuracies, validationImages);
            foreach (var n in depths)
                foreach (var treatment in Treatments)
                {
                    var accuracy = network.Transfer(treatment, n, treatment.StartsWith('A') ? baseA : baseB, b);
                    Add(accuracies, treatment, n, accuracy);
                    validationImages[treatment] = b.Validation.Count;
                }
        }
        live.Complete();
        var points = accuracies.Select(kv => new TransferPoint(kv.Key.Item1, kv.Key.Item2, kv.Value, validationImages[kv.Key.Item1]))
            .OrderBy(p => p.Treatment, StringComparer.Ordinal).ThenBy(p => p.Depth).ToList();
        return new TransferabilityResult(data.Source.Name, architecture, split, splits, seedList, settings, points, curves, stepsOnB);
    }

    /// <summary>
    /// Runs a preset (its settings, seeds and depths) with a random split per seed on <paramref name="data"/> (default: the
    /// preset's, the embedded data); the result carries the preset's <see cref="TransferabilityPreset.Caveat"/>.
    /// </summary>
    public static TransferabilityResult Run(TransferabilityPreset preset, string? data = null, ITrainingObserver? observer = null,
        CancellationToken cancellation = default) =>
        Run(preset.Settings with { Data = data ?? preset.Settings.Data }, preset.Seeds, preset.Depths, new TransferSplit(), observer: observer,
            cancellation: cancellation) with { Caveat = preset.Caveat };

    /// <summary>What a transferability journal must agree on to be resumed.</summary>
    public static object Protocol(TrainSettings settings, int seeds, IReadOnlyList<int>? depths, TransferSplit? split) => new
    {
        command = "transferability",
        settings,
        seeds = Comparer.SeedList(settings, seeds),
        depths = CheckDepths(depths ?? [1, 2, 3, 4, 5]),
        split = (split ?? new TransferSplit()).ToString(),
    };

    static IReadOnlyList<int> CheckDepths(IReadOnlyList<int> depths)
    {
        if (depths.Count == 0 || depths.Any(d => d is < 1 or > 5))
            throw new KitException($"--depths {string.Join(",", depths)}: depths are the stages copied, 1 (stem) to 5 (stem through layer4).");
        return depths.Distinct().Order().ToList();
    }

    static void Add(Dictionary<(string, int), List<double>> results, string treatment, int depth, double accuracy) =>
        (results.TryGetValue((treatment, depth), out var list) ? list : results[(treatment, depth)] = []).Add(accuracy);

    sealed record HalfData(ImageDataset Train, ImageDataset Validation);

    static HalfData Half(PreparedData data, IReadOnlyList<int> classes, string name) => new(new RelabelledDataset(data.Train, classes, name), new RelabelledDataset(data.Validation, classes, name));

    /// <summary>Trains (or reads back from the journal) the networks of one seed.</summary>
    sealed class Network(string architecture, TrainSettings settings, int seed, ITrainingObserver observer, RunLog? log, Action<string>? progress, CancellationToken cancellation)
    {
        /// <summary>Base A or B: trained from random weights on its half, with its validation curve; its weights kept for the transfers.</summary>
        public ResNetModel Base(string half, HalfData data, List<BaseCurve> curves, Dictionary<(string, int), List<double>> accuracies, Dictionary<string, int> validationImages)
        {
            var key = $"seed={seed}/base {half}";
            var weights = log is null ? null : Path.Combine(log.Folder, "bases", $"seed-{seed}-{half}.safetensors");
            manual_seed(Seeds.Mix(seed, 0, 0, SeedSalts.TransferInit, half[0])); // the base network's initial weights
            var model = ResNetModel.Create(architecture, data.Train.Classes.Count);
            if (log is not null && log.TryGet(key, out var done) && File.Exists(weights))
            {
                StateDicts.LoadInto(model, weights!, skipHeadIfClassesDiffer: false);
                var record = KitJson.Deserialize<NetworkRecord>(done.ToJsonString())!;
                curves.Add(new BaseCurve(seed, half, record.History));
                Add(accuracies, $"base {half}", 0, record.Accuracy);
                validationImages[$"base {half}"] = record.ValidationImages;
                return model;
            }
            progress?.Invoke($"seed {seed}: base {half}");
            var result = Fit(model, data, withValidation: true, observer.ForCurve($"base {half} seed {seed}", settings.Epochs));
            cancellation.ThrowIfCancellationRequested();
            double accuracy = Evaluate(model, data);
            curves.Add(new BaseCurve(seed, half, result.History));
            Add(accuracies, $"base {half}", 0, accuracy);
            validationImages[$"base {half}"] = data.Validation.Count;
            if (log is not null)
            {
                StateDicts.Write(model, weights!);
                log.Append(key, new NetworkRecord($"base {half}", 0, seed, accuracy, data.Validation.Count, result.History));
            }
            return model;
        }

        /// <summary>A network for B whose first <paramref name="depth"/> stages come from <paramref name="source"/>, frozen or fine-tuned (+).</summary>
        public double Transfer(string treatment, int depth, ResNetModel source, HalfData b)
        {
            var key = $"seed={seed}/{treatment}/n={depth}";
            if (log is not null && log.TryGet(key, out var done)) return KitJson.Deserialize<NetworkRecord>(done.ToJsonString())!.Accuracy;
            cancellation.ThrowIfCancellationRequested();
            progress?.Invoke($"seed {seed}: {treatment} n={depth} ({TransferabilityResult.StageAt(depth)})");
            bool fineTune = treatment.EndsWith('+');
            manual_seed(Seeds.Mix(seed, depth, fineTune ? 1 : 0, SeedSalts.TransferInit, treatment[0]));
            using var model = ResNetModel.Create(architecture, b.Train.Classes.Count);
            var copied = Stages.Body.Take(depth).ToHashSet();
            var state = source.state_dict().Where(kv => copied.Contains(ResNetModel.StageOf(kv.Key))).ToDictionary(kv => kv.Key, kv => kv.Value);
            StateDicts.LoadInto(model, state, skipHeadIfClassesDiffer: false, allowPartial: true); // the first n stages, on purpose
            if (!fineTune) Freezing.FreezeUpTo(model, Stages.Body[depth - 1]);
            var result = Fit(model, b, withValidation: false, observer.ForCurve($"{treatment} n={depth} seed {seed}", settings.Epochs));
            cancellation.ThrowIfCancellationRequested();
            double accuracy = Evaluate(model, b);
            log?.Append(key, new NetworkRecord(treatment, depth, seed, accuracy, b.Validation.Count, result.History));
            return accuracy;
        }

        TrainResult Fit(ResNetModel model, HalfData half, bool withValidation, ITrainingObserver curve)
        {
            model.to(Runtime.TorchRuntime.Device); // where the trainer puts it, before the loaders make batches for its device
            var options = new DataLoaderOptions { BatchSize = settings.BatchSize, Seed = seed, Workers = settings.Workers, Device = model.Device };
            var preprocessing = Preprocessing.ImageNetDefault;
            using var train = new DataLoader(half.Train, preprocessing.Train(settings.ImageSize, settings.Augment), options);
            using var validation = withValidation ? new DataLoader(half.Validation, preprocessing.Eval(settings.ImageSize), options with { Shuffle = false }) : null;
            return new Trainer(model, train, validation, new TrainOptions
            {
                Epochs = settings.Epochs, Seed = seed, Schedule = settings.Schedule, Observer = curve, ClipGradNorm = settings.ClipGradNorm,
                // The paper fine-tunes transferred layers at the same rate as the rest.
                Optimizer = settings.OptimizerOptions with { BackboneLrMultiplier = 1 },
            }).Fit(cancellation);
        }

        double Evaluate(ResNetModel model, HalfData half)
        {
            using var loader = new DataLoader(half.Validation, Preprocessing.ImageNetDefault.Eval(settings.ImageSize), new DataLoaderOptions { BatchSize = settings.BatchSize, Shuffle = false, Seed = seed, Workers = settings.Workers, Device = model.Device });
            return Trainer.Evaluate(model, loader).Accuracy;
        }
    }

    /// <summary>One trained network in the journal.</summary>
    sealed record NetworkRecord(string Treatment, int N, int Seed, double Accuracy, int ValidationImages, IReadOnlyList<EpochRecord> History);

    /// <summary>The samples of some classes, labelled 0..k-1.</summary>
    sealed class RelabelledDataset : ImageDataset
    {
        readonly ImageDataset parent;
        readonly int[] indices;
        readonly Dictionary<int, int> map;
        public RelabelledDataset(ImageDataset parent, IReadOnlyList<int> classes, string half)
        {
            this.parent = parent;
            map = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
            indices = Enumerable.Range(0, parent.Count).Where(i => map.ContainsKey(parent.LabelOf(i))).ToArray();
            Classes = classes.Select(c => parent.Classes[c]).ToList();
            Name = $"{parent.Name}[{half}]";
        }
        public override string Name { get; }
        public override string Format => parent.Format;
        public override string Root => parent.Root;
        public override IReadOnlyList<string> Classes { get; }
        public override int Count => indices.Length;
        public override int LabelOf(int index) => map[parent.LabelOf(indices[index])];
        public override string PathOf(int index) => parent.PathOf(indices[index]);
        public override SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> Load(int index, ImageLimits? limits = null) => parent.Load(indices[index], limits);
    }
}
