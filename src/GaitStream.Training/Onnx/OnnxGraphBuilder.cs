using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using GaitStream.Training.Onnx.Proto;
using static TorchSharp.torch;

namespace GaitStream.Training.Onnx;

/// <summary>
/// Writes one ONNX graph node by node: float32 initializers from TorchSharp tensors, int64 and scalar constants,
/// nodes with unique output names, typed inputs and outputs (a dimension is a number or a symbolic name such as
/// "batch"). Knows nothing of models; <see cref="OnnxExporter"/> composes the architectures from it.
/// </summary>
/// <remarks>Values are named by the caller's prefix plus a counter, so a graph reads like the module tree.</remarks>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The ONNX operator set every node binds to: 17, the newest that onnx 1.12's checker knows.</summary>
    public const int OpsetVersion = 17;

    /// <summary>IR version 8, the one that goes with opset 17.</summary>
    public const int IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    private readonly string _constantPrefix;

    /// <param name="graphName">The graph's name.</param>
    /// <param name="constantPrefix">Prefix of the constants' names. A subgraph (a Scan body) needs its own: ONNX
    /// forbids a subgraph value to shadow a name of the enclosing graph.</param>
    public OnnxGraphBuilder(string graphName, string constantPrefix = "")
    {
        _graph = new GraphProto { Name = graphName };
        _constantPrefix = constantPrefix;
    }

    /// <summary>A float32 initializer holding <paramref name="tensor"/>'s values (copied to the CPU, contiguous).</summary>
    public string Initializer(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var cpu = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return Initializer(name, cpu.data<float>().ToArray(), cpu.shape);
    }

    /// <summary>A float32 initializer with the given row-major values and shape.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims)
    {
        CheckCount(values.Length, dims, name);
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)TensorProto.Types.DataType.Float, RawData = LittleEndian(values) };
        tensor.Dims.AddRange(dims.ToArray());
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, split sizes), shared between nodes that use the same values.</summary>
    public string Int64s(params long[] values)
    {
        var key = "i64:" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        if (_constants.TryGetValue(key, out var existing))
        {
            return existing;
        }
        var tensor = new TensorProto { Name = Claim(_constantPrefix + "const_i64_" + _constants.Count.ToString(CultureInfo.InvariantCulture)), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.RawData = LittleEndian<long>(values);
        _graph.Initializer.Add(tensor);
        return _constants[key] = tensor.Name;
    }

    /// <summary>A scalar (rank 0) int64 constant, e.g. an index for Gather that drops the axis.</summary>
    public string Int64Scalar(long value) => Scalar("s64:", value.ToString(CultureInfo.InvariantCulture), TensorProto.Types.DataType.Int64, LittleEndian<long>([value]));

    /// <summary>A scalar (rank 0) float32 constant, shared between nodes that use the same value.</summary>
    public string FloatScalar(float value) =>
        Scalar("f32:", BitConverter.SingleToInt32Bits(value).ToString(CultureInfo.InvariantCulture), TensorProto.Types.DataType.Float, LittleEndian<float>([value]));

    /// <summary>Adds a node with one output, named <paramref name="prefix"/> plus a counter; returns that name.</summary>
    public string Node(string opType, string prefix, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(opType, prefix, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs; an empty input name is an omitted optional input.</summary>
    public string[] Node(string opType, string prefix, IReadOnlyList<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var index = _counter++;
        var node = new NodeProto { OpType = opType, Name = $"{prefix}/{opType}_{index.ToString(CultureInfo.InvariantCulture)}" };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (var i = 0; i < outputs; i++)
        {
            names[i] = Claim(outputs == 1 ? $"{prefix}/{opType}_{index}" : $"{prefix}/{opType}_{index}:{i}");
        }
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return names;
    }

    /// <summary>Renames a value a node produced, in its producer and every consumer (graph outputs need their public names).</summary>
    public void Rename(string produced, string name)
    {
        Claim(name);
        foreach (var node in _graph.Node)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                node.Output[i] = node.Output[i] == produced ? name : node.Output[i];
            }
            for (var i = 0; i < node.Input.Count; i++)
            {
                node.Input[i] = node.Input[i] == produced ? name : node.Input[i];
            }
        }
    }

    /// <summary>Declares a graph input; each dimension is a <see cref="long"/> size or a <see cref="string"/> symbol.</summary>
    public string Input(string name, TensorProto.Types.DataType elementType, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(Claim(name), elementType, dims));
        return name;
    }

    /// <summary>Declares a graph output, which a node must produce under the same name.</summary>
    public void Output(string name, TensorProto.Types.DataType elementType, params object[] dims) =>
        _graph.Output.Add(ValueInfo(name, elementType, dims));

    /// <summary>The graph as written so far (a Scan body is built by a second builder and passed as an attribute).</summary>
    public GraphProto Graph => _graph;

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Subgraph(string name, GraphProto graph) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = graph };

    /// <summary>A tensor value's type: element type and a shape whose dimensions are sizes or symbols.</summary>
    public static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType elementType, params object[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => throw new ArgumentException($"A dimension is a size or a symbol name; got {dim?.GetType().Name ?? "null"}.", nameof(dims)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shape } },
        };
    }

    private string Scalar(string kind, string key, TensorProto.Types.DataType type, ByteString bytes)
    {
        if (_constants.TryGetValue(kind + key, out var existing))
        {
            return existing;
        }
        var tensor = new TensorProto { Name = Claim(_constantPrefix + "const_" + _constants.Count.ToString(CultureInfo.InvariantCulture)), DataType = (int)type, RawData = bytes };
        _graph.Initializer.Add(tensor);
        return _constants[kind + key] = tensor.Name;
    }

    private string Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX graph '{_graph.Name}' already has a value named '{name}'.");
        }
        return name;
    }

    private static void CheckCount(int count, ReadOnlySpan<long> dims, string name)
    {
        long expected = 1;
        foreach (var d in dims)
        {
            expected *= d;
        }
        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has {count} values but its shape [{string.Join(", ", dims.ToArray())}] holds {expected}.");
        }
    }

    // ONNX raw_data is little-endian; so is every platform .NET runs TorchSharp on, which the check makes explicit.
    private static ByteString LittleEndian<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The ONNX writer stores raw little-endian tensors; this platform is big-endian.");
        }
        return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
    }
}
