using NotebookKit.Runtime;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Runtime;

public class TorchSharpNativeFixTests
{
    [Fact]
    public void Every_copy_given_is_checked_and_reported()
    {
        if (!OperatingSystem.IsLinux()) return;
        var system = SystemLibStdCxx.Locate()!;
        bool lacks = !SystemLibStdCxx.ProvidedVersions(system).Contains("GLIBCXX_3.4.32");
        using var temp = new TempDir();
        Directory.CreateDirectory(Path.Combine(temp.Path, "a"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "b"));
        var first = temp.Copy(Fixtures.Elf("libversiononly.so"), Path.Combine("a", TorchSharpNativeFix.BridgeLibrary));
        var second = temp.Copy(Fixtures.Elf("libversiononly.so"), Path.Combine("b", TorchSharpNativeFix.BridgeLibrary));
        var broken = Path.Combine(temp.Path, "broken.so");
        File.WriteAllText(broken, "not elf");

        var report = TorchSharpNativeFix.Apply([first, second, broken]);

        Assert.Equal(system, report.LibStdCxx);
        Assert.Equal(2, report.Libraries.Count);
        Assert.All(report.Libraries, l => Assert.Equal(lacks ? LibraryState.Patched : LibraryState.Compatible, l.State));
        var error = Assert.Single(report.Errors);
        Assert.Contains(broken, error);
        Assert.Contains(lacks ? "2 patched" : "2 compatible", report.ToString());
    }

    [Fact]
    public void The_candidates_include_this_test_runs_own_copy()
    {
        if (!OperatingSystem.IsLinux()) return;
        var candidates = TorchSharpNativeFix.CandidateLibraries().ToList();

        Assert.Contains(candidates, c => c.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal));
        Assert.All(candidates, c => Assert.Equal(TorchSharpNativeFix.BridgeLibrary, Path.GetFileName(c)));
    }
}
