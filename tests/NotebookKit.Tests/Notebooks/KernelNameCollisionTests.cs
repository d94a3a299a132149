using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using NotebookKit.Tests.Support;

namespace NotebookKit.Tests.Notebooks;

/// <summary>
/// In a notebook, C# resolves a simple name against the root namespaces and global types of every assembly the
/// kernel loads before it looks at the cell's usings. The real kernel (`dotnet-interactive`, what Jupyter and VS Code
/// start) carries a root namespace <c>Recipes</c>, so a kit type of that name could not be used unqualified there
/// (CS0234), although the same cell compiled under dotnet-repl. This reads the pinned kernel's assemblies and fails on
/// any public kit type whose simple name equals one of their root namespaces or global types.
/// </summary>
public class KernelNameCollisionTests
{
    [Fact]
    public void No_public_kit_type_is_named_like_a_root_namespace_or_global_type_of_the_kernel()
    {
        var kernelNames = KernelTopLevelNames();
        Assert.Contains("Recipes", kernelNames.Keys); // the collision that broke notebook 05: the reader sees it
        Assert.Contains("Microsoft", kernelNames.Keys);

        var kitTypes = new[] { typeof(NotebookKit.Training.Trainer).Assembly, typeof(NotebookKit.Interactive.NotebookKitExtension).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => !t.IsNested)
            .ToList();
        Assert.True(kitTypes.Count > 50, $"{kitTypes.Count} kit types");
        var collisions = kitTypes
            .Select(t => (Type: t, Name: t.IsGenericType ? t.Name[..t.Name.IndexOf('`')] : t.Name))
            .Where(t => kernelNames.ContainsKey(t.Name))
            .Select(t => $"{t.Type.FullName} collides with '{t.Name}' in {kernelNames[t.Name]}")
            .ToList();
        Assert.True(collisions.Count == 0, "rename these kit types (a notebook cannot use them unqualified):\n" + string.Join("\n", collisions));
    }

    [Fact]
    public void The_reader_finds_the_kernels_top_level_names()
    {
        // A reader that found no names at all would pass the test above vacuously.
        var names = KernelTopLevelNames();
        Assert.True(names.Count > 20, $"{names.Count} top-level names");
        Assert.Equal("namespace", names["System"].Split(' ')[0]);
    }

    /// <summary>Every root namespace and global-namespace public type of the pinned kernel's assemblies, with where it is defined.</summary>
    internal static Dictionary<string, string> KernelTopLevelNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dll in KernelAssemblies())
        {
            using var stream = File.OpenRead(dll);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) continue;
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if (type.GetDeclaringType() is { IsNil: false }) continue;
                var ns = reader.GetString(type.Namespace);
                var (name, kind) = ns.Length == 0
                    ? ((type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public
                        ? (reader.GetString(type.Name), "type") : (null, null))
                    : (ns.Split('.')[0], "namespace");
                if (name is null || name.Contains('<')) continue;
                names.TryAdd(name, $"{kind} in {Path.GetFileName(dll)}");
            }
        }
        return names;
    }

    /// <summary>The assemblies of the dotnet-interactive tool pinned in .config/dotnet-tools.json (restored by environment/setup.sh).</summary>
    internal static IReadOnlyList<string> KernelAssemblies()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, ".config", "dotnet-tools.json")))!;
        var version = (string)manifest["tools"]!["microsoft.dotnet-interactive"]!["version"]!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tool = Path.Combine(packages, "microsoft.dotnet-interactive", version, "tools");
        Assert.True(Directory.Exists(tool), $"the pinned kernel (microsoft.dotnet-interactive {version}) is not restored at {tool}: run environment/setup.sh");
        var dlls = Directory.EnumerateFiles(tool, "*.dll", SearchOption.AllDirectories).ToList();
        Assert.Contains(dlls, d => Path.GetFileName(d) == "Microsoft.DotNet.Interactive.App.dll");
        return dlls;
    }
}
