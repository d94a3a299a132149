using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Build;

/// <summary>
/// The -p:TorchBackend switch. Runs only the kit's own MSBuild targets (no restore), so the build
/// output of the other tests is not touched.
/// </summary>
public class TorchBackendPropertyTests
{
    static ProcessResult RunTarget(string target, string backend) => ProcessRunner.Dotnet(
        ["msbuild", "src/NotebookKit/NotebookKit.csproj", $"-t:{target}", $"-p:TorchBackend={backend}", "-nologo", "-v:m"],
        TimeSpan.FromMinutes(2));

    [Fact]
    public void An_unknown_backend_fails_with_the_accepted_values()
    {
        var result = RunTarget("NbkitCheckTorchBackend", "gpu");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("TorchBackend='gpu' is not a backend NotebookKit knows", result.StandardOutput);
        Assert.Contains("-p:TorchBackend=cpu", result.StandardOutput);
    }

    [Fact]
    public void The_cuda_backend_explains_where_its_package_comes_from_before_restoring()
    {
        if (OperatingSystem.IsMacOS()) return; // no CUDA build of TorchSharp for macOS: the check target errors instead
        var result = RunTarget("NbkitWarnCudaPackage", "cuda");

        Assert.Contains("NBKIT001", result.StandardOutput);
        Assert.Contains(OperatingSystem.IsWindows() ? "TorchSharp-cuda-windows" : "TorchSharp-cuda-linux", result.StandardOutput);
        Assert.Contains("NU1101", result.StandardOutput);
    }

    [Fact]
    public void The_cpu_backend_passes_the_check()
    {
        var result = RunTarget("NbkitCheckTorchBackend", "cpu");

        Assert.True(result.ExitCode == 0, result.Tail());
    }
}
