using System.Text.Json;
using NotebookKit.Models;
using NotebookKit.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Models;

/// <summary>
/// The kit's ResNets against PyTorch 1.13 / torchvision 0.14 outputs (Fixtures/models/make-fixtures.py),
/// in eval mode with non-trivial BatchNorm statistics. Tolerance: 1e-4 relative to the largest output.
/// </summary>
public class PytorchEquivalenceTests
{
    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    static int NameSeed(string name)
    {
        long sum = 0;
        for (int i = 0; i < name.Length; i++) sum += (i + 1) * name[i];
        return (int)(sum % 997);
    }

    /// <summary>The same closed formula as fill() in make-fixtures.py.</summary>
    internal static void FillWithFormula(ResNetModel model)
    {
        // Inside a dispose scope: a temporary tensor that nothing references can be finalized while native
        // code still uses it (seen as a crash in copy_); the scope keeps temporaries alive until it ends.
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            int index = NameSeed(name);
            long n = tensor.numel();
            bool vector = tensor.dim() == 1;
            double heScale = tensor.dim() > 1 ? Math.Sqrt(2.0 / (n / tensor.shape[0])) * Math.Sqrt(2.0) * 0.5 : 0;
            var values = new float[n];
            for (long i = 0; i < n; i++)
            {
                double s = Math.Sin(i * 0.7 + index * 1.3);
                double v;
                if (name.EndsWith("running_var", StringComparison.Ordinal)) v = 1.0 + 0.5 * s * s;
                else if (name.EndsWith("running_mean", StringComparison.Ordinal)) v = 0.1 * s;
                else if (vector && name.EndsWith("weight", StringComparison.Ordinal)) v = 1.0 + 0.1 * s;
                else if (name.EndsWith("bias", StringComparison.Ordinal)) v = 0.05 * Math.Cos(i * 0.3 + index);
                else v = s * heScale;
                values[i] = (float)v;
            }
            tensor.copy_(torch.tensor(values, tensor.shape));
        }
    }

    static Tensor FormulaInput(long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var values = new float[n];
        for (long i = 0; i < n; i++) values[i] = (float)(Math.Sin(i * 0.013 + 0.5) * 1.5);
        return torch.tensor(values, shape);
    }

    static void AssertClose(float[] expected, float[] actual, double relative = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= relative * scale, $"largest difference {worst:G4} exceeds {relative:G2} x {scale:G4}");
    }

    [Theory]
    [InlineData("resnet18", "resnet18")]
    [InlineData("resnet50", "resnet50")]
    [InlineData("resnet18-2223", "resnet18-2223")]
    public void Whole_architecture_matches_torchvision_logits(string architecture, string fixtureKey)
    {
        TorchRuntime.Require();
        using var json = JsonDocument.Parse(File.ReadAllText(Fixture("formula-logits.json")));
        var expected = json.RootElement.GetProperty("models").GetProperty(fixtureKey);
        using var model = ResNetModel.Create(architecture, numClasses: 10);
        FillWithFormula(model);
        model.eval();

        Assert.Equal(expected.GetProperty("state_dict_keys").GetInt32(), model.state_dict().Count);
        using var scope = NewDisposeScope();
        var logits = model.forward(FormulaInput([2, 3, 64, 64]));
        AssertClose(expected.GetProperty("logits").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetSingle()).ToArray(),
            logits.data<float>().ToArray());
    }

    [Fact]
    public void A_checkpoint_written_by_pytorch_loads_by_name_and_reproduces_its_outputs()
    {
        TorchRuntime.Require();
        using var json = JsonDocument.Parse(File.ReadAllText(Fixture("resnet50-stem-layer1.json")));
        using var model = ResNetModel.Create("resnet50");
        model.eval();

        var report = StateDicts.LoadInto(model, Fixture("resnet50-stem-layer1.pth"), allowPartial: true); // stem and layer1 only, on purpose

        Assert.Equal(json.RootElement.GetProperty("keys").GetInt32(), report.Loaded.Count);
        Assert.Empty(report.Unexpected);
        Assert.Empty(report.Mismatched);
        Assert.Contains("layer2.0.conv1.weight", report.Missing);
        Assert.Contains("fc.weight", report.Missing);
        Assert.False(report.Complete);
        using var scope = NewDisposeScope();
        var pooled = model.ForwardUntil("layer1", FormulaInput([2, 3, 64, 64])).mean([2, 3]);
        AssertClose(json.RootElement.GetProperty("pooled").EnumerateArray().SelectMany(r => r.EnumerateArray()).Select(v => v.GetSingle()).ToArray(),
            pooled.data<float>().ToArray());
    }
}
