using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NotebookKit.Runtime;

/// <summary>
/// libtorch 2.10's oneDNN (MKLDNN) switch, which TorchSharp 0.107 does not expose (PyTorch's
/// <c>torch.backends.mkldnn.enabled</c>). oneDNN stays on: much of the CPU's training speed comes from it.
/// The one kernel that crashed: oneDNN 3.7's strided brgemm backward, which computes the input gradient of a strided
/// 1x1 convolution (ResNet-50's projection shortcuts in layer3 and layer4, 512->1024 and 1024->2048). Its set-up
/// (<c>brg_blocking_t::est_eff_1x1</c>) divides by zero when the per-core L1 data cache size that oneDNN reads from
/// CPUID is below 4 bytes x the output channels: SIGFPE, the process dies, whatever the ISA (its AVX2 variant has the same
/// set-up). It killed ResNet-50 training on an AMD EPYC virtual machine; the kit's tests reproduce it by making oneDNN
/// read a 1-byte L1 size. The kit's ResNets compute those projections as subsampling followed by a stride-1 1x1
/// convolution (<c>SubsampledProjection</c>: the same function), which oneDNN computes with other kernels.
/// <c>NBKIT_ONEDNN=off</c> turns oneDNN off everywhere; <c>on</c> keeps it on everywhere; <c>auto</c> (the default)
/// keeps it on, except during the backward pass of a model that still has a strided 1x1 convolution.
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

    /// <summary>
    /// Whether training <paramref name="model"/> needs oneDNN off during backward: with <c>NBKIT_ONEDNN=off</c>, or
    /// (auto) when the model has a strided 1x1 convolution (see the class summary). The kit's ResNets have none.
    /// </summary>
    public static bool BackwardWorkaroundNeeded(nn.Module model) => Mode switch
    {
        "on" => false,
        "off" => true,
        _ => Available && HasStridedPointwiseConvolution(model),
    };

    /// <summary>Whether <paramref name="model"/> has a 1x1 convolution with a stride above 1 (whose backward oneDNN may crash in).</summary>
    public static bool HasStridedPointwiseConvolution(nn.Module model) =>
        model.modules().OfType<Conv2d>().Any(c => c.kernel_size.All(k => k == 1) && c.stride.Any(s => s > 1));

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
