namespace GaitStream.Replay;

/// <summary>Delivery accounting over every session of a run.</summary>
internal sealed record DeliveryTotals(long FramesSent, long EstimatesReceived, long Warmup, long Expected, long Rejected, long Missing, long Duplicated, long Unexpected)
{
    /// <summary>Estimates that went missing, twice, or where none belonged: must be zero.</summary>
    public long Lost => Missing + Duplicated + Unexpected;

    public static DeliveryTotals Of(ReplayRun run) => new(
        run.Sessions.Sum(s => (long)s.FramesSent),
        run.Sessions.Sum(s => (long)s.EstimatesReceived),
        run.Sessions.Sum(s => (long)s.WarmupFrames),
        run.Sessions.Sum(s => (long)s.Expected),
        run.Sessions.Sum(s => (long)s.Rejected),
        run.Sessions.Sum(s => (long)s.Missing),
        run.Sessions.Sum(s => (long)s.Duplicated),
        run.Sessions.Sum(s => (long)s.Unexpected));
}
