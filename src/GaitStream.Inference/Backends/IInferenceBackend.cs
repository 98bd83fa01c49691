namespace GaitStream.Inference.Backends;

/// <summary>
/// Runs one model on batches of z-scored windows. In-process ONNX Runtime implements it today; a Triton (KServe v2
/// gRPC) client would implement the same contract, so the move is a configuration change
/// (<see cref="InferenceOptions.Backend"/>).
/// </summary>
/// <remarks>
/// Layouts are row-major float32: <c>windows</c> is [batch, <see cref="WindowFrames"/>, <see cref="InputChannels"/>]
/// z-scored angles; <c>estimates</c> receives [batch, <see cref="OutputChannels"/>] standardised last-frame estimates.
/// </remarks>
public interface IInferenceBackend : IDisposable
{
    /// <summary>Backend and device actually in use, e.g. <c>onnxruntime/CPUExecutionProvider</c>.</summary>
    string Description { get; }

    int InputChannels { get; }

    int OutputChannels { get; }

    int WindowFrames { get; }

    /// <summary>Largest batch one call accepts.</summary>
    int MaxBatchSize { get; }

    /// <summary>Runs <paramref name="batchSize"/> windows; both spans must hold exactly the batch.</summary>
    void Run(ReadOnlySpan<float> windows, int batchSize, Span<float> estimates);

    /// <summary>As <see cref="Run"/>, for backends that wait on a remote server.</summary>
    ValueTask RunAsync(ReadOnlyMemory<float> windows, int batchSize, Memory<float> estimates, CancellationToken cancellationToken = default);
}
