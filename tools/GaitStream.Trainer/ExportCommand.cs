using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GaitStream.Core.Schema;
using GaitStream.Inference.Cards;
using GaitStream.Inference.Registry;
using GaitStream.Training.Models;
using GaitStream.Training.Onnx;
using Spectre.Console;
using InferenceCard = GaitStream.Inference.Cards.ModelCard;

namespace GaitStream.Trainer;

/// <summary>
/// <c>export</c>: a trained model folder (<c>model.pt</c> + <c>model.json</c>) → <c>NAME.onnx</c> and its model card
/// <c>NAME.json</c> in a models folder, then loads it back through <see cref="ModelRegistry"/> (hash, shapes, metadata)
/// so a bad export never ships.
/// </summary>
internal static partial class ExportCommand
{
    public static int Run(IAnsiConsole console, string modelDir, string outDir, string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"--name '{name}' is not a model name: use letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        ModelCard trained = ModelCard.Load(modelDir);
        using SequenceModel model = trained.LoadModel(modelDir);
        Directory.CreateDirectory(outDir);
        string onnxFile = name + InferenceCard.OnnxExtension;
        string onnxPath = Path.Combine(outDir, onnxFile);
        OnnxExporter.Export(model, onnxPath, new OnnxExportOptions
        {
            Metadata = new Dictionary<string, string>
            {
                ["model_name"] = name,
                [ModelRegistry.InputChannelsKey] = string.Join(",", trained.InputChannels),
                [ModelRegistry.OutputChannelsKey] = string.Join(",", trained.OutputChannels),
            },
        });
        InferenceCard card = ToInferenceCard(trained, name, onnxFile, InferenceCard.Sha256Of(onnxPath), ReadMetrics(modelDir));
        string cardPath = card.Save(outDir);

        RegisteredModel check = new ModelRegistry(outDir).Load(name);
        console.MarkupLineInterpolated($"Exported {trained.Config.Architecture} ({trained.Parameters:N0} parameters, {card.Inputs.Count} → {card.Outputs.Count} channels, {card.WindowFrames} frames at {card.SampleRateHz:0.#} Hz)");
        console.MarkupLineInterpolated($"Wrote [blue]{onnxPath}[/] ({check.OnnxModel.Length / 1024.0:0.#} KiB, SHA-256 {card.OnnxSha256[..16]}…) and [blue]{cardPath}[/]");
        return TrainerCli.ExitOk;
    }

    /// <summary>The serving card of a trained model's card.</summary>
    public static InferenceCard ToInferenceCard(ModelCard trained, string name, string onnxFile, string sha256, JsonObject? metrics)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ModelConfig c = trained.Config;
        return new InferenceCard
        {
            Name = name,
            Architecture = new ModelArchitecture(c.Architecture.ToString(), c.InputChannels, c.OutputChannels, c.ModelDim, c.Layers, c.WindowFrames,
                c.Dropout, c.Heads, c.FeedForwardDim, c.StateSize, c.ConvKernel, c.Expand, c.DeltaRank),
            Parameters = trained.Parameters,
            Inputs = [.. trained.InputChannels.Select(n => new Channel(n, ChannelSchema.KindOf(n), ChannelSchema.UnitOf(n)))],
            Outputs = [.. trained.OutputChannels.Select(n => new Channel(n, ChannelSchema.KindOf(n), ChannelSchema.UnitOf(n)))],
            SampleRateHz = trained.Preprocessing.SampleRateHz,
            WindowFrames = c.WindowFrames,
            InputStatistics = trained.InputStatistics,
            OutputStatistics = trained.OutputStatistics,
            Preprocessing = trained.PreprocessingForOutputs,
            Provenance = new ModelProvenance(trained.Dataset, trained.Seed, trained.Split),
            Metrics = metrics,
            Opset = OnnxExporter.OpsetVersion,
            OnnxFile = onnxFile,
            OnnxSha256 = sha256,
            CreatedBy = $"gaitstream-trainer {CreatedByVersion}",
            CreatedUtc = DateTimeOffset.UtcNow,
        };
    }

    private static string CreatedByVersion =>
        typeof(ExportCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    /// <summary>The test metrics <c>train</c>/<c>benchmark</c> wrote into <c>model.json</c> (the trainer's card does not read them back).</summary>
    private static JsonObject? ReadMetrics(string modelDir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(modelDir, ModelCard.CardFile)))?["metrics"]?.DeepClone() as JsonObject;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
