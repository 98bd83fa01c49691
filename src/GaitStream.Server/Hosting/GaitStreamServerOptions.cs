using GaitStream.Inference.Backends;
using GaitStream.Inference.Batching;

using GaitStream.Server.Sessions;

namespace GaitStream.Server.Hosting;

/// <summary>Everything the service can be told, bound from the configuration section <c>GaitStream</c>.</summary>
/// <remarks>
/// Any key can be set in appsettings.json, as an environment variable (<c>GaitStream__GrpcPort=6000</c>) or on the
/// command line (<c>--GaitStream:GrpcPort=6000</c>). <see cref="Validate"/> runs at start-up and names the key at fault.
/// </remarks>
public sealed class GaitStreamServerOptions
{
    public const string Section = "GaitStream";

    /// <summary>Folder of ONNX models and their cards; empty: the nearest <c>models/</c> above the working folder.</summary>
    public string? ModelsDirectory { get; set; }

    /// <summary>Model used when a session names none; empty: <c>default.txt</c> in the models folder, else the first model.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>gRPC port (HTTP/2). 0 = any free port (tests).</summary>
    public int GrpcPort { get; set; } = 50051;

    /// <summary>HTTP/1.1 port for the dashboard, <c>/metrics</c> and <c>/healthz</c>. 0 = any free port; -1 = off.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>TCP line-protocol bridge port. 0 = any free port; -1 = off.</summary>
    public int TcpPort { get; set; } = 50052;

    /// <summary>Listen on every interface instead of loopback only. Off by default: exposing it is a decision.</summary>
    public bool ExposeOnNetwork { get; set; }

    public TlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Device name → API key. When any key is configured every gRPC call must carry <c>x-api-key</c> metadata (and a TCP
    /// bridge session an <c>api_key=</c> field) matching one of them; keys are compared in constant time.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = [];

    public SessionLimits Limits { get; set; } = new();

    public BatchingOptions Batching { get; set; } = new();

    /// <summary>
    /// ONNX Runtime settings. One intra-op thread by default: the engine already batches across sessions, and on a
    /// small CPU box ORT's own thread pool contends with the gRPC threads (measured: 20 × 100 Hz sessions p99 14 ms with
    /// one thread, overloaded with ORT's default; docs/benchmarks/service-1thread.json vs service.json).
    /// </summary>
    public InferenceOptions Inference { get; set; } = new() { MaxBatchSize = 256, IntraOpThreads = 1 };

    /// <summary>Per-channel physiological ranges, degrees (frames outside are rejected); missing channels use the defaults.</summary>
    public Dictionary<string, AngleRange> AngleRanges { get; set; } = [];

    public GaitStreamServerOptions Validate()
    {
        CheckPort(GrpcPort, nameof(GrpcPort), allowOff: false);
        CheckPort(HttpPort, nameof(HttpPort), allowOff: true);
        CheckPort(TcpPort, nameof(TcpPort), allowOff: true);
        Tls.Validate();
        foreach ((string device, string key) in ApiKeys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length < 16)
            {
                throw new InvalidOperationException($"{Section}:ApiKeys:{device} must be at least 16 characters (use a random key, e.g. 'openssl rand -hex 24').");
            }
        }
        Limits.Validate();
        Batching.Validate();
        Inference.Validate();
        foreach ((string channel, AngleRange range) in AngleRanges)
        {
            if (!(range.MinDeg < range.MaxDeg))
            {
                throw new InvalidOperationException($"{Section}:AngleRanges:{channel} needs MinDeg < MaxDeg (got {range.MinDeg} … {range.MaxDeg}).");
            }
        }
        return this;
    }

    private static void CheckPort(int port, string name, bool allowOff)
    {
        if (port > 65535 || port < (allowOff ? -1 : 0))
        {
            throw new InvalidOperationException($"{Section}:{name} must be 0–65535{(allowOff ? " or -1 (off)" : "")}; got {port}.");
        }
    }
}
