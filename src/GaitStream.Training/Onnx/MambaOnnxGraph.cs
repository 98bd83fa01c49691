using GaitStream.Training.Models;
using static TorchSharp.torch;
using static GaitStream.Training.Onnx.OnnxGraphBuilder;
using DataType = GaitStream.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace GaitStream.Training.Onnx;

/// <summary>
/// <see cref="MambaModel"/> as ONNX: input Linear → Mamba blocks → LayerNorm → head. In each block the causal
/// depthwise convolution is a grouped Conv with left padding k − 1, Δ = softplus (linear above 20, as PyTorch), and
/// the selective scan is an ONNX <c>Scan</c> over frames whose body is one recurrence step, so the window length
/// stays dynamic and the graph does not grow with it.
/// </summary>
/// <remarks>
/// As in <see cref="MambaModel.SelectiveScan"/>, Ā = exp(Δ A) and B̄u = Δ·B·u are formed for all frames at once
/// ([B, L, D_in, N]); the Scan body computes h_t = Ā_t ⊙ h_{t−1} + B̄u_t and y_t = h_t · C_t from h_0 = 0.
/// </remarks>
internal static class MambaOnnxGraph
{
    private const float SoftplusThreshold = 20f;

    public static (string LastFrame, string? PerFrame) Build(OnnxLayers layers, ModelConfig config, string x, bool perFrame)
    {
        var h = layers.Linear(x, "input");                                                   // [B, L, d]
        var scanBody = ScanBody(config.InnerDim, config.StateSize);
        for (var k = 0; k < config.Layers; k++)
        {
            h = Block(layers, $"blocks.{k}", h, config, scanBody);                           // [B, L, d]
        }
        var last = layers.Linear(layers.LayerNorm(layers.LastFrame(h, "head"), "norm"), "head"); // [B, K]
        return (last, perFrame ? layers.Linear(layers.LayerNorm(h, "norm"), "head") : null);  // [B, L, K]
    }

    private static string Block(OnnxLayers layers, string prefix, string x, ModelConfig config, Proto.GraphProto scanBody)
    {
        var g = layers.Graph;
        var (inner, n, rank, kernel) = (config.InnerDim, config.StateSize, config.DeltaRank, config.ConvKernel);
        var uz = g.Node("Split", prefix, [layers.Linear(layers.LayerNorm(x, prefix + ".norm"), prefix + ".in_proj", bias: false), g.Int64s(inner, inner)],
            2, Int("axis", -1));                                                              // u, z: [B, L, D_in]
        var (u, z) = (uz[0], uz[1]);

        var conv = g.Node("Conv", prefix + ".conv1d",
            [g.Node("Transpose", prefix, [u], Ints("perm", 0, 2, 1)), layers.Parameter(prefix + ".conv1d.weight"), layers.Parameter(prefix + ".conv1d.bias")],
            Int("group", inner), Ints("kernel_shape", kernel), Ints("pads", kernel - 1, 0));   // [B, D_in, L], frame t sees t−k+1 … t
        u = g.Node("Transpose", prefix, [layers.SiLU(conv, prefix + ".conv1d")], Ints("perm", 0, 2, 1)); // [B, L, D_in]

        var dbc = g.Node("Split", prefix + ".x_proj", [layers.Linear(u, prefix + ".x_proj", bias: false), g.Int64s(rank, n, n)], 3, Int("axis", -1));
        var delta = Softplus(g, layers.Linear(dbc[0], prefix + ".dt_proj"), prefix + ".dt_proj");  // [B, L, D_in], Δ > 0
        var a = g.Node("Neg", prefix, [g.Node("Exp", prefix, [layers.Parameter(prefix + ".A_log")])]); // [D_in, N]

        var scan = prefix + ".scan";
        var delta4 = g.Node("Unsqueeze", scan, [delta, g.Int64s(-1)]);                      // [B, L, D_in, 1]
        var deltaA = g.Node("Exp", scan, [g.Node("Mul", scan, [delta4, a])]);                 // [B, L, D_in, N]
        var deltaBu = g.Node("Mul", scan, [g.Node("Mul", scan, [delta4, g.Node("Unsqueeze", scan, [dbc[1], g.Int64s(2)])]),
                                            g.Node("Unsqueeze", scan, [u, g.Int64s(-1)])]);   // [B, L, D_in, N]
        var batch = g.Node("Shape", scan, [x], Int("start", 0), Int("end", 1));              // [1]: B
        var h0 = g.Node("Expand", scan, [g.FloatScalar(0f), g.Node("Concat", scan, [batch, g.Int64s(inner, n)], Int("axis", 0))]); // [B, D_in, N]
        var scanned = g.Node("Scan", scan, [h0, deltaA, deltaBu, dbc[2]], 2,
            Subgraph("body", scanBody), Int("num_scan_inputs", 3), Ints("scan_input_axes", 1, 1, 1), Ints("scan_output_axes", 1)); // h_L, y [B, L, D_in]

        var y = g.Node("Add", prefix, [scanned[1], g.Node("Mul", prefix, [u, layers.Parameter(prefix + ".D")])]);
        y = g.Node("Mul", prefix, [y, layers.SiLU(z, prefix)]);                              // [B, L, D_in], gated
        return g.Node("Add", prefix, [x, layers.Linear(y, prefix + ".out_proj", bias: false)]); // [B, L, d]
    }

    /// <summary>One step: state [B, D_in, N], Ā_t and B̄u_t [B, D_in, N], C_t [B, N] → state', y_t = state'·C_t [B, D_in].</summary>
    private static Proto.GraphProto ScanBody(int inner, int n)
    {
        var g = new OnnxGraphBuilder("selective_scan_step", constantPrefix: "step/");
        const string b = OnnxExporter.BatchDim;
        var state = g.Input("state", DataType.Float, b, (long)inner, (long)n);
        var deltaA = g.Input("deltaA_t", DataType.Float, b, (long)inner, (long)n);
        var deltaBu = g.Input("deltaBu_t", DataType.Float, b, (long)inner, (long)n);
        var c = g.Input("C_t", DataType.Float, b, (long)n);
        var next = g.Node("Add", "step", [g.Node("Mul", "step", [deltaA, state]), deltaBu]);
        var y = g.Node("Squeeze", "step", [g.Node("MatMul", "step", [next, g.Node("Unsqueeze", "step", [c, g.Int64s(-1)])]), g.Int64s(-1)]);
        g.Rename(next, "state_next");
        g.Rename(y, "y_t");
        g.Output("state_next", DataType.Float, b, (long)inner, (long)n);
        g.Output("y_t", DataType.Float, b, (long)inner);
        return g.Graph;
    }

    /// <summary>PyTorch's softplus: log(1 + eᵛ), and v itself above the threshold 20.</summary>
    private static string Softplus(OnnxGraphBuilder g, string v, string prefix) =>
        g.Node("Where", prefix, [g.Node("Greater", prefix, [v, g.FloatScalar(SoftplusThreshold)]), v, g.Node("Softplus", prefix, [v])]);
}
