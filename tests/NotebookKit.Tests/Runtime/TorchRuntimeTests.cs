using NotebookKit.Runtime;
using TorchSharp;

namespace NotebookKit.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void Torch_loads_and_computes_on_the_chosen_device()
    {
        var status = TorchRuntime.Require();

        Assert.True(status.Loaded, status.Error);
        Assert.Equal("0.107.0", status.TorchSharpVersion);
        Assert.True(status.Threads >= 1);
        Assert.Contains(status.Cuda ? "cuda" : "CPU", status.Summary);
        using var a = torch.tensor(new float[] { 1, 2, 3 }, device: TorchRuntime.Device);
        using var b = (a * a).sum();
        Assert.Equal(14f, b.item<float>());
    }

    [Fact]
    public void Initialize_is_idempotent()
    {
        Assert.Same(TorchRuntime.Initialize(), TorchRuntime.Initialize());
    }

    [Fact]
    public void No_loaded_copy_of_the_bridge_is_left_incompatible()
    {
        var status = TorchRuntime.Require();

        Assert.Empty(status.NativeFix.Incompatible);
        Assert.DoesNotContain(status.NativeFix.Libraries, l => l.State == LibraryState.NeedsPatch);
    }
}
