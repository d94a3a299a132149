using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using NotebookKit.Interactive.Formatters;

namespace NotebookKit.Interactive;

/// <summary>
/// Loaded by the kernel when a notebook references the NotebookKit package: maps FSharp.Core for
/// Plotly.NET, then registers HTML formatters for the kit's types, tensors and charts, and live training output.
/// </summary>
public sealed class NotebookKitExtension : IKernelExtension
{
    /// <inheritdoc/>
    public Task OnLoadAsync(Kernel kernel)
    {
        FSharpCoreRedirect.Install();
        RegisterFormatters();
        return Task.CompletedTask;
    }

    // Kept out of OnLoadAsync so that Plotly.NET (and so FSharp.Core) is only loaded after the redirect exists.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void RegisterFormatters()
    {
        TorchStatusFormatter.Register();
        TensorFormatter.Register();
        ChartFormatter.Register();
        ModelSummaryFormatter.Register();
        ComparisonFormatter.Register();
        DatasetFormatter.Register();
        EvaluationFormatter.Register();
        ImageFormatter.Register();
        ExportFormatter.Register();
        LiveTrainingDisplay.Install();
    }
}
