using System.Globalization;
using System.Text.Json.Serialization;
using GaitStream.Core.Schema;

namespace GaitStream.Training.Models;

/// <summary>
/// Everything needed to rebuild a <see cref="SequenceModel"/> from its weights: the architecture, tensor sizes and
/// the per-architecture extras. Stored in model cards as JSON, so every field is a plain number or a named enum.
/// Extras an architecture does not use are carried and ignored (and not validated) for it.
/// </summary>
/// <param name="Architecture">Which family builds the model.</param>
/// <param name="InputChannels">Features per frame (the ten z-scored joint angles).</param>
/// <param name="OutputChannels">Estimated channels per frame (6 moments, 16 group forces, or both: 22).</param>
/// <param name="ModelDim">Width d of the residual stream / LSTM hidden state.</param>
/// <param name="Layers">LSTM layers, Transformer blocks or Mamba blocks.</param>
/// <param name="WindowFrames">The causal window length L the model is trained and exported for. <c>forward</c> accepts any length.</param>
/// <param name="Dropout">Dropout probability during training (LSTM between layers and before the head; Transformer and Mamba on each residual branch).</param>
/// <param name="Heads">Transformer: attention heads; must divide <paramref name="ModelDim"/>.</param>
/// <param name="FeedForwardDim">Transformer: hidden width of each block's feed-forward network.</param>
/// <param name="StateSize">Mamba: state size N per inner channel.</param>
/// <param name="ConvKernel">Mamba: kernel of the causal depthwise convolution over time.</param>
/// <param name="Expand">Mamba: inner width d_inner = Expand · ModelDim.</param>
/// <param name="DeltaRank">Mamba: rank of the low-rank projection that produces the step size Δ.</param>
public sealed record ModelConfig(
    Architecture Architecture,
    int InputChannels,
    int OutputChannels,
    int ModelDim,
    int Layers,
    int WindowFrames,
    double Dropout = 0.1,
    int Heads = 4,
    int FeedForwardDim = 128,
    int StateSize = 16,
    int ConvKernel = 4,
    int Expand = 2,
    int DeltaRank = 4)
{
    /// <summary>Mamba: d_inner, the width of the selective scan.</summary>
    [JsonIgnore]
    public int InnerDim => Expand * ModelDim;

    /// <summary>
    /// Small defaults for real-time CPU inference: d = 64, 2 layers, dropout 0.1, ten input angles; about 68–70k
    /// parameters for every architecture at 22 outputs, so the benchmark compares families at equal size.
    /// Transformer: 4 heads, feed-forward 2·d. Mamba: N = 16, kernel 4, expand 2, Δ rank ⌈d/16⌉ (as in Gu &amp; Dao).
    /// </summary>
    public static ModelConfig Default(Architecture architecture, int outputChannels, int windowFrames = 100)
    {
        const int modelDim = 64;
        return new ModelConfig(
            architecture,
            InputChannels: ChannelSchema.InputAngles.Count,
            OutputChannels: outputChannels,
            ModelDim: modelDim,
            Layers: 2,
            WindowFrames: windowFrames,
            Dropout: 0.1,
            Heads: 4,
            FeedForwardDim: 2 * modelDim,
            StateSize: 16,
            ConvKernel: 4,
            Expand: 2,
            DeltaRank: (modelDim + 15) / 16).Validate();
    }

    /// <summary>Returns this config if every field the architecture uses is in range; throws <see cref="ArgumentException"/> naming the field otherwise.</summary>
    public ModelConfig Validate()
    {
        if (!Enum.IsDefined(Architecture))
        {
            throw Invalid(nameof(Architecture), (int)Architecture, "must be Lstm, Transformer or Mamba");
        }
        Positive(nameof(InputChannels), InputChannels);
        Positive(nameof(OutputChannels), OutputChannels);
        Positive(nameof(ModelDim), ModelDim);
        Positive(nameof(Layers), Layers);
        Positive(nameof(WindowFrames), WindowFrames);
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw Invalid(nameof(Dropout), Dropout, "must be in [0, 1)");
        }

        switch (Architecture)
        {
            case Architecture.Transformer:
                Positive(nameof(Heads), Heads);
                Positive(nameof(FeedForwardDim), FeedForwardDim);
                if (ModelDim % Heads != 0)
                {
                    throw Invalid(nameof(Heads), Heads, $"must divide ModelDim ({ModelDim}) so every head gets ModelDim / Heads features");
                }
                if (ModelDim % 2 != 0)
                {
                    throw Invalid(nameof(ModelDim), ModelDim, "must be even for the Transformer: the sinusoidal encoding pairs sin and cos");
                }
                break;
            case Architecture.Mamba:
                Positive(nameof(StateSize), StateSize);
                Positive(nameof(ConvKernel), ConvKernel);
                Positive(nameof(Expand), Expand);
                Positive(nameof(DeltaRank), DeltaRank);
                break;
        }
        return this;
    }

    private static void Positive(string field, int value)
    {
        if (value < 1)
        {
            throw Invalid(field, value, "must be at least 1");
        }
    }

    private static ArgumentException Invalid(string field, double value, string rule) =>
        new($"ModelConfig.{field} {rule}; got {value.ToString(CultureInfo.InvariantCulture)}.");
}
