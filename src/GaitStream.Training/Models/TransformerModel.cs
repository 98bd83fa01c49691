using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GaitStream.Training.Models;

/// <summary>
/// Transformer encoder (Vaswani et al., 2017): every frame attends directly to every earlier frame in the window
/// through scaled dot-product attention, so no information has to survive a long recurrence. Causal through an
/// additive mask of −∞ above the diagonal. Pre-LN blocks (LayerNorm before each sublayer, as in GPT-2/nanoGPT)
/// train stably without warm-up on small data.
/// </summary>
/// <remarks>
/// Positions are sinusoidal, not learned: they cost no parameters on small gait datasets, exist for any window
/// length (50/100/200 Hz windows, short windows while a stream warms up), and an exporter recomputes them exactly:
/// pe[t, 2i] = sin(t · 10000^(−2i/d)), pe[t, 2i+1] = cos(t · 10000^(−2i/d)), t = 0 … L−1 from the window's first frame.
/// State-dict keys: <c>input</c>, <c>blocks.{k}.norm1</c>, <c>blocks.{k}.attention.{query,key,value,proj}</c>,
/// <c>blocks.{k}.norm2</c>, <c>blocks.{k}.ffn1</c>, <c>blocks.{k}.ffn2</c>, <c>norm</c>, <c>head</c> (each .weight/.bias).
/// LayerNorm ε = 1e-5; GELU is the exact erf form.
/// </remarks>
public sealed class TransformerModel : SequenceModel
{
    private readonly Linear input;
    private readonly Dropout dropout;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public TransformerModel(ModelConfig config)
        : base(nameof(TransformerModel), config)
    {
        var d = Config.ModelDim;
        input = nn.Linear(Config.InputChannels, d);
        dropout = nn.Dropout(Config.Dropout);
        blocks = nn.ModuleList([.. Enumerable.Range(0, Config.Layers).Select(_ => new Block(d, Config.Heads, Config.FeedForwardDim, Config.Dropout))]);
        norm = nn.LayerNorm(d);
        head = nn.Linear(d, Config.OutputChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        CheckInput(x);                                                      // x: [B, L, C_in]
        var frames = x.size(1);
        var h = input.forward(x) + SinusoidalPositions(frames, Config.ModelDim, x.device); // [B, L, d]
        h = dropout.forward(h);
        var mask = CausalMask(frames, x.device);                            // [L, L]: 0 at or below the diagonal, −∞ above
        foreach (var block in blocks)
        {
            h = block.forward(h, mask);                                     // [B, L, d]
        }
        return head.forward(norm.forward(h));                               // [B, L, K]
    }

    /// <summary>pe: [L, d], sin on even features and cos on odd ones, wavelengths 2π … 10000·2π frames.</summary>
    internal static Tensor SinusoidalPositions(long frames, int modelDim, Device device)
    {
        var position = arange(frames, dtype: ScalarType.Float32, device: device).unsqueeze(1);            // [L, 1]
        var frequency = exp(arange(0, modelDim, 2, dtype: ScalarType.Float32, device: device)
                            * (float)(-Math.Log(10000.0) / modelDim));                                      // [d/2]
        var angle = position * frequency;                                                                  // [L, d/2]
        return stack([sin(angle), cos(angle)], dim: -1).reshape(frames, modelDim);                          // [L, d], interleaved
    }

    /// <summary>Additive mask [L, L]: query frame t may see key frames s ≤ t only.</summary>
    internal static Tensor CausalMask(long frames, Device device) =>
        full(frames, frames, float.NegativeInfinity, dtype: ScalarType.Float32, device: device).triu(1);

    /// <summary>x + Attention(LN(x)); x + FFN(LN(x)).</summary>
    private sealed class Block : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly LayerNorm norm1;
        private readonly CausalSelfAttention attention;
        private readonly LayerNorm norm2;
        private readonly Linear ffn1;
        private readonly Linear ffn2;
        private readonly Dropout dropout;

        public Block(int d, int heads, int feedForwardDim, double dropoutP)
            : base(nameof(Block))
        {
            norm1 = nn.LayerNorm(d);
            attention = new CausalSelfAttention(d, heads, dropoutP);
            norm2 = nn.LayerNorm(d);
            ffn1 = nn.Linear(d, feedForwardDim);
            ffn2 = nn.Linear(feedForwardDim, d);
            dropout = nn.Dropout(dropoutP);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Tensor mask)
        {
            x = x + dropout.forward(attention.forward(norm1.forward(x), mask));          // [B, L, d]
            var hidden = F.gelu(ffn1.forward(norm2.forward(x)));                       // [B, L, F]
            return x + dropout.forward(ffn2.forward(hidden));                           // [B, L, d]
        }
    }

    /// <summary>Multi-head scaled dot-product self-attention, softmax(QKᵀ/√d_h + mask)·V per head, written out.</summary>
    private sealed class CausalSelfAttention : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly Linear query;
        private readonly Linear key;
        private readonly Linear value;
        private readonly Linear proj;
        private readonly Dropout dropout;
        private readonly int heads;

        public CausalSelfAttention(int d, int heads, double dropoutP)
            : base(nameof(CausalSelfAttention))
        {
            query = nn.Linear(d, d);
            key = nn.Linear(d, d);
            value = nn.Linear(d, d);
            proj = nn.Linear(d, d);
            dropout = nn.Dropout(dropoutP);
            this.heads = heads;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x, Tensor mask)
        {
            var (b, l, d) = (x.size(0), x.size(1), x.size(2));
            var headDim = d / heads;
            var q = query.forward(x).view(b, l, heads, headDim).transpose(1, 2);          // [B, H, L, d_h]
            var k = key.forward(x).view(b, l, heads, headDim).transpose(1, 2);            // [B, H, L, d_h]
            var v = value.forward(x).view(b, l, heads, headDim).transpose(1, 2);          // [B, H, L, d_h]
            var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(headDim) + mask;      // [B, H, L, L], −∞ where s > t
            var weights = dropout.forward(scores.softmax(-1));                            // [B, H, L, L], rows sum to 1
            var y = weights.matmul(v);                                                    // [B, H, L, d_h]
            return proj.forward(y.transpose(1, 2).contiguous().view(b, l, d));            // [B, L, d], heads concatenated
        }
    }
}
