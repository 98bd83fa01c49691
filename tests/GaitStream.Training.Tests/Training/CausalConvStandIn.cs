using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Training;

/// <summary>
/// A stand-in sequence model for the loop's tests: a causal 1-D convolution (past-only padding) with a GELU and a
/// per-frame linear head. x [B, L, inputs] → [B, L, outputs]; frame t sees frames t − kernel + 1 … t.
/// </summary>
internal sealed class CausalConvStandIn : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;
    private readonly Linear head;
    private readonly long _kernel;

    public CausalConvStandIn(int inputs, int outputs, int hidden = 16, int kernel = 5)
        : base(nameof(CausalConvStandIn))
    {
        _kernel = kernel;
        conv = nn.Conv1d(inputs, hidden, kernel);
        head = nn.Linear(hidden, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        Tensor h = nn.functional.pad(input.transpose(1, 2), [_kernel - 1, 0]); // [B, C, L + k − 1]: past-only padding
        h = nn.functional.gelu(conv.forward(h)).transpose(1, 2);             // [B, L, H]
        return head.forward(h).MoveToOuterDisposeScope();                     // [B, L, K]
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            head.Dispose();
        }
        base.Dispose(disposing);
    }
}
