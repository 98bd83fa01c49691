using Prometheus;

namespace GaitStream.Server.Observability;

/// <summary>
/// The service's Prometheus metrics, on a registry of its own (no process-wide state), served at <c>/metrics</c>.
/// Latencies are in seconds, as Prometheus expects.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] LatencyBucketsS = Histogram.ExponentialBuckets(0.000_05, 2, 16); // 50 µs … 1.6 s

    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        MetricFactory f = Metrics.WithCustomRegistry(Registry);
        SessionsActive = f.CreateGauge("gaitstream_sessions_active", "Live sessions.", ["transport"]);
        SessionsTotal = f.CreateCounter("gaitstream_sessions_total", "Sessions ended, by transport and final status.", ["transport", "status"]);
        FramesReceived = f.CreateCounter("gaitstream_frames_received_total", "Device frames received (accepted or rejected).", ["transport"]);
        FramesRejected = f.CreateCounter("gaitstream_frames_rejected_total", "Device frames rejected, by reason (the warning code).", ["reason"]);
        Warnings = f.CreateCounter("gaitstream_warnings_total", "In-stream warnings sent, by code.", ["code"]);
        EstimatesSent = f.CreateCounter("gaitstream_estimates_sent_total", "Estimates written back to devices.", ["transport"]);
        BatchSize = f.CreateHistogram("gaitstream_batch_size", "Windows per inference call.", new HistogramConfiguration
        {
            LabelNames = ["model"],
            Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
        });
        InferenceSeconds = f.CreateHistogram("gaitstream_inference_seconds", "Time of one batched inference call (z-score, model, de-standardise), s.", new HistogramConfiguration
        {
            LabelNames = ["model"],
            Buckets = LatencyBucketsS,
        });
        EndToEndSeconds = f.CreateHistogram("gaitstream_end_to_end_seconds", "Frame received → its estimate written to the transport, s.", new HistogramConfiguration
        {
            LabelNames = ["transport"],
            Buckets = LatencyBucketsS,
        });
        QueueDepth = f.CreateGauge("gaitstream_queue_depth", "Windows waiting for the batching engine after the last call.", ["model"]);
        InFlight = f.CreateGauge("gaitstream_in_flight_frames", "Frames received whose estimate is not yet written, all sessions.");
        Lag = f.CreateCounter("gaitstream_lag_warnings_total", "LAG warnings: a session had many frames in flight (the server could not keep up).");
        WatchersActive = f.CreateGauge("gaitstream_watchers_active", "Watch subscribers (gRPC Watch and dashboard).");
        WatchDropped = f.CreateCounter("gaitstream_watch_dropped_total", "Events a slow observer lost (device sessions are never slowed by observers).");
        Unauthenticated = f.CreateCounter("gaitstream_unauthenticated_total", "Calls or bridge sessions refused for a missing or wrong API key.", ["transport"]);
    }

    public CollectorRegistry Registry { get; }

    public Gauge SessionsActive { get; }

    public Counter SessionsTotal { get; }

    public Counter FramesReceived { get; }

    public Counter FramesRejected { get; }

    public Counter Warnings { get; }

    public Counter EstimatesSent { get; }

    public Histogram BatchSize { get; }

    public Histogram InferenceSeconds { get; }

    public Histogram EndToEndSeconds { get; }

    public Gauge QueueDepth { get; }

    public Gauge InFlight { get; }

    public Counter Lag { get; }

    public Gauge WatchersActive { get; }

    public Counter WatchDropped { get; }

    public Counter Unauthenticated { get; }
}
