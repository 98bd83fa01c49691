namespace GaitStream.Replay;

/// <summary>Client-side latency (frame written → its estimate read) of a set of estimates, ms. Percentiles are nearest-rank.</summary>
public sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary Of(IReadOnlyCollection<double> latenciesMs)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        if (latenciesMs.Count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        double[] sorted = [.. latenciesMs];
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least p % of the values at or below it.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
