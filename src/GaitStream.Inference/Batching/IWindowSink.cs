namespace GaitStream.Inference.Batching;

/// <summary>Receives the estimates of the windows one submitter (a session) gave the <see cref="BatchingEngine"/>.</summary>
/// <remarks>
/// Called on the engine's worker, in submission order per sink; implementations must not block (queue the result and
/// return), since every session's next batch waits for them.
/// </remarks>
public interface IWindowSink
{
    /// <summary>The estimate of one window: per-kg values (N·m/kg, N/kg) in the card's output order.</summary>
    void OnEstimate(in WindowTicket ticket, ReadOnlySpan<float> estimatesPerKg);

    /// <summary>The window's batch failed; the engine goes on with the next batch.</summary>
    void OnFailure(in WindowTicket ticket, Exception exception);
}
