namespace GaitStream.Inference.Batching;

/// <summary>Hook for metrics: called by the engine's worker after every inference call.</summary>
public interface IBatchObserver
{
    /// <param name="batchSize">Windows in the call.</param>
    /// <param name="inferenceSeconds">Time spent in the estimator (z-score, backend, de-standardise), s.</param>
    /// <param name="queueDepth">Windows still queued after the batch was taken.</param>
    void OnBatch(int batchSize, double inferenceSeconds, int queueDepth);
}
