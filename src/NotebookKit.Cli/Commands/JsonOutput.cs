using NotebookKit.Reports;

namespace NotebookKit.Cli.Commands;

/// <summary>The CLI's <c>--json</c> output: the kit's one JSON style (<see cref="ReportJson"/>) on standard output.</summary>
static class JsonOutput
{
    public static System.Text.Json.JsonSerializerOptions Options => ReportJson.Options;

    public static void Write<T>(T value) => Console.Out.WriteLine(ReportJson.Serialize(value));
}
