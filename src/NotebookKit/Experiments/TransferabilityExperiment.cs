using System.Globalization;
using NotebookKit.Data;
using NotebookKit.Models;
using NotebookKit.Models.Weights;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Experiments;

/// <summary>
/// Yosinski et al. 2014, "How transferable are features in deep neural networks?", on any dataset: split the classes
/// into halves A and B, train base networks on each, then for each depth n copy the first n stages of base A (or B)
/// into a new network for B, frozen (AnB, BnB) or fine-tuned (AnB+, BnB+), train the rest on B and measure.
/// </summary>
public static class TransferabilityExperiment
{
    /// <summary>
    /// Runs it. <paramref name="depths"/> default to 1..5 (stem, layer1..layer4). Training is reported to
    /// <paramref name="observer"/> (default: the live display of notebooks and apps), one curve per network.
    /// </summary>
    public static TransferabilityResult Run(TrainSettings settings, int seeds, IReadOnlyList<int>? depths = null, Action<string>? progress = null,
        ITrainingObserver? observer = null)
    {
        var data = PreparedData.From(settings);
        int classes = data.Train.Classes.Count;
        if (classes < 4) throw new ArgumentException($"The experiment splits the classes into two halves; {data.Source.Name} has {classes}, at least 4 are needed.");
        var halfA = Enumerable.Range(0, classes / 2).ToList();
        var halfB = Enumerable.Range(classes / 2, classes - classes / 2).ToList();
        depths ??= [1, 2, 3, 4, 5];
        var architecture = settings.ResolvedArchitecture;
        var results = new Dictionary<(string, int), List<double>>();
        void Add(string treatment, int depth, double accuracy) =>
            (results.TryGetValue((treatment, depth), out var list) ? list : results[(treatment, depth)] = []).Add(accuracy);

        var seedList = Enumerable.Range(settings.Seed, Math.Max(1, seeds)).ToList();
        using var live = LiveTraining.Open(observer, $"transferability: {data.Source.Name}, {architecture}");
        foreach (var seed in seedList)
        {
            var a = Half(data, halfA, "A");
            var b = Half(data, halfB, "B");
            progress?.Invoke($"seed {seed}: base networks");
            using var baseA = TrainFresh(architecture, a, settings, seed, null, live.Observer.ForCurve($"base A seed {seed}"));
            using var baseB = TrainFresh(architecture, b, settings, seed, null, live.Observer.ForCurve($"base B seed {seed}"));
            Add("base B", 0, Evaluate(baseB, b, settings, seed));
            Add("base A", 0, Evaluate(baseA, a, settings, seed));
            foreach (var n in depths)
            {
                foreach (var (source, name) in new[] { (baseA, "AnB"), (baseB, "BnB") })
                {
                    foreach (bool fineTune in new[] { false, true })
                    {
                        var treatment = fineTune ? name + "+" : name;
                        progress?.Invoke($"seed {seed}: {treatment} n={n} ({TransferabilityResult.StageAt(n)})");
                        using var model = TrainFresh(architecture, b, settings, seed, (source, n, fineTune), live.Observer.ForCurve($"{treatment} n={n} seed {seed}"));
                        Add(treatment, n, Evaluate(model, b, settings, seed));
                    }
                }
            }
        }
        live.Complete();
        var points = results.Select(kv => new TransferPoint(kv.Key.Item1, kv.Key.Item2, kv.Value))
            .OrderBy(p => p.Treatment, StringComparer.Ordinal).ThenBy(p => p.Depth).ToList();
        return new TransferabilityResult(data.Source.Name, architecture, halfA.Select(i => data.Train.Classes[i]).ToList(),
            halfB.Select(i => data.Train.Classes[i]).ToList(), seedList, settings, points);
    }

    sealed record HalfData(ImageDataset Train, ImageDataset Validation);

    static HalfData Half(PreparedData data, List<int> classes, string name) => new(Relabel(data.Train, classes, name), Relabel(data.Validation, classes, name));

    static ImageDataset Relabel(ImageDataset dataset, List<int> classes, string name) => new RelabelledDataset(dataset, classes, name);

    /// <summary>A new network for the half; with a transfer, its first n stages come from <c>source</c>, frozen or not.</summary>
    static ResNetModel TrainFresh(string architecture, HalfData half, TrainSettings settings, int seed, (ResNetModel Source, int Depth, bool FineTune)? transfer, ITrainingObserver observer)
    {
        manual_seed(Seeds.Mix(seed, transfer?.Depth ?? 0, transfer?.FineTune == true ? 1 : 0));
        var model = ResNetModel.Create(architecture, half.Train.Classes.Count);
        if (transfer is { } t)
        {
            var copied = Stages.Body.Take(t.Depth).ToHashSet();
            var state = t.Source.state_dict().Where(kv => copied.Contains(ResNetModel.StageOf(kv.Key))).ToDictionary(kv => kv.Key, kv => kv.Value);
            StateDicts.LoadInto(model, state, skipHeadIfClassesDiffer: false, allowPartial: true); // the first n stages, on purpose
            if (!t.FineTune) Freezing.FreezeUpTo(model, Stages.Body[t.Depth - 1]);
        }
        var options = new DataLoaderOptions { BatchSize = settings.BatchSize, Seed = seed, Workers = settings.Workers };
        var preprocessing = Preprocessing.ImageNetDefault;
        var train = new DataLoader(half.Train, preprocessing.Train(settings.ImageSize, settings.Augment), options);
        new Trainer(model, train, null, new TrainOptions
        {
            Epochs = settings.Epochs, Seed = seed, Schedule = settings.Schedule, Observer = observer,
            // The paper fine-tunes transferred layers at the same rate as the rest.
            Optimizer = settings.OptimizerOptions with { BackboneLrMultiplier = 1 },
        }).Fit();
        return model;
    }

    static double Evaluate(ResNetModel model, HalfData half, TrainSettings settings, int seed)
    {
        var loader = new DataLoader(half.Validation, Preprocessing.ImageNetDefault.Eval(settings.ImageSize), new DataLoaderOptions { BatchSize = settings.BatchSize, Shuffle = false, Seed = seed });
        return Trainer.Evaluate(model, loader).Accuracy;
    }

    /// <summary>The samples of some classes, labelled 0..k-1.</summary>
    sealed class RelabelledDataset : ImageDataset
    {
        readonly ImageDataset parent;
        readonly int[] indices;
        readonly Dictionary<int, int> map;
        public RelabelledDataset(ImageDataset parent, List<int> classes, string half)
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
