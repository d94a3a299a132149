namespace NotebookKit;

/// <summary>
/// Where the kit keeps downloaded weights and datasets. One root, like torch.hub's:
/// <c>NBKIT_HOME</c> when set, else <c>$XDG_CACHE_HOME/notebookkit</c>, else <c>~/.cache/notebookkit</c>
/// (on Windows <c>%LOCALAPPDATA%\notebookkit</c>).
/// </summary>
public static class KitPaths
{
    /// <summary>The environment variable that overrides the cache root.</summary>
    public const string HomeVariable = "NBKIT_HOME";

    /// <summary>The cache root.</summary>
    public static string Home
    {
        get
        {
            var explicitHome = Environment.GetEnvironmentVariable(HomeVariable);
            if (!string.IsNullOrWhiteSpace(explicitHome)) return Path.GetFullPath(explicitHome);
            if (OperatingSystem.IsWindows())
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "notebookkit");
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var cacheRoot = string.IsNullOrWhiteSpace(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(cacheRoot, "notebookkit");
        }
    }

    /// <summary>Downloaded and imported model weights.</summary>
    public static string Weights => Path.Combine(Home, "weights");

    /// <summary>Downloaded datasets.</summary>
    public static string Datasets => Path.Combine(Home, "datasets");

    /// <summary>The NuGet global packages folder (<c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>), or null when there is no home folder.</summary>
    public static string? NuGetPackages
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".nuget", "packages");
        }
    }
}
