using System.Reflection;
using System.Runtime.Loader;

namespace NotebookKit.Interactive;

/// <summary>
/// The last .NET Interactive kernel bundles FSharp.Core 10.0.0.0, while Plotly.NET 6 asks for 10.1.0.0.
/// Answering that request with the FSharp.Core already loaded makes charts render (shared FINDINGS item 3).
/// Must be installed before the first Plotly.NET type is touched.
/// </summary>
public static class FSharpCoreRedirect
{
    static int installed;

    /// <summary>Installs the resolver once per process.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += Resolve;
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName wanted)
    {
        if (!string.Equals(wanted.Name, "FSharp.Core", StringComparison.Ordinal)) return null;
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => string.Equals(a.GetName().Name, "FSharp.Core", StringComparison.Ordinal))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
    }
}
