using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Training.Models;
using TorchSharp;

namespace GaitStream.Trainer;

/// <summary>
/// What travels with a trained model's weights (<c>model.pt</c>) as <c>model.json</c>: the architecture config, how
/// trials are put on the model grid, the input and output channels with units, the z-score statistics fitted on the
/// training subjects, the split and seed, the dataset, and the test metrics. Everything needed to run the model on
/// new data exactly as it was evaluated; the seed of the later model card.
/// </summary>
public sealed record ModelCard(
    string Dataset,
    ModelConfig Config,
    PreprocessingOptions Preprocessing,
    IReadOnlyList<string> InputChannels,
    IReadOnlyList<string> OutputChannels,
    ZScoreStatistics InputStatistics,
    ZScoreStatistics OutputStatistics,
    SubjectSplit Split,
    int Seed)
{
    public const string FormatName = "gaitstream-model/1";
    public const string CardFile = "model.json";
    public const string WeightsFile = "model.pt";

    /// <summary>Trainable parameters of the model.</summary>
    public long Parameters { get; init; }

    /// <summary>Training options and outcome (written, not read back).</summary>
    public JsonObject? Training { get; init; }

    /// <summary>Metrics on the test subjects (written, not read back).</summary>
    public MetricsReport? Metrics { get; init; }

    /// <summary>The window the model was trained on, in frames at <see cref="PreprocessingOptions.SampleRateHz"/>.</summary>
    public WindowSpec EvaluationWindow => new(Config.WindowFrames, strideFrames: 1);

    /// <summary>Preprocessing that yields exactly this model's outputs from a trial that has them (forces only when it estimates forces).</summary>
    public PreprocessingOptions PreprocessingForOutputs => Preprocessing with
    {
        IncludeMoments = OutputChannels.Any(c => ChannelSchema.KindOf(c) == ChannelKind.Moment),
        IncludeForces = OutputChannels.Any(c => ChannelSchema.KindOf(c) == ChannelKind.Force),
    };

    public JsonObject ToJsonNode() => new()
    {
        ["format"] = FormatName,
        ["dataset"] = Dataset,
        ["architecture"] = Config.Architecture.ToString(),
        ["parameters"] = Parameters,
        ["config"] = JsonSerializer.SerializeToNode(Config, ProtocolJson.Options),
        ["preprocessing"] = JsonSerializer.SerializeToNode(Preprocessing, ProtocolJson.Options),
        ["window"] = new JsonObject
        {
            ["frames"] = Config.WindowFrames,
            ["seconds"] = Config.WindowFrames / Preprocessing.SampleRateHz,
            ["sample_rate_hz"] = Preprocessing.SampleRateHz,
            ["causal"] = true,
            ["estimate"] = "last frame of each window",
        },
        ["inputs"] = Channels(InputChannels),
        ["outputs"] = Channels(OutputChannels),
        ["input_zscore"] = JsonNode.Parse(InputStatistics.ToJson()),
        ["output_zscore"] = JsonNode.Parse(OutputStatistics.ToJson()),
        ["split"] = JsonSerializer.SerializeToNode(Split, ProtocolJson.Options),
        ["seed"] = Seed,
        ["training"] = Training?.DeepClone(),
        ["metrics"] = Metrics is null ? null : JsonSerializer.SerializeToNode(Metrics, ProtocolJson.Options),
    };

    /// <summary>Writes <c>model.json</c> and <c>model.pt</c> into <paramref name="directory"/>.</summary>
    public void Save(string directory, SequenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        model.save(Path.Combine(directory, WeightsFile));
        File.WriteAllText(Path.Combine(directory, CardFile), ToJsonNode().ToJsonString(ProtocolJson.Options));
    }

    /// <summary>Reads <c>model.json</c> from <paramref name="directory"/>; bad input (missing file, wrong format) throws naming the file.</summary>
    public static ModelCard Load(string directory)
    {
        string path = Path.Combine(directory, CardFile);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Model folder not found: '{directory}'. Pass the --out folder of 'train' (or a model folder of 'benchmark').");
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{directory}' has no {CardFile}; pass the --out folder of 'train' (or a model folder of 'benchmark').", path);
        }
        if (!File.Exists(Path.Combine(directory, WeightsFile)))
        {
            throw new FileNotFoundException($"'{directory}' has {CardFile} but no {WeightsFile} (the weights); the model folder is incomplete.", Path.Combine(directory, WeightsFile));
        }
        try
        {
            JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException("the file is 'null'");
            string format = root["format"]?.GetValue<string>() ?? "(none)";
            if (format != FormatName)
            {
                throw new InvalidDataException($"format is '{format}'; this build reads '{FormatName}'");
            }
            ModelConfig config = Required<ModelConfig>(root, "config").Validate();
            PreprocessingOptions preprocessing = Required<PreprocessingOptions>(root, "preprocessing");
            preprocessing.Validate();
            var inputs = ChannelNames(root, "inputs");
            var outputs = ChannelNames(root, "outputs");
            var inputStats = ZScoreStatistics.FromJson(Node(root, "input_zscore").ToJsonString());
            var outputStats = ZScoreStatistics.FromJson(Node(root, "output_zscore").ToJsonString());
            inputStats.EnsureChannels(inputs);
            outputStats.EnsureChannels(outputs);
            if (config.InputChannels != inputs.Count || config.OutputChannels != outputs.Count)
            {
                throw new InvalidDataException(
                    $"config has {config.InputChannels} inputs → {config.OutputChannels} outputs but the card lists {inputs.Count} → {outputs.Count} channels");
            }
            return new ModelCard(
                root["dataset"]?.GetValue<string>() ?? "", config, preprocessing, inputs, outputs, inputStats, outputStats,
                Required<SubjectSplit>(root, "split"), root["seed"]?.GetValue<int>() ?? 0)
            {
                Parameters = root["parameters"]?.GetValue<long>() ?? 0,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Builds the model the card describes and loads its weights from <c>model.pt</c>.</summary>
    public SequenceModel LoadModel(string directory)
    {
        string path = Path.Combine(directory, WeightsFile);
        SequenceModel model = SequenceModel.Create(Config);
        try
        {
            model.load(path, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            model.Dispose();
            throw new InvalidDataException($"{path}: the weights do not fit the {Config.Architecture} described in {CardFile} ({e.Message}).", e);
        }
        model.eval();
        return model;
    }

    private static JsonArray Channels(IReadOnlyList<string> names) =>
        [.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["kind"] = ChannelSchema.KindOf(n).ToString(), ["unit"] = ChannelSchema.UnitOf(n) })];

    private static List<string> ChannelNames(JsonNode root, string key) =>
        [.. Node(root, key).AsArray().Select(c => c?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"'{key}' has an entry without a name"))];

    private static JsonNode Node(JsonNode root, string key) => root[key] ?? throw new InvalidDataException($"'{key}' is missing");

    private static T Required<T>(JsonNode root, string key) =>
        Node(root, key).Deserialize<T>(ProtocolJson.Options) ?? throw new InvalidDataException($"'{key}' is null");
}
