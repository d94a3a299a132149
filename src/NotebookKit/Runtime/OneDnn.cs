using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NotebookKit.Runtime;

/// <summary>
/// libtorch 2.10's oneDNN (MKLDNN) switch, which TorchSharp 0.107 does not expose (PyTorch's
/// <c>torch.backends.mkldnn.enabled</c>). Needed because, on x86-64 CPUs with AVX-512 (seen on an AMD EPYC),
/// oneDNN's strided brgemm convolution backward kernel dies with SIGFPE while training bottleneck ResNets
/// (ResNet-50/101/152): the whole process is killed, nothing can catch it. Running the backward pass of those
/// models with oneDNN off avoids that kernel (forward keeps oneDNN; measured: ResNet-50 at 160 px trains at
/// 4.4 img/s instead of crashing). <c>NBKIT_ONEDNN=on</c> keeps oneDNN on everywhere; <c>off</c> turns it off everywhere.
/// </summary>
public static class OneDnn
{
    /// <summary>The environment variable that overrides the automatic choice: on, off or auto (default).</summary>
    public const string Variable = "NBKIT_ONEDNN";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate IntPtr GlobalContext();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate void SetEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] [return: MarshalAs(UnmanagedType.U1)] delegate bool GetEnabled(IntPtr context);

    sealed record Api(IntPtr Context, SetEnabled Set, GetEnabled Get);

    static readonly Lazy<Api?> api = new(Bind);

    /// <summary>Whether the switch could be found (libtorch on Linux x64).</summary>
    public static bool Available => api.Value is not null;

    /// <summary>Whether oneDNN is enabled now (true when the switch is unavailable).</summary>
    public static bool Enabled
    {
        get => api.Value is not { } a || a.Get(a.Context);
        set { if (api.Value is { } a) a.Set(a.Context, value); }
    }

    /// <summary>The mode chosen by <see cref="Variable"/>: on, off or auto.</summary>
    public static string Mode => (Environment.GetEnvironmentVariable(Variable) ?? "auto").Trim().ToLowerInvariant();

    /// <summary>Whether this CPU is one where the crash was seen (x86-64 with AVX-512).</summary>
    public static bool CpuAffected => RuntimeInformation.ProcessArchitecture == Architecture.X64 && Avx512F.IsSupported;

    /// <summary>Whether training a ResNet here needs oneDNN off during backward (<paramref name="bottleneck"/>: ResNet-50/101/152).</summary>
    public static bool BackwardWorkaroundNeeded(bool bottleneck) => Mode switch
    {
        "on" => false,
        "off" => true,
        _ => Available && CpuAffected && bottleneck,
    };

    /// <summary>Applies <c>NBKIT_ONEDNN=off</c> (called by <see cref="TorchRuntime.Initialize"/>).</summary>
    internal static void ApplyMode()
    {
        if (Mode == "off") Enabled = false;
    }

    /// <summary>Turns oneDNN off until the returned scope is disposed (only when <paramref name="condition"/>).</summary>
    public static IDisposable DisabledIf(bool condition)
    {
        if (!condition || !Available) return NoScope.Instance;
        bool before = Enabled;
        Enabled = false;
        return new Restore(before);
    }

    sealed class Restore(bool value) : IDisposable { public void Dispose() => Enabled = value; }
    sealed class NoScope : IDisposable { public static readonly NoScope Instance = new(); public void Dispose() { } }

    static Api? Bind()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        try
        {
            var library = NativeLibrary.Load("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories);
            if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var context)
                || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out var set)
                || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv", out var get))
                return null;
            return new Api(Marshal.GetDelegateForFunctionPointer<GlobalContext>(context)(),
                Marshal.GetDelegateForFunctionPointer<SetEnabled>(set), Marshal.GetDelegateForFunctionPointer<GetEnabled>(get));
        }
        catch (DllNotFoundException) { return null; }
        catch (EntryPointNotFoundException) { return null; }
    }
}
