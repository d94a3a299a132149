using NotebookKit.Reports;

namespace NotebookKit.Cli.Commands;

/// <summary>The CLI's <c>--json</c> output: the kit's one JSON style (<see cref="KitJson"/>) on standard output.</summary>
static class JsonOutput
{
    public static System.Text.Json.JsonSerializerOptions Options => KitJson.Options;

    /// <summary>Writes <paramref name="value"/>: the one JSON object of this process (a failure after it adds no error object).</summary>
    public static void Write<T>(T value)
    {
        CliErrors.JsonWritten();
        Console.Out.WriteLine(KitJson.Serialize(value));
    }
}
