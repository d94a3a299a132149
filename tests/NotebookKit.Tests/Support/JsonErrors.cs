using System.Text.Json;

namespace NotebookKit.Tests.Support;

/// <summary>What a failed <c>nbkit ... --json</c> prints on standard output: one JSON object, the error and the exit code.</summary>
static class JsonErrors
{
    /// <summary>
    /// Asserts that standard output is exactly one JSON object <c>{"error": ..., "exit_code": ...}</c> whose exit code is
    /// the process's and whose error is what standard error said (its "nbkit: " lines, joined); returns the error.
    /// </summary>
    public static string AssertOne(ProcessResult result)
    {
        Assert.True(result.ExitCode != 0, $"it did not fail:\n{result.Tail()}");
        JsonDocument json;
        try { json = JsonDocument.Parse(result.StandardOutput); }
        catch (JsonException e) { throw new Xunit.Sdk.XunitException($"standard output is not one JSON object ({e.Message}):\n{result.Tail()}"); }
        using (json)
        {
            var root = json.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.Equal(["error", "exit_code"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(result.ExitCode, root.GetProperty("exit_code").GetInt32());
            var error = root.GetProperty("error").GetString();
            Assert.False(string.IsNullOrWhiteSpace(error));
            var said = string.Join(" ", result.StandardError.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("nbkit: ", StringComparison.Ordinal) && !l.StartsWith("nbkit: warning", StringComparison.Ordinal)).Select(l => l["nbkit: ".Length..]));
            Assert.Equal(said, error);
            return error!;
        }
    }
}
