using GaitStream.Training.Models;
using static TorchSharp.torch;
using static GaitStream.Training.Onnx.OnnxGraphBuilder;

namespace GaitStream.Training.Onnx;

/// <summary>
/// <see cref="LstmModel"/> as ONNX: input MatMul+Add → one ONNX LSTM node per layer (time-major, forward) → head.
/// </summary>
/// <remarks>
/// PyTorch stacks the gate rows (i, f, g, o) with two biases; ONNX wants (i, o, f, c) with W [1, 4H, in],
/// R [1, 4H, H] and B [1, 8H] = [W_b, R_b]. g and c are the same cell candidate, so the rows are permuted, not
/// changed. ONNX Runtime's CPU LSTM supports only layout 0, so the sequence is transposed to [frames, batch, d].
/// The last frame is the top layer's Y_h.
/// </remarks>
internal static class LstmOnnxGraph
{
    public static (string LastFrame, string? PerFrame) Build(OnnxLayers layers, ModelConfig config, string x, bool perFrame)
    {
        var g = layers.Graph;
        var hidden = config.ModelDim;
        var e = layers.Linear(x, "input");                                                  // [B, L, d]
        var sequence = g.Node("Transpose", "lstm", [e], Ints("perm", 1, 0, 2));            // [L, B, d]
        string lastHidden = "";
        for (var k = 0; k < config.Layers; k++)
        {
            var prefix = $"lstm.l{k}";
            var w = g.Initializer($"lstm.W_l{k}", GatesToOnnx(layers.Weight($"lstm.weight_ih_l{k}"), hidden).unsqueeze(0));   // [1, 4H, in]
            var r = g.Initializer($"lstm.R_l{k}", GatesToOnnx(layers.Weight($"lstm.weight_hh_l{k}"), hidden).unsqueeze(0));   // [1, 4H, H]
            var b = g.Initializer($"lstm.B_l{k}", cat([GatesToOnnx(layers.Weight($"lstm.bias_ih_l{k}"), hidden),
                                                       GatesToOnnx(layers.Weight($"lstm.bias_hh_l{k}"), hidden)]).unsqueeze(0)); // [1, 8H]
            var outputs = g.Node("LSTM", prefix, [sequence, w, r, b], 2,
                Int("hidden_size", hidden), Text("direction", "forward"));                  // Y [L, 1, B, H], Y_h [1, B, H]
            sequence = g.Node("Squeeze", prefix, [outputs[0], g.Int64s(1)]);                // [L, B, H]
            lastHidden = outputs[1];
        }

        var last = layers.Linear(g.Node("Squeeze", "head", [lastHidden, g.Int64s(0)]), "head"); // [B, K]
        if (!perFrame)
        {
            return (last, null);
        }
        var batchFirst = g.Node("Transpose", "head", [sequence], Ints("perm", 1, 0, 2));   // [B, L, H]
        return (last, layers.Linear(batchFirst, "head"));                                   // [B, L, K]
    }

    /// <summary>Rows (i, f, g, o) → (i, o, f, g) along the first axis of a [4H, …] weight or [4H] bias.</summary>
    private static Tensor GatesToOnnx(Tensor pytorch, int hidden)
    {
        var gates = pytorch.split(hidden, 0);                                               // i, f, g, o
        return cat([gates[0], gates[3], gates[1], gates[2]], 0);
    }
}
