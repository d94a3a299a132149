using NotebookKit.Runtime;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Runtime;

// Expected values come from `readelf -V` / `readelf --dyn-syms` on the fixtures (see Fixtures/elf/build.sh).
public class ElfFileTests
{
    [Fact]
    public void Reads_the_version_need_of_a_versioning_only_reference()
    {
        var elf = ElfFile.Read(Fixtures.Elf("libversiononly.so"));

        var need = Assert.Single(elf.VersionNeeds);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.Equal("GLIBCXX_3.4.32", need.Name);
        Assert.Equal(2, need.Index);
        Assert.False(need.IsWeak);
        var symbol = Assert.Single(elf.DynamicSymbols, s => s.Name == "_ZSt21ios_base_library_initv");
        Assert.Equal(2, symbol.VersionIndex);
        Assert.False(symbol.IsDefined);
        Assert.Contains(elf.DynamicSymbols, s => s.Name == "nbkit_fixture_answer" && s.IsDefined);
    }

    [Fact]
    public void Reads_several_needs_across_files()
    {
        var elf = ElfFile.Read(Fixtures.Elf("libplain.so"));

        Assert.Equal(
            ["libgcc_s.so.1 GCC_3.0 5", "libstdc++.so.6 CXXABI_1.3 4", "libstdc++.so.6 GLIBCXX_3.4 3", "libstdc++.so.6 GLIBCXX_3.4.21 2"],
            elf.VersionNeeds.Select(n => $"{n.File} {n.Name} {n.Index}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reads_version_definitions()
    {
        var elf = ElfFile.Read(Fixtures.Elf("fake-libstdcxx.so"));

        // The first definition is the file's own base version (its soname).
        Assert.Equal(["libstdc++.so.6", "GLIBCXX_3.4.32", "GLIBCXX_3.4.99"], elf.VersionDefinitions);
    }

    [Fact]
    public void The_system_libstdcxx_is_found_and_read()
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = SystemLibStdCxx.Locate();

        Assert.NotNull(path);
        var provided = SystemLibStdCxx.ProvidedVersions(path);
        Assert.Contains("GLIBCXX_3.4", provided);
        Assert.Contains("CXXABI_1.3", provided);
        Assert.StartsWith("GLIBCXX_3.4.", SystemLibStdCxx.Newest(provided));
    }

    [Fact]
    public void A_file_that_is_not_elf_is_refused_by_name()
    {
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "libfake.so");
        File.WriteAllText(path, "<html>not a library</html>");

        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("bad magic", e.Message);
    }

    [Fact]
    public void A_truncated_library_is_refused_by_name()
    {
        using var temp = new TempDir();
        var source = File.ReadAllBytes(Fixtures.Elf("libversiononly.so"));
        var path = Path.Combine(temp.Path, "libtruncated.so");
        File.WriteAllBytes(path, source[..(source.Length / 2)]);

        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_32_bit_file_is_refused_with_the_reason()
    {
        using var temp = new TempDir();
        var bytes = File.ReadAllBytes(Fixtures.Elf("libplain.so"));
        bytes[4] = 1; // EI_CLASS = ELFCLASS32
        var path = Path.Combine(temp.Path, "lib32.so");
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Read(path));
        Assert.Contains("64-bit", e.Message);
    }
}
