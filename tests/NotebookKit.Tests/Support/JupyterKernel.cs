namespace NotebookKit.Tests.Support;

/// <summary>
/// Whether this machine can run notebooks in the real .NET Interactive kernel through Jupyter's client: Debian's
/// <c>python3-nbclient</c> and <c>python3-jupyter-client</c>, and the <c>.net-csharp</c> kernel that
/// environment/setup.sh registers when Jupyter is installed. Where that is missing, the real-kernel tests are skipped
/// with the reason, unless NBKIT_REQUIRE_KERNEL_TESTS=1 (as .ci/run sets after installing them), which turns the
/// skip into a failure, so CI cannot pass by not running them.
/// </summary>
static class JupyterKernel
{
    public const string KernelName = ".net-csharp";

    /// <summary>Debian's Python, which holds Debian's Jupyter packages (a python3 earlier on PATH may not).</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static string Runner => Path.Combine(Fixtures.RepositoryRoot, "tests", "kernel", "run-notebook.py");

    public static bool Required => Environment.GetEnvironmentVariable("NBKIT_REQUIRE_KERNEL_TESTS") == "1";

    static readonly Lazy<string?> missing = new(FindMissing);

    /// <summary>Why the real kernel cannot be driven here, or null when it can.</summary>
    public static string? Missing => missing.Value;

    static string? FindMissing()
    {
        const string install = "install Jupyter's client (Debian/Ubuntu: apt-get install python3-nbclient python3-jupyter-client jupyter-client jupyter-core), then run environment/setup.sh to register the kernel";
        if (OperatingSystem.IsWindows()) return "the real-kernel notebook tests run on Linux and macOS";
        const string probe = "import json, nbclient, jupyter_client\n"
            + "from jupyter_client.kernelspec import KernelSpecManager\n"
            + "print(json.dumps(KernelSpecManager().get_kernel_spec('" + KernelName + "').argv))";
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(Python, ["-c", probe], Fixtures.RepositoryRoot, TimeSpan.FromMinutes(1));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"no python3: {install}";
        }
        if (result.ExitCode != 0)
            return result.StandardError.Contains("NoSuchKernel", StringComparison.Ordinal)
                ? $"Jupyter's client is installed but the {KernelName} kernel is not registered: run environment/setup.sh"
                : $"Jupyter's client cannot be imported by {Python}: {install}";
        if (!result.StandardOutput.Contains("\"dotnet-interactive\"", StringComparison.Ordinal))
            return $"the registered {KernelName} kernel does not run the repository's pinned dotnet-interactive ({result.StandardOutput.Trim()}): run environment/setup.sh";
        return null;
    }
}

/// <summary>A theory that runs only where <see cref="JupyterKernel"/> can drive the real kernel (skipped with the reason otherwise).</summary>
sealed class RealKernelTheoryAttribute : TheoryAttribute
{
    public RealKernelTheoryAttribute()
    {
        if (JupyterKernel.Missing is { } reason && !JupyterKernel.Required)
            Skip = "real .NET Interactive kernel not available: " + reason;
    }
}
