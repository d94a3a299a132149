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
    public void The_status_agrees_with_what_torch_itself_reports()
    {
        var status = TorchRuntime.Require();

        Assert.Equal(torch.cuda.is_available(), status.Cuda);
        Assert.Equal(torch.get_num_threads(), status.Threads);
        Assert.Equal(status.Cuda ? DeviceType.CUDA : DeviceType.CPU, TorchRuntime.Device.type);
        Assert.Equal(typeof(torch).Assembly.GetName().Version!.ToString(3), status.TorchSharpVersion);
    }

    [Fact]
    public void No_loaded_copy_of_the_bridge_is_left_incompatible()
    {
        var status = TorchRuntime.Require();

        Assert.Empty(status.NativeFix.Incompatible);
        Assert.DoesNotContain(status.NativeFix.Libraries, l => l.State == LibraryState.NeedsPatch);
    }
}
