using GaitStream.Training.Models;
using static TorchSharp.torch;
using static GaitStream.Training.Onnx.OnnxGraphBuilder;
using DataType = GaitStream.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace GaitStream.Training.Onnx;

/// <summary>
/// <see cref="TransformerModel"/> as ONNX: input Linear + sinusoidal positions → pre-LN blocks (causal multi-head
/// attention written out with MatMul/Softmax, feed-forward with erf GELU) → LayerNorm → head.
/// </summary>
/// <remarks>
/// Positions and the causal mask are computed in the graph from the input's frame count, so any window length runs:
/// pe = interleave(sin(t·f), cos(t·f)) with the frequencies f [d/2] baked exactly as the model computes them, and
/// mask = −∞ where key frame &gt; query frame. GELU(x) = x·½·(1 + erf(x/√2)); opset 17 has no Gelu operator.
/// </remarks>
internal static class TransformerOnnxGraph
{
    public static (string LastFrame, string? PerFrame) Build(OnnxLayers layers, ModelConfig config, string x, bool perFrame)
    {
        var g = layers.Graph;
        var d = config.ModelDim;
        var (positions, mask) = PositionsAndMask(layers, d, x);                              // [L, d], [L, L]
        var h = g.Node("Add", "positions", [layers.Linear(x, "input"), positions]);          // [B, L, d]
        for (var k = 0; k < config.Layers; k++)
        {
            h = Block(layers, $"blocks.{k}", h, mask, d, config.Heads);                      // [B, L, d]
        }
        var last = layers.Linear(layers.LayerNorm(layers.LastFrame(h, "head"), "norm"), "head"); // [B, K]
        return (last, perFrame ? layers.Linear(layers.LayerNorm(h, "norm"), "head") : null);  // [B, L, K]
    }

    private static (string Positions, string Mask) PositionsAndMask(OnnxLayers layers, int d, string x)
    {
        var g = layers.Graph;
        var frames = g.Node("Squeeze", "positions", [g.Node("Shape", "positions", [x], Int("start", 1), Int("end", 2)), g.Int64s(0)]); // L (scalar)
        var t = g.Node("Range", "positions", [g.Int64Scalar(0), frames, g.Int64Scalar(1)]);              // [L] int64
        var tFloat = g.Node("Cast", "positions", [t], Int("to", (long)DataType.Float));
        // The model's own float32 arithmetic for the frequencies, so the baked values match it bit for bit.
        var frequency = layers.Parameter("positions.frequency",
            () => exp(arange(0, d, 2, dtype: ScalarType.Float32) * (float)(-Math.Log(10000.0) / d)));     // [d/2]
        var angle = g.Node("Mul", "positions", [g.Node("Unsqueeze", "positions", [tFloat, g.Int64s(1)]), frequency]); // [L, d/2]
        var sin = g.Node("Unsqueeze", "positions", [g.Node("Sin", "positions", [angle]), g.Int64s(-1)]);
        var cos = g.Node("Unsqueeze", "positions", [g.Node("Cos", "positions", [angle]), g.Int64s(-1)]);
        var pe = g.Node("Reshape", "positions", [g.Node("Concat", "positions", [sin, cos], Int("axis", -1)), g.Int64s(-1, d)]); // [L, d], interleaved

        var query = g.Node("Unsqueeze", "mask", [t, g.Int64s(1)]);                                         // [L, 1]
        var key = g.Node("Unsqueeze", "mask", [t, g.Int64s(0)]);                                           // [1, L]
        var future = g.Node("Greater", "mask", [key, query]);                                              // [L, L], s > t
        var mask = g.Node("Where", "mask", [future, g.FloatScalar(float.NegativeInfinity), g.FloatScalar(0f)]);
        return (pe, mask);
    }

    private static string Block(OnnxLayers layers, string prefix, string x, string mask, int d, int heads)
    {
        var g = layers.Graph;
        var headDim = d / heads;
        var n1 = layers.LayerNorm(x, prefix + ".norm1");
        var attention = prefix + ".attention";
        var split = g.Int64s(0, 0, heads, headDim);                                                        // [B, L] kept, d → H × d_h
        string Heads(string key, params long[] perm) =>
            g.Node("Transpose", attention, [g.Node("Reshape", attention, [layers.Linear(n1, $"{attention}.{key}"), split])], Ints("perm", perm));
        var q = Heads("query", 0, 2, 1, 3);                                                                // [B, H, L, d_h]
        var kT = Heads("key", 0, 2, 3, 1);                                                                 // [B, H, d_h, L]
        var v = Heads("value", 0, 2, 1, 3);                                                                // [B, H, L, d_h]
        var scores = g.Node("Div", attention, [g.Node("MatMul", attention, [q, kT]), g.FloatScalar((float)Math.Sqrt(headDim))]);
        var weights = g.Node("Softmax", attention, [g.Node("Add", attention, [scores, mask])], Int("axis", -1)); // [B, H, L, L]
        var y = g.Node("Transpose", attention, [g.Node("MatMul", attention, [weights, v])], Ints("perm", 0, 2, 1, 3)); // [B, L, H, d_h]
        y = layers.Linear(g.Node("Reshape", attention, [y, g.Int64s(0, 0, d)]), attention + ".proj");     // [B, L, d]
        x = g.Node("Add", prefix, [x, y]);

        var hidden = Gelu(g, layers.Linear(layers.LayerNorm(x, prefix + ".norm2"), prefix + ".ffn1"), prefix + ".ffn1"); // [B, L, F]
        return g.Node("Add", prefix, [x, layers.Linear(hidden, prefix + ".ffn2")]);                         // [B, L, d]
    }

    /// <summary>Exact GELU as PyTorch computes it: x·½·(1 + erf(x·(1/√2))).</summary>
    private static string Gelu(OnnxGraphBuilder g, string x, string prefix)
    {
        var erf = g.Node("Erf", prefix, [g.Node("Mul", prefix, [x, g.FloatScalar((float)(1 / Math.Sqrt(2)))])]);
        return g.Node("Mul", prefix, [g.Node("Mul", prefix, [x, g.FloatScalar(0.5f)]), g.Node("Add", prefix, [erf, g.FloatScalar(1f)])]);
    }
}
