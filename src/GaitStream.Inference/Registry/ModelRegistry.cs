using System.Globalization;
using System.Text.Json;
using GaitStream.Inference.Cards;
using Microsoft.ML.OnnxRuntime;

namespace GaitStream.Inference.Registry;

/// <summary>
/// The models a process can serve: every <c>NAME.json</c> card in one folder with its <c>NAME.onnx</c>.
/// <see cref="List"/> scans the folder and never lets one broken model hide the others (each goes to
/// <see cref="Problems"/>); <see cref="Load"/> verifies one model end to end: the card parses, the file's SHA-256 is the
/// card's, and the graph's input/output shapes and GaitStream metadata agree with the card's channels.
/// </summary>
public sealed class ModelRegistry
{
    /// <summary>The graph's input (z-scored angles [batch, frames, inputs]) and output (standardised estimates [batch, outputs]).</summary>
    public const string InputName = "angles";

    /// <inheritdoc cref="InputName"/>
    public const string OutputName = "estimates";

    /// <summary>ONNX metadata written by GaitStream's exporter.</summary>
    public const string ArchitectureKey = "gaitstream.architecture";

    /// <inheritdoc cref="ArchitectureKey"/>
    public const string ModelConfigKey = "gaitstream.model_config";

    /// <inheritdoc cref="ArchitectureKey"/>
    public const string WindowFramesKey = "gaitstream.window_frames";

    /// <summary>Metadata the export command adds: the channel lists, comma-separated, in graph order.</summary>
    public const string InputChannelsKey = "input_channels";

    /// <inheritdoc cref="InputChannelsKey"/>
    public const string OutputChannelsKey = "output_channels";

    private volatile IReadOnlyList<ModelProblem> _problems = [];

    public ModelRegistry(ModelRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Directory, "ModelRegistryOptions.Directory");
        Directory = options.Directory;
    }

    public ModelRegistry(string directory)
        : this(new ModelRegistryOptions { Directory = directory })
    {
    }

    public string Directory { get; }

    /// <summary>What the last <see cref="List"/> found wrong: unreadable cards, missing ONNX files, ONNX files without a card.</summary>
    public IReadOnlyList<ModelProblem> Problems => _problems;

    /// <summary>Scans the folder: the cards that parse and have their ONNX file, by name. Does not hash (see <see cref="Load"/>).</summary>
    public IReadOnlyList<ModelCard> List()
    {
        var problems = new List<ModelProblem>();
        var cards = new List<ModelCard>();
        if (!System.IO.Directory.Exists(Directory))
        {
            problems.Add(new ModelProblem(Directory, $"The models folder '{Path.GetFullPath(Directory)}' does not exist."));
            _problems = problems;
            return cards;
        }
        var described = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*" + ModelCard.CardExtension).Order(StringComparer.Ordinal))
        {
            try
            {
                ModelCard card = ModelCard.Load(path);
                string expected = Path.GetFileNameWithoutExtension(path);
                if (card.Name != expected)
                {
                    throw new InvalidDataException($"{path}: the card's name is '{card.Name}' but its file is {expected}{ModelCard.CardExtension}");
                }
                described.Add(card.OnnxFile);
                string onnx = Path.Combine(Directory, card.OnnxFile);
                if (!File.Exists(onnx))
                {
                    throw new FileNotFoundException($"{path}: its ONNX file '{onnx}' is missing.", onnx);
                }
                cards.Add(card);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new ModelProblem(path, e.Message));
            }
        }
        foreach (string onnx in System.IO.Directory.EnumerateFiles(Directory, "*" + ModelCard.OnnxExtension).Order(StringComparer.Ordinal))
        {
            if (!described.Contains(Path.GetFileName(onnx)))
            {
                problems.Add(new ModelProblem(onnx, $"{onnx} has no model card ({Path.GetFileNameWithoutExtension(onnx)}{ModelCard.CardExtension}); it is not served."));
            }
        }
        _problems = problems;
        return cards;
    }

    /// <summary>
    /// Loads and verifies model <paramref name="name"/>. Throws <see cref="ModelLoadException"/> with a sentence
    /// naming the file: no such model, unreadable card, missing ONNX file, hash mismatch (expected and actual), or a
    /// graph whose shapes or metadata disagree with the card.
    /// </summary>
    public RegisteredModel Load(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
        {
            throw new ModelLoadException($"'{name}' is not a model name.");
        }
        string cardPath = Path.Combine(Directory, name + ModelCard.CardExtension);
        if (!File.Exists(cardPath))
        {
            string available = System.IO.Directory.Exists(Directory)
                ? string.Join(", ", System.IO.Directory.EnumerateFiles(Directory, "*" + ModelCard.CardExtension).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
                : "(the folder does not exist)";
            throw new ModelLoadException($"No model '{name}' in '{Path.GetFullPath(Directory)}': {cardPath} does not exist. Available: {(available.Length == 0 ? "none" : available)}.");
        }
        ModelCard card;
        try
        {
            card = ModelCard.Load(cardPath);
        }
        catch (InvalidDataException e)
        {
            throw new ModelLoadException(e.Message, e);
        }
        string onnxPath = Path.Combine(Directory, card.OnnxFile);
        if (!File.Exists(onnxPath))
        {
            throw new ModelLoadException($"{cardPath}: its ONNX file '{onnxPath}' is missing.");
        }
        byte[] bytes = File.ReadAllBytes(onnxPath);
        string actual = ModelCard.Sha256Of(bytes);
        if (!string.Equals(actual, card.OnnxSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException(
                $"{onnxPath}: SHA-256 mismatch: the card {cardPath} expects {card.OnnxSha256} but the file's is {actual}. The file was changed or replaced after export; re-export the model.");
        }
        CheckGraph(card, bytes, onnxPath);
        return new RegisteredModel(card, cardPath, onnxPath, bytes);
    }

    /// <summary>Opens the graph on the CPU without optimising it and compares it with the card.</summary>
    internal static void CheckGraph(ModelCard card, byte[] onnx, string onnxPath)
    {
        InferenceSession session;
        try
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            session = new InferenceSession(onnx, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{onnxPath}: ONNX Runtime cannot load the file ({e.Message}).", e);
        }
        using (session)
        {
            var problems = new List<string>();
            int inputs = card.Inputs.Count;
            int outputs = card.Outputs.Count;
            if (!session.InputMetadata.TryGetValue(InputName, out var input))
            {
                problems.Add($"the graph has no input '{InputName}' (inputs: {string.Join(", ", session.InputMetadata.Keys)})");
            }
            else if (input.ElementType != typeof(float) || input.Dimensions.Length != 3 || input.Dimensions[2] != inputs)
            {
                problems.Add($"input '{InputName}' is {Shape(input)} but the card needs float [batch, frames, {inputs}]");
            }
            if (!session.OutputMetadata.TryGetValue(OutputName, out var output))
            {
                problems.Add($"the graph has no output '{OutputName}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)})");
            }
            else if (output.ElementType != typeof(float) || output.Dimensions.Length != 2 || output.Dimensions[1] != outputs)
            {
                problems.Add($"output '{OutputName}' is {Shape(output)} but the card lists {outputs} output channels");
            }

            var metadata = session.ModelMetadata.CustomMetadataMap;
            if (!metadata.TryGetValue(ModelConfigKey, out string? configJson))
            {
                problems.Add($"the graph has no '{ModelConfigKey}' metadata (not written by GaitStream's exporter?)");
            }
            else
            {
                CompareConfig(card, configJson, problems);
            }
            if (metadata.TryGetValue(ArchitectureKey, out string? architecture) && !string.Equals(architecture, card.Architecture.Architecture, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"the graph is a {architecture} but the card says {card.Architecture.Architecture}");
            }
            CompareChannels(metadata, InputChannelsKey, card.Inputs.Select(c => c.Name), problems);
            CompareChannels(metadata, OutputChannelsKey, card.Outputs.Select(c => c.Name), problems);
            if (problems.Count > 0)
            {
                throw new ModelLoadException($"{onnxPath} does not match its card ({card.Name}{ModelCard.CardExtension}): {string.Join("; ", problems)}.");
            }
        }
    }

    private static void CompareConfig(ModelCard card, string configJson, List<string> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(configJson);
        }
        catch (JsonException e)
        {
            problems.Add($"'{ModelConfigKey}' is not JSON ({e.Message})");
            return;
        }
        using var owner = document;
        JsonElement config = document.RootElement;
        void Compare(string field, int expected)
        {
            if (config.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt32() != expected)
            {
                problems.Add($"the graph's {field} is {value.GetInt32().ToString(CultureInfo.InvariantCulture)} but the card's is {expected.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        Compare("InputChannels", card.Inputs.Count);
        Compare("OutputChannels", card.Outputs.Count);
        Compare("WindowFrames", card.WindowFrames);
        Compare("ModelDim", card.Architecture.ModelDim);
        Compare("Layers", card.Architecture.Layers);
    }

    private static void CompareChannels(Dictionary<string, string> metadata, string key, IEnumerable<string> cardChannels, List<string> problems)
    {
        if (!metadata.TryGetValue(key, out string? listed))
        {
            return;
        }
        string expected = string.Join(",", cardChannels);
        if (listed != expected)
        {
            problems.Add($"the graph's {key} are [{listed}] but the card lists [{expected}]");
        }
    }

    private static string Shape(NodeMetadata node) =>
        $"{node.ElementType.Name} [{string.Join(", ", node.Dimensions.Select((d, i) => d < 0 ? (node.SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?") : d.ToString(CultureInfo.InvariantCulture)))}]";
}
