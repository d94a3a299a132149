using NotebookKit.Reports;

namespace NotebookKit.Cli.Commands;

/// <summary>The CLI's <c>--json</c> output: the kit's one JSON style (<see cref="KitJson"/>) on standard output.</summary>
static class JsonOutput
{
    public static System.Text.Json.JsonSerializerOptions Options => KitJson.Options;

    public static void Write<T>(T value) => Console.Out.WriteLine(KitJson.Serialize(value));
}
