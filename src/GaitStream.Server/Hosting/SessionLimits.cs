namespace GaitStream.Server.Hosting;

/// <summary>What one session, and all of them together, may ask of the service.</summary>
public sealed class SessionLimits
{
    public int MaxSessions { get; set; } = 256;

    public int MaxFramesPerBatch { get; set; } = 512;

    /// <summary>Largest gRPC message, bytes (both directions).</summary>
    public int MaxMessageBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Frames received whose estimate (or warning) is not yet written back. At the limit the session stops reading,
    /// so the device is slowed by flow control; this is also what bounds every queue behind the session.
    /// </summary>
    public int MaxInFlightPerSession { get; set; } = 256;

    /// <summary>Sustained frames/s one session may send (token bucket, one second of burst); faster is slowed, not dropped.</summary>
    public double MaxFramesPerSecondPerSession { get; set; } = 5000;

    /// <summary>A session that sends nothing for this long is ended with DEADLINE_EXCEEDED, s.</summary>
    public double IdleTimeoutS { get; set; } = 30;

    /// <summary>Estimates every this many device frames when the session does not say.</summary>
    public int DefaultHopFrames { get; set; } = 1;

    /// <summary>Timestamp gaps up to this long are bridged by interpolation; longer ones restart the window, s.</summary>
    public double MaxBridgedGapS { get; set; } = 0.25;

    /// <summary>A LAG warning is sent when this many frames are in flight (0 = off).</summary>
    public int LagWarningFrames { get; set; } = 128;

    public void Validate()
    {
        Require(MaxSessions is >= 1 and <= 100_000, nameof(MaxSessions), "1–100000");
        Require(MaxFramesPerBatch is >= 1 and <= 100_000, nameof(MaxFramesPerBatch), "1–100000");
        Require(MaxMessageBytes is >= 1024 and <= 64 << 20, nameof(MaxMessageBytes), "1 KiB–64 MiB");
        Require(MaxInFlightPerSession is >= 1 and <= 100_000, nameof(MaxInFlightPerSession), "1–100000");
        Require(MaxFramesPerSecondPerSession >= 60, nameof(MaxFramesPerSecondPerSession), "at least 60");
        Require(IdleTimeoutS > 0, nameof(IdleTimeoutS), "positive");
        Require(DefaultHopFrames is >= 1 and <= 1000, nameof(DefaultHopFrames), "1–1000");
        Require(MaxBridgedGapS > 0, nameof(MaxBridgedGapS), "positive");
        Require(LagWarningFrames >= 0, nameof(LagWarningFrames), "0 or more");
    }

    private static void Require(bool ok, string name, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{GaitStreamServerOptions.Section}:Limits:{name} must be {what}.");
        }
    }
}
