namespace GaitStream.Inference.Backends;

/// <summary>How models are run (<c>Inference</c> in configuration). <see cref="Validate"/> at start-up.</summary>
public sealed class InferenceOptions
{
    public InferenceBackendKind Backend { get; set; } = InferenceBackendKind.OnnxRuntime;

    /// <summary><c>auto</c> (CUDA, else CPU with a warning), <c>cuda</c> (CUDA or an error) or <c>cpu</c>.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA device ordinal.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Threads inside one operator; 0 = ONNX Runtime's default (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across independent operators; 0 = ONNX Runtime's default.</summary>
    public int InterOpThreads { get; set; }

    public GraphOptimization GraphOptimization { get; set; } = GraphOptimization.All;

    /// <summary>Largest batch one call may carry; the backend's pinned buffers are sized for it.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Throws <see cref="ArgumentException"/> with a sentence naming the option when a value is out of range.</summary>
    public InferenceOptions Validate()
    {
        if (!Enum.IsDefined(Backend))
        {
            throw new ArgumentException($"Inference:Backend '{Backend}' is not a backend; use OnnxRuntime.");
        }
        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentException($"Inference:ExecutionProvider '{ExecutionProvider}' is not one of auto, cuda, cpu.");
        }
        if (!Enum.IsDefined(GraphOptimization))
        {
            throw new ArgumentException($"Inference:GraphOptimization '{GraphOptimization}' is not one of Disabled, Basic, Extended, All.");
        }
        if (CudaDeviceId < 0 || IntraOpThreads < 0 || InterOpThreads < 0)
        {
            throw new ArgumentException($"Inference:CudaDeviceId, IntraOpThreads and InterOpThreads must be ≥ 0 (got {CudaDeviceId}, {IntraOpThreads}, {InterOpThreads}).");
        }
        if (MaxBatchSize is < 1 or > 65_536)
        {
            throw new ArgumentException($"Inference:MaxBatchSize must be in 1…65536; got {MaxBatchSize}.");
        }
        return this;
    }
}
