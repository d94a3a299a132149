using System.Runtime.InteropServices;
using NotebookKit.Runtime;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Runtime;

public class LibStdCxxCompatibilityTests
{
    // What Debian 12's libstdc++ provides, in the part that matters here.
    static readonly IReadOnlySet<string> Debian12 = new HashSet<string> { "GLIBCXX_3.4", "GLIBCXX_3.4.21", "GLIBCXX_3.4.30", "CXXABI_1.3" };
    static readonly IReadOnlySet<string> Gcc13 = new HashSet<string>(Debian12) { "GLIBCXX_3.4.32" };

    [Fact]
    public void A_versioning_only_need_the_system_lacks_is_patched_in_one_flag()
    {
        using var temp = new TempDir();
        var library = temp.Copy(Fixtures.Elf("libversiononly.so"));
        var before = File.ReadAllBytes(library);

        var verdict = LibStdCxxCompatibility.Apply(library, Debian12);

        Assert.Equal(LibraryState.Patched, verdict.State);
        Assert.Equal(["GLIBCXX_3.4.32"], verdict.MissingVersions);
        var after = File.ReadAllBytes(library);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var flagsOffset = ElfFile.Read(library).VersionNeeds.Single().FlagsFileOffset;
        Assert.Equal([(int)flagsOffset], changed);
        Assert.Equal(before[flagsOffset] | ElfVersionNeed.WeakFlag, after[flagsOffset]);
        Assert.True(ElfFile.Read(library).VersionNeeds.Single().IsWeak);
    }

    [Fact]
    public void Patching_keeps_a_backup_of_the_original_and_the_file_mode()
    {
        using var temp = new TempDir();
        var library = temp.Copy(Fixtures.Elf("libversiononly.so"));
        var original = File.ReadAllBytes(library);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(library, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);

        LibStdCxxCompatibility.Apply(library, Debian12);

        Assert.Equal(original, File.ReadAllBytes(library + WeakVersionPatcher.BackupSuffix));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead, File.GetUnixFileMode(library));
        Assert.Equal(2, Directory.GetFiles(temp.Path).Length); // the library and its backup, no temp file left
    }

    [Fact]
    public void Patching_again_changes_nothing()
    {
        using var temp = new TempDir();
        var library = temp.Copy(Fixtures.Elf("libversiononly.so"));
        LibStdCxxCompatibility.Apply(library, Debian12);
        var once = File.ReadAllBytes(library);
        var stamp = File.GetLastWriteTimeUtc(library);

        var verdict = LibStdCxxCompatibility.Apply(library, Debian12);

        Assert.Equal(LibraryState.AlreadyPatched, verdict.State);
        Assert.Equal(once, File.ReadAllBytes(library));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(library));
    }

    [Fact]
    public void A_system_that_provides_the_version_is_left_untouched()
    {
        using var temp = new TempDir();
        var library = temp.Copy(Fixtures.Elf("libversiononly.so"));
        var before = File.ReadAllBytes(library);

        var verdict = LibStdCxxCompatibility.Apply(library, Gcc13);

        Assert.Equal(LibraryState.Compatible, verdict.State);
        Assert.Equal(before, File.ReadAllBytes(library));
        Assert.False(File.Exists(library + WeakVersionPatcher.BackupSuffix));
    }

    [Fact]
    public void A_real_dependency_on_a_missing_version_is_refused_and_named()
    {
        using var temp = new TempDir();
        var library = temp.Copy(Fixtures.Elf("librealuse.so"));
        var before = File.ReadAllBytes(library);

        var verdict = LibStdCxxCompatibility.Apply(library, Gcc13);

        Assert.Equal(LibraryState.Incompatible, verdict.State);
        Assert.Contains(verdict.Blocking, b => b.Contains("GLIBCXX_3.4.99") && b.Contains("nbkit_new_function"));
        Assert.Equal(before, File.ReadAllBytes(library));
        Assert.False(File.Exists(library + WeakVersionPatcher.BackupSuffix));
    }

    [Fact]
    public void A_library_needing_only_old_versions_is_compatible()
    {
        var verdict = LibStdCxxCompatibility.Assess(Fixtures.Elf("libplain.so"), Debian12);

        Assert.Equal(LibraryState.Compatible, verdict.State);
        Assert.Empty(verdict.MissingVersions);
    }

    [Fact]
    public void The_patched_library_loads_where_the_original_does_not()
    {
        // Only meaningful on a system whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04: this CI).
        var system = SystemLibStdCxx.Locate();
        if (system is null || SystemLibStdCxx.ProvidedVersions(system).Contains("GLIBCXX_3.4.32")) return;
        using var temp = new TempDir();
        var original = temp.Copy(Fixtures.Elf("libversiononly.so"), "liboriginal.so");
        var patched = temp.Copy(Fixtures.Elf("libversiononly.so"), "libpatched.so");

        Assert.False(NativeLibrary.TryLoad(original, out _));
        LibStdCxxCompatibility.Apply(patched, SystemLibStdCxx.ProvidedVersions(system));
        Assert.True(NativeLibrary.TryLoad(patched, out var handle));
        var answer = Marshal.GetDelegateForFunctionPointer<Answer>(NativeLibrary.GetExport(handle, "nbkit_fixture_answer"));
        Assert.Equal(7, answer());
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int Answer();
}
