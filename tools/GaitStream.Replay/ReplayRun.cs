namespace GaitStream.Replay;

/// <summary>Every session of one replay and the run's wall time, s.</summary>
internal sealed record ReplayRun(string RunId, IReadOnlyList<SessionResult> Sessions, double WallS)
{
    public long FramesSent => Sessions.Sum(s => (long)s.FramesSent);

    public long EstimatesReceived => Sessions.Sum(s => (long)s.EstimatesReceived);

    public double FramesPerSecond => WallS > 0 ? FramesSent / WallS : double.NaN;

    public IEnumerable<SessionResult> Failed => Sessions.Where(s => s.Failure is not null);
}
