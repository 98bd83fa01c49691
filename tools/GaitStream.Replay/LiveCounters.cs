namespace GaitStream.Replay;

/// <summary>
/// Counters every session updates as it goes, for the live display: frames sent, estimates received and a
/// log-bucketed latency histogram (1 µs … 100 s, 40 buckets per decade, so a percentile is read to within 6 %).
/// Lock-free; the report's exact percentiles come from the raw latencies instead.
/// </summary>
internal sealed class LiveCounters
{
    private const int BucketsPerDecade = 40;
    private const double MinMs = 1e-3;
    private readonly long[] _buckets = new long[(8 * BucketsPerDecade) + 1];
    private long _frames;
    private long _estimates;

    public long Frames => Interlocked.Read(ref _frames);

    public long Estimates => Interlocked.Read(ref _estimates);

    public void AddFrames(int frames) => Interlocked.Add(ref _frames, frames);

    public void AddLatency(double ms)
    {
        Interlocked.Increment(ref _estimates);
        Interlocked.Increment(ref _buckets[Bucket(ms)]);
    }

    /// <summary>Upper edge of the bucket holding the p-th percentile (0–100) of every latency so far; NaN before the first.</summary>
    public double PercentileMs(double p)
    {
        long total = Estimates;
        if (total == 0)
        {
            return double.NaN;
        }
        long rank = (long)Math.Ceiling(p / 100 * total);
        long seen = 0;
        for (int b = 0; b < _buckets.Length; b++)
        {
            seen += Interlocked.Read(ref _buckets[b]);
            if (seen >= rank)
            {
                return MinMs * Math.Pow(10, (b + 1.0) / BucketsPerDecade);
            }
        }
        return double.PositiveInfinity;
    }

    private int Bucket(double ms)
    {
        if (!(ms > MinMs))
        {
            return 0;
        }
        int b = (int)(Math.Log10(ms / MinMs) * BucketsPerDecade);
        return Math.Clamp(b, 0, _buckets.Length - 1);
    }
}
