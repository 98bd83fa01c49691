using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Schema;

namespace GaitStream.Inference.Cards;

/// <summary>
/// What a served model is: <c>NAME.json</c> beside <c>NAME.onnx</c>. The graph takes z-scored angles
/// [batch, frames, inputs] and returns standardised last-frame estimates [batch, outputs]; the card says which channels
/// (with units), which statistics undo the standardisation, how trials were put on the model grid, where the weights
/// came from, how they scored, and the SHA-256 of the exact ONNX file it describes.
/// </summary>
public sealed record ModelCard
{
    /// <summary>The card format this build reads and writes; a different <see cref="SchemaVersion"/> is refused.</summary>
    public const int CurrentSchemaVersion = 1;

    public const string CardExtension = ".json";
    public const string OnnxExtension = ".onnx";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The registry name; the card is <c>Name.json</c>.</summary>
    public required string Name { get; init; }

    public required ModelArchitecture Architecture { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>Input channels in graph order (joint angles, degrees before z-scoring).</summary>
    public required IReadOnlyList<Channel> Inputs { get; init; }

    /// <summary>Output channels in graph order (moments N·m/kg, group forces N/kg after de-standardising).</summary>
    public required IReadOnlyList<Channel> Outputs { get; init; }

    public required double SampleRateHz { get; init; }

    /// <summary>Causal window length L the model was trained for; the estimate is the last frame's.</summary>
    public required int WindowFrames { get; init; }

    /// <summary>Applied to the raw angles before the graph (fitted on the training subjects).</summary>
    public required ZScoreStatistics InputStatistics { get; init; }

    /// <summary>Inverted on the graph's outputs to give per-kg physical units.</summary>
    public required ZScoreStatistics OutputStatistics { get; init; }

    /// <summary>How trials were resampled and filtered before windows were cut.</summary>
    public required PreprocessingOptions Preprocessing { get; init; }

    public required ModelProvenance Provenance { get; init; }

    /// <summary>The benchmark protocol's metrics on the test subjects (<c>MetricsReport</c> JSON), when known.</summary>
    public JsonObject? Metrics { get; init; }

    /// <summary>ONNX opset of the graph.</summary>
    public required int Opset { get; init; }

    /// <summary>The ONNX file name, relative to the card's folder.</summary>
    public required string OnnxFile { get; init; }

    /// <summary>SHA-256 of the ONNX file, lower-case hex.</summary>
    public required string OnnxSha256 { get; init; }

    /// <summary>The tool and version that wrote the card, e.g. <c>gaitstream-trainer 1.0.0</c>.</summary>
    public required string CreatedBy { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>JSON settings of cards: snake_case names, enums as names, indented, NaN as a literal (an undefined R² is real).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a card; <paramref name="source"/> (a path) prefixes every error message.</summary>
    public static ModelCard FromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using (var probe = JsonDocument.Parse(json))
            {
                if (probe.RootElement.ValueKind == JsonValueKind.Object
                    && probe.RootElement.TryGetProperty("schema_version", out var v) && v.ValueKind == JsonValueKind.Number
                    && v.GetInt32() != CurrentSchemaVersion)
                {
                    throw new InvalidDataException($"schema_version is {v.GetInt32()}; this build reads version {CurrentSchemaVersion}");
                }
            }
            ModelCard card = JsonSerializer.Deserialize<ModelCard>(json, JsonOptions) ?? throw new InvalidDataException("the card is 'null'");
            card.Validate();
            return card;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Reads a card file; a missing or malformed file throws naming it.</summary>
    public static ModelCard Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model card not found: '{path}'.", path);
        }
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Writes <c>Name.json</c> into <paramref name="directory"/> and returns its path.</summary>
    public string Save(string directory)
    {
        Validate();
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, Name + CardExtension);
        File.WriteAllText(path, ToJson());
        return path;
    }

    /// <summary>SHA-256 of a file, lower-case hex, as <see cref="OnnxSha256"/> holds it.</summary>
    public static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <inheritdoc cref="Sha256Of(string)"/>
    public static string Sha256Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Throws <see cref="InvalidDataException"/> with a sentence when the card contradicts itself.</summary>
    public void Validate()
    {
        if (SchemaVersion != CurrentSchemaVersion)
        {
            throw new InvalidDataException($"schema_version is {SchemaVersion}; this build reads version {CurrentSchemaVersion}");
        }
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new InvalidDataException($"name '{Name}' is not a valid model name (a file name without a folder)");
        }
        if (Architecture is null || Inputs is null || Outputs is null || InputStatistics is null || OutputStatistics is null || Preprocessing is null || Provenance is null)
        {
            throw new InvalidDataException("architecture, inputs, outputs, input_statistics, output_statistics, preprocessing and provenance are all required");
        }
        if (Inputs.Count != Architecture.InputChannels || Outputs.Count != Architecture.OutputChannels)
        {
            throw new InvalidDataException(
                $"the architecture has {Architecture.InputChannels} inputs → {Architecture.OutputChannels} outputs but the card lists {Inputs.Count} → {Outputs.Count} channels");
        }
        if (WindowFrames < 1 || WindowFrames != Architecture.WindowFrames)
        {
            throw new InvalidDataException($"window_frames is {WindowFrames} but the architecture's is {Architecture.WindowFrames}");
        }
        if (!(SampleRateHz > 0) || SampleRateHz != Preprocessing.SampleRateHz)
        {
            throw new InvalidDataException($"sample_rate_hz is {SampleRateHz} but the preprocessing's is {Preprocessing.SampleRateHz}");
        }
        CheckChannels("inputs", Inputs, InputStatistics);
        CheckChannels("outputs", Outputs, OutputStatistics);
        if (string.IsNullOrWhiteSpace(OnnxFile) || Path.GetFileName(OnnxFile) != OnnxFile)
        {
            throw new InvalidDataException($"onnx_file '{OnnxFile}' must be a file name beside the card");
        }
        if (OnnxSha256 is null || OnnxSha256.Length != 64 || !OnnxSha256.All(Uri.IsHexDigit))
        {
            throw new InvalidDataException($"onnx_sha256 '{OnnxSha256}' is not a SHA-256 in hex");
        }
    }

    private static void CheckChannels(string key, IReadOnlyList<Channel> channels, ZScoreStatistics statistics)
    {
        foreach (Channel c in channels)
        {
            string unit = ChannelSchema.UnitOf(c.Name);
            if (c.Kind != ChannelSchema.KindOf(c.Name) || c.Unit != unit)
            {
                throw new InvalidDataException($"{key}: channel '{c.Name}' is {ChannelSchema.KindOf(c.Name)} in {unit}, not {c.Kind} in {c.Unit}");
            }
        }
        try
        {
            statistics.EnsureChannels([.. channels.Select(c => c.Name)]);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{key} do not match their z-score statistics: {e.Message}", e);
        }
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        JsonSerializerOptions options = new(JsonSerializerDefaults.General)
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectRequiredConstructorParameters = true,
            Converters = { new JsonStringEnumConverter(), new ZScoreStatisticsJsonConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
