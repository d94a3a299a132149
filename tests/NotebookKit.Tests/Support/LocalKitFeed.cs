using System.Globalization;

namespace NotebookKit.Tests.Support;

/// <summary>
/// Packs the kit from this working tree into the local notebook feed (as environment/setup.sh does),
/// with a fresh prerelease version so that `#r "nuget: NotebookKit, *-*"` in a notebook picks this build.
/// Done once per test run.
/// </summary>
static class LocalKitFeed
{
    public const string SourceName = "notebookkit-local";

    static readonly Lazy<string> packedVersion = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder registered as the <see cref="SourceName"/> NuGet source.</summary>
    public static string Folder => Path.Combine(NotebookKit.KitPaths.Home, "feed");

    /// <summary>Packs (once) and returns the version notebooks will get.</summary>
    public static string EnsurePacked() => packedVersion.Value;

    static string Pack()
    {
        var version = "0.1.0-dev." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Folder);
        var pack = ProcessRunner.Dotnet(
            ["pack", "src/NotebookKit/NotebookKit.csproj", "-c", "Release", "-o", Folder, $"-p:Version={version}", "--nologo"],
            TimeSpan.FromMinutes(5));
        if (pack.ExitCode != 0) throw new InvalidOperationException($"dotnet pack failed:\n{pack.Tail()}");

        var sources = ProcessRunner.Dotnet(["nuget", "list", "source", "--format", "short"], TimeSpan.FromMinutes(1));
        if (!sources.StandardOutput.Contains(Folder, StringComparison.Ordinal))
        {
            var add = ProcessRunner.Dotnet(["nuget", "add", "source", Folder, "--name", SourceName], TimeSpan.FromMinutes(1));
            if (add.ExitCode != 0) throw new InvalidOperationException($"could not register {Folder} as a NuGet source:\n{add.Tail()}");
        }
        return version;
    }
}
