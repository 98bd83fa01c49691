using static TorchSharp.torch;

namespace GaitStream.Training.Onnx;

/// <summary>
/// The layers every architecture shares, written as ONNX nodes from a model's state dict: Linear, LayerNorm, SiLU,
/// and the last-frame gather. Each takes and returns value names in the graph being built.
/// </summary>
internal sealed class OnnxLayers(OnnxGraphBuilder graph, IReadOnlyDictionary<string, Tensor> stateDict)
{
    /// <summary>LayerNorm's ε in every GaitStream model (PyTorch's default).</summary>
    public const float LayerNormEpsilon = 1e-5f;

    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);

    public OnnxGraphBuilder Graph => graph;

    /// <summary>An initializer made once from <paramref name="make"/>, however many nodes read it (a head used on
    /// the last frame and on every frame).</summary>
    public string Parameter(string name, Func<Tensor> make)
    {
        if (!_parameters.TryGetValue(name, out var value))
        {
            using var tensor = make();
            _parameters[name] = value = graph.Initializer(name, tensor);
        }
        return value;
    }

    /// <summary>The state-dict tensor <paramref name="key"/> as an initializer of the same name.</summary>
    public string Parameter(string key) => Parameter(key, () => Weight(key).alias());

    /// <summary>The state-dict tensor <paramref name="key"/>; a missing key means the model and exporter disagree.</summary>
    public Tensor Weight(string key) =>
        stateDict.TryGetValue(key, out var tensor)
            ? tensor
            : throw new InvalidOperationException($"The model's state dict has no '{key}'; the ONNX exporter and the model file disagree on names.");

    /// <summary>y = x Wᵀ (+ b) over the last axis: MatMul with the transposed weight [in, out] stored as '{key}.weight_t'.</summary>
    public string Linear(string x, string key, bool bias = true)
    {
        var y = graph.Node("MatMul", key, [x, Parameter(key + ".weight_t", () => Weight(key + ".weight").t())]);
        return bias ? graph.Node("Add", key, [y, Parameter(key + ".bias")]) : y;
    }

    /// <summary>LayerNormalization over the last axis (opset 17), ε = 1e-5, weight and bias from '{key}'.</summary>
    public string LayerNorm(string x, string key) =>
        graph.Node("LayerNormalization", key,
            [x, Parameter(key + ".weight"), Parameter(key + ".bias")],
            OnnxGraphBuilder.Int("axis", -1), OnnxGraphBuilder.Float("epsilon", LayerNormEpsilon));

    /// <summary>SiLU(x) = x·σ(x); opset 17 has no SiLU operator.</summary>
    public string SiLU(string x, string prefix) => graph.Node("Mul", prefix, [x, graph.Node("Sigmoid", prefix, [x])]);

    /// <summary>x[:, −1] for x [B, L, …]: the last frame, the axis dropped (a scalar index).</summary>
    public string LastFrame(string x, string prefix) =>
        graph.Node("Gather", prefix, [x, graph.Int64Scalar(-1)], OnnxGraphBuilder.Int("axis", 1));
}
