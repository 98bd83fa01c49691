using GaitStream.Protocol.V1;

namespace GaitStream.Replay;

/// <summary>What one replayed session sent and got back, frame by frame.</summary>
internal sealed class SessionResult(string sessionId, ReplayTrial trial, int index)
{
    public string SessionId { get; } = sessionId;

    public ReplayTrial Trial { get; } = trial;

    /// <summary>Position of the session in the run (trials are cycled over sessions).</summary>
    public int Index { get; } = index;

    public SessionAccepted? Accepted { get; set; }

    public int FramesSent { get; set; }

    /// <summary>Frames before the first whole window (warm-up): no estimate by design.</summary>
    public int WarmupFrames { get; set; }

    /// <summary>Frames that should each have exactly one estimate.</summary>
    public int Expected { get; set; }

    /// <summary>Estimate messages read, whatever their seq.</summary>
    public int EstimatesReceived { get; set; }

    /// <summary>Distinct expected frames with an estimate.</summary>
    public int Received { get; set; }

    public int Duplicated { get; set; }

    /// <summary>Estimates for frames that should have none (warm-up, rejected, or a seq never sent).</summary>
    public int Unexpected { get; set; }

    /// <summary>Frames the server rejected with a warning (they get no estimate).</summary>
    public int Rejected { get; set; }

    /// <summary>Expected frames (not rejected) whose estimate never arrived: must be zero.</summary>
    public int Missing { get; set; }

    public Dictionary<string, int> Warnings { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-kg estimate of each frame (null where none arrived), in the model's output order.</summary>
    public float[]?[] EstimatesPerKg { get; set; } = [];

    /// <summary>Client latency of each estimate, ms, in arrival order.</summary>
    public List<double> LatenciesMs { get; } = [];

    public double WallS { get; set; }

    /// <summary>The gRPC status or failure that ended the session abnormally; null when it ended OK.</summary>
    public string? Failure { get; set; }

    public bool FailureIsBadInput { get; set; }
}
