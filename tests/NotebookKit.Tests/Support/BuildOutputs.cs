namespace NotebookKit.Tests.Support;

/// <summary>Where the other projects of this build put their outputs.</summary>
static class BuildOutputs
{
    /// <summary>Debug or Release: the configuration this test assembly was built in.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The folder of the nbkit CLI built alongside the tests.</summary>
    public static string CliFolder => Path.Combine(Fixtures.RepositoryRoot, "src", "NotebookKit.Cli", "bin", Configuration, "net10.0");

    /// <summary>The nbkit CLI built alongside the tests.</summary>
    public static string Cli => Path.Combine(CliFolder, "nbkit.dll");

    /// <summary>Runs <c>nbkit</c> with the given arguments as a user does.</summary>
    public static ProcessResult RunCli(params string[] arguments) =>
        ProcessRunner.Dotnet([Cli, .. arguments], TimeSpan.FromMinutes(5));

    /// <summary>Runs <c>nbkit</c> with its cache in <paramref name="home"/> (<c>NBKIT_HOME</c>), never the user's, within <paramref name="timeout"/> (default 5 minutes).</summary>
    public static ProcessResult RunCliIn(string home, string[] arguments, TimeSpan? timeout = null) =>
        ProcessRunner.Dotnet([Cli, .. arguments], timeout ?? TimeSpan.FromMinutes(5), environment: new Dictionary<string, string?> { [KitPaths.HomeVariable] = home });
}
