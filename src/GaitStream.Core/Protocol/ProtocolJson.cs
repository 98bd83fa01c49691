using System.Text.Json;
using System.Text.Json.Serialization;

namespace GaitStream.Core.Protocol;

/// <summary>
/// JSON settings for protocol artefacts (<see cref="SubjectSplit"/>, <see cref="MetricsReport"/>): enums as
/// names, indented, and NaN written as the literal <c>"NaN"</c> because an undefined R² is a real outcome.
/// </summary>
public static class ProtocolJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        JsonSerializerOptions options = new(JsonSerializerDefaults.General)
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
