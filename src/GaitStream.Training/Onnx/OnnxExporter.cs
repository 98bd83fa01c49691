using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using GaitStream.Training.Models;
using GaitStream.Training.Onnx.Proto;
using static TorchSharp.torch;
using DataType = GaitStream.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace GaitStream.Training.Onnx;

/// <summary>
/// Writes a trained <see cref="SequenceModel"/> as an ONNX model (opset 17, IR 8, producer "GaitStream"), built node
/// by node from its weights, since TorchSharp has no exporter. Input <c>angles</c> [batch, frames, InputChannels]
/// float32 (z-scored), output <c>estimates</c> [batch, OutputChannels]: the last frame's estimate, what the service
/// serves. Both batch and frames are dynamic; the model's <see cref="ModelConfig.WindowFrames"/> is in the metadata.
/// </summary>
/// <remarks>
/// Each architecture's graph is in its own file and reproduces its TorchSharp forward in eval mode (no dropout):
/// <see cref="LstmOnnxGraph"/>, <see cref="TransformerOnnxGraph"/>, <see cref="MambaOnnxGraph"/>. Parity with
/// TorchSharp is tested on ONNX Runtime and every file is checked by onnx's own checker.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The graph input: z-scored joint angles [batch, frames, InputChannels].</summary>
    public const string InputName = "angles";

    /// <summary>The graph output: the last frame's estimate [batch, OutputChannels], standardised.</summary>
    public const string OutputName = "estimates";

    /// <summary>Optional graph output (<see cref="OnnxExportOptions.PerFrameOutput"/>): [batch, frames, OutputChannels].</summary>
    public const string PerFrameOutputName = "estimates_per_frame";

    /// <summary>Symbolic dimension names of the input and outputs.</summary>
    public const string BatchDim = "batch";

    /// <inheritdoc cref="BatchDim"/>
    public const string FramesDim = "frames";

    public const string ProducerName = "GaitStream";

    /// <summary>The ONNX opset every exported graph imports (model cards record it).</summary>
    public const int OpsetVersion = OnnxGraphBuilder.OpsetVersion;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (overwritten).</summary>
    public static void Export(SequenceModel model, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ExportToBytes(model, options);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The serialised ONNX model of <paramref name="model"/>.</summary>
    public static byte[] ExportToBytes(SequenceModel model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        var config = model.Config;
        var graphName = "gaitstream_" + config.Architecture.ToString().ToLowerInvariant();
        var graph = new OnnxGraphBuilder(graphName);

        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var stateDict = model.state_dict();
            var layers = new OnnxLayers(graph, stateDict);
            var x = graph.Input(InputName, DataType.Float, BatchDim, FramesDim, (long)config.InputChannels);
            var (lastFrame, perFrame) = config.Architecture switch
            {
                Architecture.Lstm => LstmOnnxGraph.Build(layers, config, x, options.PerFrameOutput),
                Architecture.Transformer => TransformerOnnxGraph.Build(layers, config, x, options.PerFrameOutput),
                Architecture.Mamba => MambaOnnxGraph.Build(layers, config, x, options.PerFrameOutput),
                _ => throw new ArgumentException($"No ONNX graph for architecture {config.Architecture}.", nameof(model)),
            };
            graph.Rename(lastFrame, OutputName);
            graph.Output(OutputName, DataType.Float, BatchDim, (long)config.OutputChannels);
            if (perFrame is not null)
            {
                graph.Rename(perFrame, PerFrameOutputName);
                graph.Output(PerFrameOutputName, DataType.Float, BatchDim, FramesDim, (long)config.OutputChannels);
            }
        }

        var onnx = new ModelProto
        {
            IrVersion = OnnxGraphBuilder.IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = options.ProducerVersion ?? AssemblyVersion(),
            Domain = "org.gaitstream",
            ModelVersion = 1,
            DocString = $"GaitStream {config.Architecture} ({model.ParameterCount().ToString(CultureInfo.InvariantCulture)} parameters): " +
                        $"z-scored angles [{BatchDim}, {FramesDim}, {config.InputChannels}] to the last frame's standardised estimates [{BatchDim}, {config.OutputChannels}].",
            Graph = graph.Graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxGraphBuilder.OpsetVersion });
        AddMetadata(onnx, "gaitstream.architecture", config.Architecture.ToString());
        AddMetadata(onnx, "gaitstream.window_frames", config.WindowFrames.ToString(CultureInfo.InvariantCulture));
        AddMetadata(onnx, "gaitstream.model_config", JsonSerializer.Serialize(config));
        foreach (var (key, value) in options.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.StartsWith("gaitstream.", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metadata key '{key}' is reserved: keys starting with 'gaitstream.' are written by the exporter.", nameof(options));
            }
            AddMetadata(onnx, key, value);
        }
        return onnx.ToByteArray();
    }

    private static void AddMetadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });

    private static string AssemblyVersion() =>
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString()
        ?? "0";
}
