using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaitStream.Training.Models;

/// <summary>
/// LSTM (Hochreiter &amp; Schmidhuber, 1997): a recurrent cell whose gated, additive memory c_t lets error signals
/// survive many steps, so a gait phase seen half a cycle ago can still shape the estimate now. Unidirectional, hence
/// causal by construction: input Linear → stacked LSTM over time → Linear head on every frame's hidden state.
/// </summary>
/// <remarks>
/// State-dict keys (field names): <c>input.{weight,bias}</c>, <c>lstm.{weight_ih,weight_hh,bias_ih,bias_hh}_l{k}</c>
/// with PyTorch's gate order (i, f, g, o) stacked in rows, <c>head.{weight,bias}</c>.
/// </remarks>
public sealed class LstmModel : SequenceModel
{
    private readonly Linear input;
    private readonly LSTM lstm;
    private readonly Dropout dropout;
    private readonly Linear head;

    public LstmModel(ModelConfig config)
        : base(nameof(LstmModel), config)
    {
        var d = Config.ModelDim;
        input = nn.Linear(Config.InputChannels, d);
        // PyTorch applies LSTM dropout between stacked layers only; with one layer it would just warn.
        lstm = nn.LSTM(d, d, numLayers: Config.Layers, batchFirst: true, dropout: Config.Layers > 1 ? Config.Dropout : 0);
        dropout = nn.Dropout(Config.Dropout);
        head = nn.Linear(d, Config.OutputChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        CheckInput(x);                                  // x: [B, L, C_in]
        var e = input.forward(x);                       // [B, L, d]
        var (h, hLast, cLast) = lstm.forward(e);        // h: [B, L, d], the top layer's hidden state at every frame (h0 = c0 = 0)
        hLast.Dispose();                                // [layers, B, d]: final states, not needed for a window
        cLast.Dispose();
        return head.forward(dropout.forward(h));        // [B, L, K]
    }
}
