namespace NotebookKit.Tests.Support;

/// <summary>Paths to committed fixtures and to the repository.</summary>
static class Fixtures
{
    public static string Elf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "elf", name);

    /// <summary>The repository root (the folder holding NotebookKit.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NotebookKit.sln"))) return dir.FullName;
        throw new InvalidOperationException($"NotebookKit.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nbkit-test-").FullName;

    public string Copy(string source, string? name = null)
    {
        var target = System.IO.Path.Combine(Path, name ?? System.IO.Path.GetFileName(source));
        File.Copy(source, target);
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
