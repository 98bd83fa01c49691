using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace GaitStream.Training.Tests.Models;

/// <summary>A small causal sequence task drawn from torch's generator (seed it first), shaped like gait windows.</summary>
internal static class SyntheticSequences
{
    public const int InputChannels = 10;
    public const int OutputChannels = 6;

    /// <summary>Smooth inputs [B, L, 10]: one sinusoid per channel with random frequency (0.5–2 Hz at 50 Hz) and phase, plus a little noise.</summary>
    public static Tensor Inputs(int batch, int frames)
    {
        var seconds = (arange(frames, dtype: ScalarType.Float32) / 50f).view(1, frames, 1);        // [1, L, 1]
        var frequencyHz = (rand(batch, 1, InputChannels) * 1.5f) + 0.5f;                           // [B, 1, C]
        var phase = rand(batch, 1, InputChannels) * (float)(2 * Math.PI);                          // [B, 1, C]
        return sin((seconds * frequencyHz * (float)(2 * Math.PI)) + phase) + (0.1f * randn(batch, frames, InputChannels)); // [B, L, C]
    }

    /// <summary>
    /// Causal targets [B, L, 6] of <paramref name="x"/>: channels 0–2 the moving average of input channels 0–2 over the
    /// last 8 frames, channels 3–5 sin(2·x) of input channels 3–5 five frames ago (zero before the window).
    /// </summary>
    public static Tensor Targets(Tensor x)
    {
        var average = stack([.. Enumerable.Range(0, 8).Select(s => Lag(x.narrow(2, 0, 3), s))]).mean([0]); // [B, L, 3]
        var lagged = sin(2 * Lag(x.narrow(2, 3, 3), 5));                                                   // [B, L, 3]
        return cat([average, lagged], dim: 2);                                                            // [B, L, 6]
    }

    /// <summary>x delayed by <paramref name="frames"/> along time, zero-filled at the start: [B, L, C] → [B, L, C].</summary>
    private static Tensor Lag(Tensor x, int frames) =>
        frames == 0 ? x : F.pad(x.narrow(1, 0, x.size(1) - frames), [0, 0, frames, 0]);
}
