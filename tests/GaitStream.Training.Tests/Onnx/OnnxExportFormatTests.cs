using System.Text.Json;
using GaitStream.Training.Models;
using GaitStream.Training.Onnx;
using GaitStream.Training.Onnx.Proto;
using GaitStream.Training.Runtime;
using GaitStream.Training.Tests.Models;
using Google.Protobuf;
using static TorchSharp.torch;
using DataType = GaitStream.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace GaitStream.Training.Tests.Onnx;

/// <summary>What an exported file declares: opset 17, producer, dynamic batch and frames, float32 weights that are
/// exactly the model's parameters, the model config in the metadata, and a size near 4 bytes per parameter.</summary>
[Collection(TorchGlobalRng.Name)]
public sealed class OnnxExportFormatTests
{
    // Every operator the three graphs use; all exist in opset 17 (no Gelu, no SiLU: both are built from primitives).
    private static readonly HashSet<string> Opset17Operators =
    [
        "Add", "Cast", "Concat", "Conv", "Cos", "Div", "Erf", "Exp", "Expand", "Gather", "Greater", "LSTM",
        "LayerNormalization", "MatMul", "Mul", "Neg", "Range", "Reshape", "Scan", "Shape", "Sigmoid", "Sin", "Softmax",
        "Softplus", "Split", "Squeeze", "Transpose", "Unsqueeze", "Where",
    ];

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void The_file_declares_opset_17_dynamic_batch_and_the_model_config(Architecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(1);
        var config = ModelConfig.Default(architecture, outputChannels: 22, windowFrames: 150);
        using var model = SequenceModel.Create(config);
        var bytes = OnnxExporter.ExportToBytes(model, new OnnxExportOptions { ProducerVersion = "test", Metadata = new Dictionary<string, string> { ["card"] = "x" } });
        var onnx = ModelProto.Parser.ParseFrom(bytes);

        Assert.Equal(8, onnx.IrVersion);
        Assert.Equal("GaitStream", onnx.ProducerName);
        Assert.Equal("test", onnx.ProducerVersion);
        var opset = Assert.Single(onnx.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));

        var input = Assert.Single(onnx.Graph.Input);
        Assert.Equal("angles", input.Name);
        Assert.Equal((int)DataType.Float, input.Type.TensorType.ElemType);
        Assert.Equal(["batch", "frames", "10"], input.Type.TensorType.Shape.Dim.Select(Describe));
        var output = Assert.Single(onnx.Graph.Output);
        Assert.Equal("estimates", output.Name);
        Assert.Equal(["batch", "22"], output.Type.TensorType.Shape.Dim.Select(Describe));

        var metadata = onnx.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(architecture.ToString(), metadata["gaitstream.architecture"]);
        Assert.Equal("150", metadata["gaitstream.window_frames"]);
        Assert.Equal(config, JsonSerializer.Deserialize<ModelConfig>(metadata["gaitstream.model_config"]));
        Assert.Equal("x", metadata["card"]);

        // Weights are float32 and are the model's parameters, each stored once (the Transformer adds its d/2
        // position frequencies); everything else is a small int64 or scalar constant.
        var floats = onnx.Graph.Initializer.Where(t => t.DataType == (int)DataType.Float && t.Dims.Count > 0).Sum(t => t.RawData.Length / 4L);
        var extra = architecture == Architecture.Transformer ? config.ModelDim / 2 : 0;
        Assert.Equal(model.ParameterCount() + extra, floats);
        Assert.All(onnx.Graph.Initializer, t => Assert.True(t.DataType is (int)DataType.Float or (int)DataType.Int64, t.Name));
        Assert.InRange(bytes.Length, 4 * model.ParameterCount(), (4 * model.ParameterCount()) + (48 * 1024));

        var operators = AllNodes(onnx.Graph).Select(n => n.OpType).ToHashSet();
        Assert.Subset(Opset17Operators, operators);
        Assert.All(AllNodes(onnx.Graph), n => Assert.True(string.IsNullOrEmpty(n.Domain), n.Name));
    }

    [Fact]
    public void Reserved_metadata_keys_are_refused()
    {
        TorchRuntime.EnsureInitialized();
        using var model = SequenceModel.Create(ModelConfig.Default(Architecture.Lstm, 6));
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToBytes(
            model, new OnnxExportOptions { Metadata = new Dictionary<string, string> { ["gaitstream.architecture"] = "Mamba" } }));
        Assert.Contains("reserved", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checker_rejects_a_graph_that_reads_a_value_nobody_produces()
    {
        // The checker is only a safeguard if it can fail: an otherwise valid model with a dangling input must be refused.
        var graph = new OnnxGraphBuilder("broken");
        var x = graph.Input("angles", DataType.Float, "batch", 10L);
        var y = graph.Node("Add", "broken", [x, "missing_value"]);
        graph.Rename(y, "estimates");
        graph.Output("estimates", DataType.Float, "batch", 10L);
        var onnx = new ModelProto { IrVersion = OnnxGraphBuilder.IrVersion, ProducerName = "GaitStream", Graph = graph.Graph };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxGraphBuilder.OpsetVersion });
        var path = Path.Combine(Path.GetTempPath(), $"gaitstream-broken-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, onnx.ToByteArray());
            var (code, output) = OnnxChecker.Run(path);
            Assert.NotEqual(0, code);
            Assert.Contains("missing_value", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Describe(TensorShapeProto.Types.Dimension d) =>
        d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<NodeProto> AllNodes(GraphProto graph) =>
        graph.Node.SelectMany(n => n.Attribute.Where(a => a.G is not null).SelectMany(a => AllNodes(a.G)).Prepend(n));
}
