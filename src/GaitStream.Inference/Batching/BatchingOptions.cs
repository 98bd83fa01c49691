namespace GaitStream.Inference.Batching;

/// <summary>How the <see cref="BatchingEngine"/> gathers windows into one inference call.</summary>
public sealed class BatchingOptions
{
    /// <summary>Most windows in one call (also bounded by the backend's own maximum).</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// How long a batch that is not full may wait for more windows, ms. 0 (the default) is greedy batching: a call
    /// takes every window that is queued when the previous call ends, so batches grow with the load by themselves
    /// and a lone session never waits.
    /// </summary>
    public double MaxWaitMs { get; set; }

    /// <summary>Windows queued before submitters wait (back-pressure); default 4 × <see cref="MaxBatchSize"/>.</summary>
    public int QueueCapacity { get; set; }

    public BatchingOptions Validate()
    {
        if (MaxBatchSize is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be 1–4096 windows.");
        }
        if (!(MaxWaitMs >= 0) || MaxWaitMs > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWaitMs), MaxWaitMs, "MaxWaitMs must be 0–1000 ms.");
        }
        if (QueueCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be ≥ 0 (0 = 4 × MaxBatchSize).");
        }
        return this;
    }
}
