using System.Text.Json;
using System.Text.Json.Serialization;

namespace NotebookKit;

/// <summary>
/// The one JSON style of the kit's files and <c>--json</c> output: snake_case names, enums as snake_case strings,
/// indented, NaN and infinities as named literals (a run without validation has NaN accuracies).
/// </summary>
public static class KitJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The value as JSON text.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The value as one line of JSON (for JSON-lines logs).</summary>
    public static string SerializeLine<T>(T value) => JsonSerializer.Serialize(value, Compact);

    /// <summary>Reads JSON text written by <see cref="Serialize"/> or <see cref="SerializeLine"/>.</summary>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };
}
