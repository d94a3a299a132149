using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NotebookKit.Tests.Support;
using Xunit.Abstractions;

namespace NotebookKit.Tests.Setup;

/// <summary>
/// environment/setup.ps1, under the PowerShell pinned in the tool manifest, and environment/setup.sh, run as a new
/// user runs them: on a fresh copy of this working tree (the files git would commit, changes included), as a user
/// with no kit set up yet.
/// <para>
/// Isolation: the scripts run with their own user folders in a temporary folder, so neither the real user NuGet
/// config (where the other tests' <c>notebookkit-local</c> source is registered) nor the real kit folder
/// (<c>~/.cache/notebookkit</c>, whose feed the notebook tests read) is touched. On Linux and macOS
/// <c>HOME</c> points there (NuGet reads its user config from <c>$HOME/.nuget/NuGet</c>, the scripts and the kit
/// derive <c>~/.cache/notebookkit</c> from it) with <c>XDG_CACHE_HOME</c> and <c>NBKIT_HOME</c> unset, so the
/// default folder is the one exercised; on Windows, where known folders do not follow the environment, NuGet's
/// <c>APPDATA</c> and <c>NBKIT_HOME</c> point there. <c>DOTNET_CLI_HOME</c> (the .NET CLI's first-run files and
/// global tools) and <c>JUPYTER_DATA_DIR</c> point there too; on Linux and macOS a stand-in <c>jupyter</c> comes first
/// on PATH. The user NuGet config starts as a copy of the real one (the same package sources, so restores work as
/// they do for this user) without <c>notebookkit-local</c>, and <c>NUGET_PACKAGES</c> stays the real package folder
/// (no second download of libtorch). The test asserts that the real user NuGet config is byte for byte unchanged.
/// </para>
/// </summary>
public class SetupScriptTests(ITestOutputHelper output)
{
    const string SourceName = "notebookkit-local";

    static readonly Regex PackedLine = new(@"^NotebookKit (?<version>0\.1\.0-dev\.\d{17}) in (?<feed>.+) \(NuGet source 'notebookkit-local'\)$",
        RegexOptions.Multiline);

    [Fact]
    public void Setup_ps1_sets_up_a_fresh_clone_and_running_it_again_or_setup_sh_changes_nothing()
    {
        using var temp = new TempDir();
        var clone = Path.Combine(temp.Path, "repo");
        CopyWorkingTree(Fixtures.RepositoryRoot, clone);
        var user = IsolatedUser.Create(temp.Path);
        var realConfig = RealUserNuGetConfig();
        var realConfigBefore = realConfig is not null && File.Exists(realConfig) ? File.ReadAllBytes(realConfig) : null;

        // A user who set up before: five older builds in the feed, of which a run keeps the newest five.
        Directory.CreateDirectory(user.Feed);
        for (int i = 1; i <= 5; i++)
        {
            var old = Path.Combine(user.Feed, $"NotebookKit.0.1.0-dev.2000010{i}000000000.nupkg");
            File.WriteAllText(old, "an older build");
            File.SetLastWriteTimeUtc(old, new DateTime(2000, 1, i, 0, 0, 0, DateTimeKind.Utc));
        }

        // As the README says for a machine without PowerShell 7: restore the pinned tools, then run the script with them.
        var restore = ProcessRunner.Dotnet(["tool", "restore"], TimeSpan.FromMinutes(5), clone, user.Environment);
        Assert.True(restore.ExitCode == 0, $"dotnet tool restore failed:\n{restore.Tail()}");
        string[] ps1 = ["pwsh", "-NoProfile", "-File", Path.Combine("environment", "setup.ps1"), .. user.JupyterOption("-NoJupyter")];

        var first = Timed("setup.ps1, first run", () => ProcessRunner.Dotnet(ps1, TimeSpan.FromMinutes(20), clone, user.Environment));
        var firstVersion = AssertSetUp(first, "setup.ps1 (first run, fresh clone)", user);
        Assert.False(File.Exists(Path.Combine(user.Feed, "NotebookKit.0.1.0-dev.20000101000000000.nupkg")),
            "the oldest of six builds was kept: the feed should keep the newest five");
        var configAfterFirst = File.ReadAllText(user.NuGetConfig);

        var second = Timed("setup.ps1, second run", () => ProcessRunner.Dotnet(ps1, TimeSpan.FromMinutes(10), clone, user.Environment));
        var secondVersion = AssertSetUp(second, "setup.ps1 (second run)", user);
        Assert.NotEqual(firstVersion, secondVersion);
        Assert.Equal(configAfterFirst, File.ReadAllText(user.NuGetConfig));

        if (!OperatingSystem.IsWindows())
        {
            // setup.sh after setup.ps1 and a cleared cache: the registered source's folder is gone, which fails every
            // restore (NU1301) unless the script recreates it before building. Same folder, same source: the NuGet
            // config stays as it was.
            Directory.Delete(user.KitHome, recursive: true);
            var sh = Timed("setup.sh", () => ProcessRunner.Run("bash", [Path.Combine("environment", "setup.sh")], clone, TimeSpan.FromMinutes(10), user.Environment));
            var shVersion = AssertSetUp(sh, "setup.sh (after setup.ps1 and a cleared cache)", user, packagesInFeed: 1);
            Assert.NotEqual(secondVersion, shVersion);
            Assert.Equal(configAfterFirst, File.ReadAllText(user.NuGetConfig));
        }

        // The kit itself (KitPaths.Home) reads the folder the scripts packed into, and torch loads.
        var doctor = ProcessRunner.Dotnet(
            [Path.Combine(clone, "src", "NotebookKit.Cli", "bin", "Release", "net10.0", "nbkit.dll"), "doctor", "--json"],
            TimeSpan.FromMinutes(5), clone, user.Environment);
        Assert.True(doctor.ExitCode == 0, $"nbkit doctor failed after the set-up:\n{doctor.Tail()}");
        using var report = JsonDocument.Parse(doctor.StandardOutput);
        Assert.True(report.RootElement.GetProperty("torch").GetProperty("loaded").GetBoolean());
        Assert.Equal(Path.Combine(user.KitHome, "weights"), report.RootElement.GetProperty("weights_cache").GetProperty("path").GetString());
        if (user.FakeJupyter)
        {
            var kernels = report.RootElement.GetProperty("notebook_tools").GetProperty("jupyter_kernels").EnumerateArray().Select(k => k.GetString()).ToList();
            Assert.Contains(".net-csharp", kernels);
        }

        // Nothing global: no dotnet-interactive global tool, and the real user NuGet config as it was.
        var globalTools = Path.Combine(user.Home, ".dotnet", "tools");
        Assert.False(Directory.Exists(globalTools) && Directory.EnumerateFileSystemEntries(globalTools).Any(),
            $"the set-up installed a global .NET tool in {globalTools}");
        if (realConfig is not null)
        {
            var realConfigAfter = File.Exists(realConfig) ? File.ReadAllBytes(realConfig) : null;
            Assert.True(realConfigBefore is null ? realConfigAfter is null : realConfigAfter is not null && realConfigBefore.SequenceEqual(realConfigAfter),
                $"the test changed the real user NuGet config {realConfig}");
        }
    }

    ProcessResult Timed(string what, Func<ProcessResult> run)
    {
        var clock = Stopwatch.StartNew();
        var result = run();
        output.WriteLine($"{what}: {clock.Elapsed.TotalSeconds:F0} s");
        return result;
    }

    /// <summary>Checks one set-up run and returns the version it packed.</summary>
    static string AssertSetUp(ProcessResult run, string what, IsolatedUser user, int packagesInFeed = 5)
    {
        Assert.False(run.TimedOut, $"{what} did not finish in time:\n{run.Tail()}");
        Assert.True(run.ExitCode == 0, $"{what} exited with {run.ExitCode}:\n{run.Tail(8000)}");

        // The same steps, with the same messages, from either script.
        var steps = run.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("==> ", StringComparison.Ordinal)).ToList();
        string[] expected =
        [
            "==> tools: dotnet-interactive, dotnet-repl and pwsh (pinned in .config/dotnet-tools.json)",
            "==> build (cpu backend)",
            "==> pack the kit for notebooks",
            "==> check torch (applies the Linux libstdc++ fix where needed)",
            user.FakeJupyter
                ? "==> Jupyter kernel (.NET Interactive, bound to localhost only)"
                : "==> Jupyter not found: skipping kernel registration (VS Code's Polyglot Notebooks extension needs none)",
        ];
        Assert.Equal(expected, steps);
        Assert.Contains("Ready. Try:", run.StandardOutput);
        Assert.Contains("loads", run.StandardOutput); // nbkit doctor's table: torch loads

        // Packed into the kit's feed folder, which keeps the newest five builds (five older ones were put there first).
        var packed = PackedLine.Match(run.StandardOutput.Replace("\r", ""));
        Assert.True(packed.Success, $"{what}: no 'NotebookKit <version> in <feed>' line:\n{run.Tail()}");
        Assert.Equal(user.Feed, packed.Groups["feed"].Value);
        var version = packed.Groups["version"].Value;
        Assert.True(File.Exists(Path.Combine(user.Feed, $"NotebookKit.{version}.nupkg")), $"{what}: NotebookKit.{version}.nupkg is not in {user.Feed}");
        Assert.Equal(packagesInFeed, Directory.GetFiles(user.Feed, "NotebookKit.*.nupkg").Length);

        // Registered once, under its name, in the (isolated) user NuGet config.
        var sources = XDocument.Load(user.NuGetConfig).Root!.Element("packageSources")!.Elements("add")
            .Select(a => (Key: (string?)a.Attribute("key"), Value: ((string?)a.Attribute("value") ?? "").TrimEnd('/', '\\')))
            .ToList();
        var registered = Assert.Single(sources, s => s.Key == SourceName || s.Value == user.Feed);
        Assert.Equal(SourceName, registered.Key);
        Assert.Equal(user.Feed, registered.Value);

        if (user.FakeJupyter)
        {
            var kernel = Path.Combine(user.JupyterData, "kernels", ".net-csharp", "kernel.json");
            Assert.True(File.Exists(kernel), $"{what}: no .NET (C#) kernel registered in {user.JupyterData}");
            var argv = JsonDocument.Parse(File.ReadAllText(kernel)).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal(new string?[] { "dotnet", "dotnet-interactive", "jupyter" }, argv.Take(3)); // the repository's pinned local tool
            Assert.Single(argv, a => a == "--http-local-only");
        }
        return version;
    }

    /// <summary>Copies the files git would commit (tracked, and untracked but not ignored) as they are now.</summary>
    static void CopyWorkingTree(string source, string target)
    {
        var list = ProcessRunner.Run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], source, TimeSpan.FromMinutes(1));
        Assert.True(list.ExitCode == 0, $"git ls-files failed in {source} (the test copies the working tree as git sees it):\n{list.Tail()}");
        int copied = 0;
        foreach (var entry in list.StandardOutput.Split('\0'))
        {
            var relative = entry.Trim('\r', '\n');
            var from = Path.Combine(source, relative);
            if (relative.Length == 0 || !File.Exists(from)) continue; // deleted in the working tree
            var to = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(to, File.GetUnixFileMode(from));
            copied++;
        }
        Assert.True(File.Exists(Path.Combine(target, "NotebookKit.sln")), $"only {copied} files copied from {source}");
    }

    /// <summary>The user NuGet config NuGet reads for this process's user (which the test must leave alone).</summary>
    static string? RealUserNuGetConfig() => UserNuGetConfig(
        OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable("APPDATA") : Environment.GetEnvironmentVariable("HOME"));

    static string? UserNuGetConfig(string? root)
    {
        if (string.IsNullOrEmpty(root)) return null;
        var folder = OperatingSystem.IsWindows() ? Path.Combine(root, "NuGet") : Path.Combine(root, ".nuget", "NuGet");
        return new[] { "NuGet.Config", "nuget.config", "NuGet.config" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
            ?? Path.Combine(folder, "NuGet.Config");
    }

    /// <summary>A user with no kit set up, in a temporary folder: the environment the scripts run with.</summary>
    sealed class IsolatedUser
    {
        public required string Home { get; init; }
        public required string KitHome { get; init; }
        public required string NuGetConfig { get; init; }
        public required string JupyterData { get; init; }
        public required Dictionary<string, string?> Environment { get; init; }

        /// <summary>Jupyter's command line replaced by a stand-in (Linux, macOS); on Windows the Jupyter step is skipped.</summary>
        public bool FakeJupyter => !OperatingSystem.IsWindows();

        public string Feed => Path.Combine(KitHome, "feed");

        public string[] JupyterOption(string option) => FakeJupyter ? [] : [option];

        public static IsolatedUser Create(string root)
        {
            var home = Path.Combine(root, "home");
            var jupyterData = Path.Combine(root, "jupyter");
            Directory.CreateDirectory(home);
            var environment = new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = GlobalPackagesFolder(),
                ["DOTNET_CLI_HOME"] = home,
                ["JUPYTER_DATA_DIR"] = jupyterData,
                ["MSBUILDDISABLENODEREUSE"] = "1", // no build nodes left running in a folder about to be deleted
            };
            string kitHome, nugetConfig;
            if (OperatingSystem.IsWindows())
            {
                var appData = Path.Combine(root, "appdata");
                kitHome = Path.Combine(root, "kit");
                environment["APPDATA"] = appData;
                environment["NBKIT_HOME"] = kitHome;
                nugetConfig = Path.Combine(appData, "NuGet", "NuGet.Config");
            }
            else
            {
                kitHome = Path.Combine(home, ".cache", "notebookkit");
                environment["HOME"] = home;
                environment["XDG_CACHE_HOME"] = null;
                environment["NBKIT_HOME"] = null;
                nugetConfig = Path.Combine(home, ".nuget", "NuGet", "NuGet.Config");

                var bin = Path.Combine(root, "bin");
                Directory.CreateDirectory(bin);
                var jupyter = Path.Combine(bin, "jupyter");
                File.WriteAllText(jupyter, FakeJupyterScript.Replace("\r", ""));
                File.SetUnixFileMode(jupyter, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                environment["PATH"] = bin + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH");
            }

            // The user's package sources (so restores work as they do for this user), without the kit's source.
            Directory.CreateDirectory(Path.GetDirectoryName(nugetConfig)!);
            var real = RealUserNuGetConfig();
            if (real is not null && File.Exists(real))
            {
                var config = XDocument.Load(real);
                config.Descendants().Where(e => (string?)e.Attribute("key") == SourceName).ToList().ForEach(e => e.Remove());
                config.Save(nugetConfig);
            }
            else
            {
                File.WriteAllText(nugetConfig, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources />\n</configuration>\n");
            }
            return new IsolatedUser { Home = home, KitHome = kitHome, NuGetConfig = nugetConfig, JupyterData = jupyterData, Environment = environment };
        }

        static string GlobalPackagesFolder()
        {
            var locals = ProcessRunner.Dotnet(["nuget", "locals", "global-packages", "--list"], TimeSpan.FromMinutes(1));
            var match = Regex.Match(locals.StandardOutput, @"global-packages: (.+)");
            Assert.True(locals.ExitCode == 0 && match.Success, $"could not find NuGet's global packages folder:\n{locals.Tail()}");
            return match.Groups[1].Value.Trim();
        }
    }

    /// <summary>
    /// Stands in for Jupyter's command line: the two commands the scripts use, on $JUPYTER_DATA_DIR. It refuses an
    /// install that is not per user (--user) or would not replace an older kernel (--replace).
    /// </summary>
    const string FakeJupyterScript = """
        #!/usr/bin/env bash
        set -euo pipefail
        kernels="$JUPYTER_DATA_DIR/kernels"
        if [ "${1:-} ${2:-}" = "kernelspec install" ]; then
          shift 2
          name=""; source=""; user=no; replace=no
          while [ $# -gt 0 ]; do
            case "$1" in
              --name) name=$2; shift 2 ;;
              --user) user=yes; shift ;;
              --replace) replace=yes; shift ;;
              *) source=$1; shift ;;
            esac
          done
          if [ "$user" != yes ] || [ "$replace" != yes ] || [ -z "$name" ] || [ ! -d "$source" ]; then
            echo "fake jupyter: expected kernelspec install --user --replace --name NAME DIR" >&2; exit 2
          fi
          mkdir -p "$kernels"; rm -rf "${kernels:?}/$name"; cp -R "$source" "$kernels/$name"
        elif [ "${1:-} ${2:-}" = "kernelspec list" ]; then
          echo "Available kernels:"
          for dir in "$kernels"/*/ "$kernels"/.net-*/; do [ -d "$dir" ] && echo "  $(basename "$dir")    ${dir%/}"; done
          true
        else
          echo "fake jupyter: unexpected arguments: $*" >&2; exit 2
        fi

        """;
}
