using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using NotebookKit.Models;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NotebookKit.Tests.Runtime;

/// <summary>
/// Training keeps oneDNN on, and cannot reach the oneDNN kernel that killed training with SIGFPE: the input gradient of
/// a strided 1x1 convolution (oneDNN 3.7's strided brgemm backward, whose set-up divides by zero when the CPU reports a
/// small L1 cache). Each run is a subprocess (<c>nbkit dev train-check</c>): a SIGFPE kills the process, not the tests.
/// </summary>
public class OneDnnTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void The_kits_resnets_train_with_onednn_in_backward_and_a_model_with_a_strided_pointwise_convolution_does_not()
    {
        TorchRuntime.Require();
        using var kit = ResNetModel.Create("resnet50", 10);
        using var reference = TorchSharp.torchvision.models.resnet50(num_classes: 10);

        Assert.False(OneDnn.HasStridedPointwiseConvolution(kit));
        Assert.True(OneDnn.HasStridedPointwiseConvolution(reference));
        if (OneDnn.Mode != "auto") return; // NBKIT_ONEDNN set by whoever runs the tests decides instead
        Assert.False(OneDnn.BackwardWorkaroundNeeded(kit));
        Assert.Equal(OneDnn.Available, OneDnn.BackwardWorkaroundNeeded(reference));
    }

    [Fact]
    public void No_strided_pointwise_convolution_reaches_onednns_backward()
    {
        // ONEDNN_VERBOSE=1 prints every primitive oneDNN runs. Odd sizes (72 px: 9x9 -> 5x5 -> 3x3) as well as even ones.
        var result = ProcessRunner.Dotnet([BuildOutputs.Cli, "dev", "train-check", "--arch", "resnet50", "--sizes", "32", "72", "--batches", "2", "--steps", "1"],
            TimeSpan.FromMinutes(5), environment: new Dictionary<string, string?> { ["ONEDNN_VERBOSE"] = "1", [OneDnn.Variable] = null });

        Assert.True(result.ExitCode == 0, result.Tail());
        Assert.Contains("resnet50 72 px batch 2: 1 steps, oneDNN on", result.StandardOutput);
        var backward = result.StandardOutput.Split('\n').Where(l => l.Contains(",convolution,") && l.Contains(",backward_data,")).ToList();
        Assert.True(backward.Count > 50, $"expected oneDNN to compute input gradients, saw {backward.Count} backward_data primitives");
        Assert.DoesNotContain(backward, l => Regex.IsMatch(l, @"kh1sh([2-9]|\d\d)|kw1sw([2-9]|\d\d)"));
        Assert.Contains(backward, l => l.Contains("mb2_ic1024oc2048_ih3oh3kh1sh1")); // layer4's projection: subsampled, then stride 1
    }

    /// <summary>
    /// Makes oneDNN believe the per-core L1 data cache is 1 byte (gdb returns that from
    /// <c>dnnl::impl::cpu::platform::get_per_core_cache_size(1)</c>, a local symbol of libtorch_cpu.so): that reproduces the
    /// crash on this machine. TorchVision's own ResNet-50 (strided projections) dies with SIGFPE; the kit's trains.
    /// Needs gdb and x86-64 Linux; elsewhere there is nothing to emulate (the test says so and returns).
    /// </summary>
    [Fact]
    public void On_an_emulated_cpu_where_onednn_crashes_the_kits_resnets_train()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || Which("gdb") is null)
        {
            output.WriteLine("skipped: needs gdb on x86-64 Linux");
            return;
        }
        var control = UnderSmallL1Cache("--arch", "resnet50", "--torchvision", "--sizes", "64", "--batches", "2", "--steps", "1");
        Assert.True(control.StandardOutput.Contains("received signal SIGFPE") && control.StandardOutput.Contains("est_eff_1x1"),
            "the emulation should reproduce the crash with TorchVision's strided projections:\n" + control.Tail());

        var kit = UnderSmallL1Cache("--arch", "resnet50", "--sizes", "32", "72", "160", "--batches", "2", "--steps", "1");
        output.WriteLine(string.Join('\n', kit.StandardOutput.Split('\n').Where(l => l.Contains(" px batch "))));
        Assert.False(kit.StandardOutput.Contains("received signal"), kit.Tail());
        Assert.Contains("resnet50 160 px batch 2: 1 steps, oneDNN on", kit.StandardOutput);
        Assert.Contains("exited normally", kit.StandardOutput);
    }

    static ProcessResult UnderSmallL1Cache(params string[] trainCheck)
    {
        using var temp = new TempDir();
        var script = Path.Combine(temp.Path, "small-l1.gdb");
        File.WriteAllText(script, """
            set confirm off
            set pagination off
            set breakpoint pending on
            handle SIGSEGV nostop noprint pass
            handle SIGPIPE nostop noprint pass
            handle SIGUSR1 nostop noprint pass
            handle SIGUSR2 nostop noprint pass
            handle SIGCHLD nostop noprint pass
            handle SIG34 nostop noprint pass
            handle SIG35 nostop noprint pass
            handle SIGFPE stop print nopass
            break _ZN4dnnl4impl3cpu8platform23get_per_core_cache_sizeEi if $rdi == 1
            commands
            silent
            return (unsigned int) 1
            continue
            end
            run
            bt 3
            kill
            quit
            """);
        return ProcessRunner.Run("gdb", ["-q", "-batch", "-x", script, "--args", "dotnet", BuildOutputs.Cli, "dev", "train-check", .. trainCheck],
            Fixtures.RepositoryRoot, TimeSpan.FromMinutes(8), new Dictionary<string, string?> { [OneDnn.Variable] = null });
    }

    static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
