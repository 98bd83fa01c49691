using static TorchSharp.torch;

namespace GaitStream.Training.Training;

/// <summary>
/// One batch of standardised windows from <see cref="WindowDataset.Batches"/>. Owns its tensors: dispose the batch
/// when the step is done.
/// </summary>
public sealed class WindowBatch : IDisposable
{
    internal WindowBatch(Tensor inputs, Tensor targets, Tensor? sequenceTargets, int count)
    {
        Inputs = inputs;
        Targets = targets;
        SequenceTargets = sequenceTargets;
        Count = count;
    }

    /// <summary>x: [B, L, inputs] float32, z-scored angles, oldest frame first.</summary>
    public Tensor Inputs { get; }

    /// <summary>y: [B, K] float32, the standardised reference at each window's last frame.</summary>
    public Tensor Targets { get; }

    /// <summary>[B, L, K] float32 standardised references at every frame of each window, when requested; else null.</summary>
    public Tensor? SequenceTargets { get; }

    /// <summary>Windows in the batch (B).</summary>
    public int Count { get; }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        SequenceTargets?.Dispose();
    }
}
