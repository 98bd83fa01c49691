using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GaitStream.Training.Models;

/// <summary>
/// Mamba (Gu &amp; Dao, 2023): a linear state-space recurrence h_t = Ā_t h_{t−1} + B̄_t x_t, y_t = C_t h_t whose
/// step size Δ and projections B, C are computed from the input itself ("selective"), so the model decides per
/// frame what to remember and what to forget — a recurrence like the LSTM's, but linear in h and diagonal.
/// Causal by construction: a left-padded convolution and a forward-in-time scan.
/// </summary>
/// <remarks>
/// Block (pre-norm, residual): x + Dropout(out_proj(SSM(SiLU(conv(u))) ⊙ SiLU(z))), (u, z) = in_proj(LN(x)).
/// Discretisation, as the reference selective_scan_ref: Ā_t = exp(Δ_t A) (zero-order hold), B̄_t x_t = Δ_t B_t x_t
/// (Euler), h_0 = 0; Δ = softplus(dt_proj(x_proj(u)[:R])) with softplus(v) = log(1 + e^v) (PyTorch: linear above 20);
/// A = −exp(A_log), A_log initialised to log(1 … N) in every inner channel (S4D-real); D initialised to 1.
/// State-dict keys, as in mamba_simple.py: <c>input</c>, <c>blocks.{k}.{norm, in_proj, conv1d, x_proj, dt_proj, A_log, D,
/// out_proj}</c>, <c>norm</c>, <c>head</c>. in_proj, x_proj and out_proj have no bias; x_proj's rows are [Δ (R), B (N), C (N)];
/// in_proj's rows are [u (d_inner), z (d_inner)]. Norms are LayerNorm (ε = 1e-5) rather than RMSNorm: ONNX has LayerNormalization since opset 17.
/// </remarks>
public sealed class MambaModel : SequenceModel
{
    private readonly Linear input;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public MambaModel(ModelConfig config)
        : base(nameof(MambaModel), config)
    {
        input = nn.Linear(Config.InputChannels, Config.ModelDim);
        blocks = nn.ModuleList([.. Enumerable.Range(0, Config.Layers).Select(_ => new Block(Config))]);
        norm = nn.LayerNorm(Config.ModelDim);
        head = nn.Linear(Config.ModelDim, Config.OutputChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        CheckInput(x);                                  // x: [B, L, C_in]
        var h = input.forward(x);                       // [B, L, d]
        foreach (var block in blocks)
        {
            h = block.forward(h);                       // [B, L, d]
        }
        return head.forward(norm.forward(h));           // [B, L, K]
    }

    /// <summary>
    /// The selective scan, one frame at a time: h_t = exp(Δ_t A) ⊙ h_{t−1} + Δ_t B_t x_t, y_t = C_t · h_t (D is added by the caller).
    /// u, delta: [B, L, D_in]; a: [D_in, N]; b, c: [B, L, N]. Returns y: [B, L, D_in].
    /// </summary>
    internal static Tensor SelectiveScan(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c)
    {
        using var scope = NewDisposeScope();            // frees the per-frame handles; autograd keeps what backward needs
        var deltaA = exp(delta.unsqueeze(-1) * a);                                  // [B, L, D_in, N]  Ā_t, every entry in (0, 1)
        var deltaBu = delta.unsqueeze(-1) * b.unsqueeze(2) * u.unsqueeze(-1);       // [B, L, D_in, N]  B̄_t x_t
        var state = zeros(u.size(0), u.size(2), a.size(1), dtype: u.dtype, device: u.device); // [B, D_in, N]  h_0 = 0
        // unbind, not select(1, t): select's backward writes each frame's gradient into a zero tensor the size of the
        // whole [B, L, D_in, N] input, L times per scan (50 MB each at B = 64, L = 100), which made training ~100× slower;
        // unbind's backward stacks the L frame gradients once. Same values either way.
        var deltaAt = deltaA.unbind(1);                                             // L × [B, D_in, N]
        var deltaBut = deltaBu.unbind(1);                                           // L × [B, D_in, N]
        var ct = c.unsqueeze(-1).unbind(1);                                         // L × [B, N, 1]
        var frames = u.size(1);
        var ys = new Tensor[frames];
        for (var t = 0; t < frames; t++)
        {
            state = deltaAt[t] * state + deltaBut[t];                               // [B, D_in, N]
            ys[t] = state.matmul(ct[t]).squeeze(-1);                                // [B, D_in, N] @ [B, N, 1] → [B, D_in]
        }
        return stack(ys, dim: 1).MoveToOuterDisposeScope();                        // [B, L, D_in]
    }

    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        // Δ initialisation of the reference implementation: Δ = softplus(bias) log-uniform in [1e-3, 0.1] at the start.
        private const double DeltaMin = 1e-3;
        private const double DeltaMax = 0.1;
        private const double DeltaFloor = 1e-4;

#pragma warning disable IDE1006 // field names are the state-dict keys of the reference implementation
        private readonly LayerNorm norm;
        private readonly Linear in_proj;
        private readonly Conv1d conv1d;
        private readonly Linear x_proj;
        private readonly Linear dt_proj;
        private readonly Parameter A_log;
        private readonly Parameter D;
        private readonly Linear out_proj;
#pragma warning restore IDE1006
        private readonly Dropout dropout;
        private readonly int innerDim;
        private readonly int stateSize;
        private readonly int deltaRank;
        private readonly int kernel;

        public Block(ModelConfig config)
            : base(nameof(Block))
        {
            (innerDim, stateSize, deltaRank, kernel) = (config.InnerDim, config.StateSize, config.DeltaRank, config.ConvKernel);
            norm = nn.LayerNorm(config.ModelDim);
            in_proj = nn.Linear(config.ModelDim, 2 * innerDim, hasBias: false);
            conv1d = nn.Conv1d(innerDim, innerDim, kernel, groups: innerDim);             // depthwise: weight [D_in, 1, k], bias [D_in]
            x_proj = nn.Linear(innerDim, deltaRank + (2 * stateSize), hasBias: false);
            dt_proj = nn.Linear(deltaRank, innerDim);
            out_proj = nn.Linear(innerDim, config.ModelDim, hasBias: false);
            dropout = nn.Dropout(config.Dropout);

            using (no_grad())
            {
                var bound = Math.Pow(deltaRank, -0.5);
                nn.init.uniform_(dt_proj.weight, -bound, bound);
                var dt = exp(rand(innerDim) * (Math.Log(DeltaMax) - Math.Log(DeltaMin)) + Math.Log(DeltaMin)).clamp_min(DeltaFloor);
                dt_proj.bias!.copy_(dt + log(-expm1(-dt)));                                  // softplus⁻¹(dt)
            }
            // Detached: a caller's dispose scope around the constructor must not free the parameters with its temporaries.
            A_log = nn.Parameter(log(arange(1, stateSize + 1, dtype: ScalarType.Float32)).repeat(innerDim, 1).DetachFromDisposeScope()); // [D_in, N]
            D = nn.Parameter(ones(innerDim).DetachFromDisposeScope());                                                                    // [D_in]
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var uz = in_proj.forward(norm.forward(x)).chunk(2, dim: -1);                // x: [B, L, d] → 2 × [B, L, D_in]
            var (u, z) = (uz[0], uz[1]);
            u = F.pad(u.transpose(1, 2), [kernel - 1, 0]);                              // [B, D_in, L + k − 1], left padding only
            u = F.silu(conv1d.forward(u)).transpose(1, 2);                              // [B, L, D_in]; frame t sees frames t−k+1 … t
            var dbc = x_proj.forward(u).split([deltaRank, stateSize, stateSize], dim: -1);
            var delta = F.softplus(dt_proj.forward(dbc[0]));                            // [B, L, D_in], Δ > 0
            var a = -exp(A_log);                                                        // [D_in, N], A < 0 so Ā ∈ (0, 1)
            var y = SelectiveScan(u, delta, a, dbc[1], dbc[2]) + u * D;                 // [B, L, D_in]   (B, C: [B, L, N])
            y = y * F.silu(z);                                                          // [B, L, D_in], gated
            return x + dropout.forward(out_proj.forward(y));                            // [B, L, d]
        }
    }
}
