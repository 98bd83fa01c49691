using TorchSharp;
using static TorchSharp.torch;

namespace GaitStream.Training.Models;

/// <summary>
/// What every GaitStream model is: a map from a window of z-scored joint angles x: [B, L, InputChannels] to an
/// estimate for every frame, [B, L, OutputChannels], that is causal — the output at frame t depends only on frames
/// ≤ t — so the last frame of a live window is a real-time estimate. Parameters are drawn from torch's global
/// generator when the model is built: seed it with <c>torch.manual_seed</c> first for a reproducible model.
/// </summary>
public abstract class SequenceModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Validates <paramref name="config"/> (throws <see cref="ArgumentException"/>) and keeps it.</summary>
    protected SequenceModel(string name, ModelConfig config)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Validate();
    }

    /// <summary>The configuration the model was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>Builds the model <paramref name="config"/> describes, with fresh parameters.</summary>
    public static SequenceModel Create(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Architecture switch
        {
            Architecture.Lstm => new LstmModel(config),
            Architecture.Transformer => new TransformerModel(config),
            Architecture.Mamba => new MambaModel(config),
            _ => throw new ArgumentException($"ModelConfig.Architecture {config.Architecture} is not a known architecture.", nameof(config)),
        };
    }

    /// <summary>Number of trainable scalars (all parameters; buffers excluded).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>Throws unless <paramref name="x"/> is [B, L, InputChannels] float32 with B, L ≥ 1.</summary>
    protected void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 3 || x.size(0) < 1 || x.size(1) < 1 || x.size(2) != Config.InputChannels)
        {
            throw new ArgumentException(
                $"{GetType().Name} expects input [batch, frames, {Config.InputChannels}]; got [{string.Join(", ", x.shape)}].", nameof(x));
        }
        if (x.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"{GetType().Name} expects float32 input; got {x.dtype}.", nameof(x));
        }
    }
}
