using System.Text.Json;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using NotebookKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

/// <summary>
/// The kit's BatchNorm, residual blocks and optimizers hold every Scalar through its native call (TorchSharp 0.107's
/// implicit Scalars can be finalised mid-call). They must compute exactly what PyTorch and TorchSharp compute.
/// </summary>
public class ScalarSafeModulesTests
{
    public ScalarSafeModulesTests() => TorchRuntime.Require();

    static Tensor Formula(long[] shape, double a, double b)
    {
        long n = shape.Aggregate(1L, (x, y) => x * y);
        return tensor(Enumerable.Range(0, (int)n).Select(i => (float)Math.Sin(i * a + b)).ToArray(), shape);
    }

    [Fact]
    public void Kit_batchnorm_matches_pytorch_in_training_and_eval()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", "batchnorm.json"))); // make-batchnorm.py
        var root = expected.RootElement;
        using var scope = NewDisposeScope();
        var x = Formula([4, 3, 5, 5], 0.37, 0.1) * 2 + 0.5;
        using var bn = new KitBatchNorm2d(3);
        using (no_grad())
        {
            bn.weight!.copy_(tensor(new float[] { 1.0f, 1.1f, 0.9f }));
            bn.bias!.copy_(tensor(new float[] { 0f, 0.05f, -0.05f }));
        }
        bn.train();
        var train = bn.call(x);
        bn.call(x * 0.5);
        bn.eval();
        var eval = bn.call(x);

        Assert.Equal(Doubles(root, "train_output_first"), train.flatten()[..8].data<float>().Select(v => (double)v), Close(1e-5));
        Assert.Equal(root.GetProperty("train_output_sq").GetDouble(), (train.to(float64) * train.to(float64)).sum().item<double>(), 3);
        Assert.Equal(Doubles(root, "running_mean"), bn.running_mean!.data<float>().Select(v => (double)v), Close(1e-6));
        Assert.Equal(Doubles(root, "running_var"), bn.running_var!.data<float>().Select(v => (double)v), Close(1e-6));
        Assert.Equal(root.GetProperty("num_batches_tracked").GetInt64(), bn.num_batches_tracked!.item<long>());
        Assert.Equal(Doubles(root, "eval_output_first"), eval.flatten()[..8].data<float>().Select(v => (double)v), Close(1e-5));
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.state_dict().Keys);
    }

    [Fact]
    public void Kit_batchnorm_matches_torchsharps_own()
    {
        using var scope = NewDisposeScope();
        var x = Formula([2, 8, 6, 6], 0.11, 0.3);
        using var kit = new KitBatchNorm2d(8);
        using var theirs = nn.BatchNorm2d(8);
        kit.train(); theirs.train();
        for (int i = 0; i < 3; i++)
            Assert.True(kit.call(x * (i + 1)).allclose(theirs.call(x * (i + 1)), rtol: 1e-6, atol: 1e-6));
        foreach (var (name, value) in theirs.state_dict())
            Assert.True(value.to(float64).allclose(kit.state_dict()[name].to(float64), rtol: 1e-6, atol: 1e-7), name);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void The_kits_blocks_give_torchvisions_outputs_with_the_same_weights(string arch)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var kit = ResNetModel.Create(arch, 10);
        using var torchvision = arch == "resnet18" ? TorchSharp.torchvision.models.resnet18(num_classes: 10) : TorchSharp.torchvision.models.resnet50(num_classes: 10);
        torchvision.load_state_dict(kit.state_dict().Where(kv => !kv.Key.StartsWith("preprocess")).ToDictionary(kv => kv.Key, kv => kv.Value));
        kit.eval(); torchvision.eval();
        var x = Formula([2, 3, 64, 64], 0.013, 0.2);

        using (no_grad())
            Assert.True(kit.call(x).allclose(torchvision.call(x), rtol: 1e-4, atol: 1e-5));
        Assert.Equal(torchvision.state_dict().Keys.Order(), kit.state_dict().Keys.Order());
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Adam)]
    public void Kit_optimizers_take_torchsharps_steps(OptimizerKind kind)
    {
        // Every parameter decays alike here (TorchSharp's optimizers have one group; the kit's default exempts norms and biases).
        var options = new OptimizerOptions { Kind = kind, LearningRate = 0.05, WeightDecay = 0.01, NoDecayOnNormAndBias = false };
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var a = ResNetModel.Create("resnet18", 4);
        using var b = ResNetModel.Create("resnet18", 4);
        b.load_state_dict(a.state_dict());
        using var kit = options.Build(a, out _);
        var parameters = b.parameters().ToList();
        using optim.Optimizer theirs = kind == OptimizerKind.Sgd
            ? optim.SGD(parameters, 0.05, options.Momentum, 0, 0.01)
            : optim.AdamW(parameters, 0.05, 0.9, 0.999, 1e-8, kind == OptimizerKind.Adam ? 0 : 0.01);
        a.train(); b.train();
        for (int step = 0; step < 4; step++)
        {
            var x = Formula([2, 3, 32, 32], 0.07 * (step + 1), step);
            var y = tensor(new long[] { step % 4, (step + 1) % 4 });
            kit.ZeroGrad(); nn.functional.cross_entropy(a.call(x), y).backward(); kit.Step();
            theirs.zero_grad(); nn.functional.cross_entropy(b.call(x), y).backward(); theirs.step();
        }
        foreach (var (name, value) in b.state_dict())
            Assert.True(value.to(float64).allclose(a.state_dict()[name].to(float64), rtol: 1e-4, atol: 1e-6), name);
    }

    [Fact]
    public void Optimizer_state_round_trips_and_a_foreign_state_is_refused_by_name()
    {
        using var temp = new TempDir();
        using var scope = NewDisposeScope();
        using var model = ResNetModel.Create("resnet18", 4);
        using var sgd = new OptimizerOptions().Build(model, out _);
        model.train();
        nn.functional.cross_entropy(model.call(randn(2, 3, 32, 32)), tensor(new long[] { 0, 1 })).backward();
        sgd.Step();
        var file = Path.Combine(temp.Path, "optimizer.safetensors");
        sgd.Save(file);
        using var again = new OptimizerOptions().Build(model, out _);
        again.Load(file);

        Freezing.FreezeUpTo(model, "layer4");
        using var headOnly = new OptimizerOptions().Build(model, out _);
        var error = Assert.Throws<KitException>(() => headOnly.Load(file));
        Assert.Contains("which this model does not train", error.Message);

        File.WriteAllText(file, "{ not safetensors");
        Assert.Contains("unreadable", Assert.Throws<KitException>(() => again.Load(file)).Message);
    }

    /// <summary>
    /// TorchSharp 0.107's one-argument <c>add_(x)</c> and <c>sub_(x)</c> call <c>add_(x, 1)</c>: the alpha is an implicit
    /// Scalar again, finalisable mid-call. It was caught that way ("For integral input tensors, argument alpha must not be a
    /// floating point number" from <c>THSTensor_add_scalar_</c> on BatchNorm's int64 <c>num_batches_tracked</c>, a garbage
    /// alpha). The training hot paths therefore give the alpha too: no add or sub with one argument there.
    /// </summary>
    [Fact]
    public void Hot_paths_hold_the_alpha_of_every_add_and_sub()
    {
        var src = Path.Combine(Fixtures.RepositoryRoot, "src", "NotebookKit");
        var files = Directory.EnumerateFiles(Path.Combine(src, "Models", "Layers"), "*.cs")
            .Concat(Directory.EnumerateFiles(Path.Combine(src, "Training", "Optimizers"), "*.cs"))
            .Append(Path.Combine(src, "Training", "EpochMeter.cs")).ToList();
        Assert.True(files.Count >= 5);
        var found = new List<string>();
        int calls = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"\.(add|sub)_?\("))
            {
                calls++;
                int depth = 1, commas = 0, i = m.Index + m.Length;
                for (; i < text.Length && depth > 0; i++)
                {
                    if (text[i] is '(' or '[') depth++;
                    else if (text[i] is ')' or ']') depth--;
                    else if (text[i] == ',' && depth == 1) commas++;
                }
                if (commas == 0) found.Add($"{Path.GetFileName(file)}: {text[m.Index..i]}");
            }
        }
        Assert.True(calls >= 8, $"{calls} add/sub calls read"); // the scan reads what it should
        Assert.True(found.Count == 0, "one-argument add/sub (implicit alpha Scalar):\n" + string.Join("\n", found));
    }

    static IEnumerable<double> Doubles(JsonElement root, string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble());

    static IEqualityComparer<double> Close(double tolerance) => EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(a)), _ => 0);
}
