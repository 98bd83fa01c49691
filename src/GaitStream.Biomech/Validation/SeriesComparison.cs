using System.Runtime.InteropServices;

namespace GaitStream.Biomech.Validation;

/// <summary>
/// Compares a GaitStream series with an OpenSim reference sampled on its own time grid: each of our frames is paired
/// with the reference row nearest in time (OpenSim prints ID times 2.4e-7 s off the IK grid, CMC and SO on other
/// grids), frames without a reference row within the tolerance are left out, then Pearson r and RMSE.
/// </summary>
public static class SeriesComparison
{
    /// <summary>Compares <paramref name="values"/> (at <paramref name="timeS"/>) with a reference; both are divided by <paramref name="scale"/> (e.g. body mass) for the RMSE.</summary>
    public static ComparisonResult Compare(
        ReadOnlySpan<double> timeS, ReadOnlySpan<double> values,
        ReadOnlySpan<double> referenceTimeS, ReadOnlySpan<double> referenceValues,
        double scale = 1.0, double toleranceS = 1e-4)
    {
        if (timeS.Length != values.Length || referenceTimeS.Length != referenceValues.Length)
        {
            throw new ArgumentException("Each series needs one value per time.");
        }
        if (!(scale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive.");
        }

        var ours = new List<double>(timeS.Length);
        var theirs = new List<double>(timeS.Length);
        for (int k = 0; k < timeS.Length; k++)
        {
            int j = Nearest(referenceTimeS, timeS[k]);
            if (Math.Abs(referenceTimeS[j] - timeS[k]) <= toleranceS)
            {
                ours.Add(values[k] / scale);
                theirs.Add(referenceValues[j] / scale);
            }
        }
        if (ours.Count < 3)
        {
            throw new ArgumentException($"Only {ours.Count} frames share a time (±{toleranceS} s) with the reference; nothing to compare.");
        }
        double peakOurs = ours.Max(Math.Abs);
        double peakTheirs = theirs.Max(Math.Abs);
        return new ComparisonResult(Pearson(CollectionsMarshal.AsSpan(ours), CollectionsMarshal.AsSpan(theirs)), Rmse(ours, theirs), ours.Count,
            peakTheirs > 0 ? peakOurs / peakTheirs : double.NaN);
    }

    /// <summary>Pearson correlation; NaN when either series is constant.</summary>
    public static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException("Pearson r needs two non-empty series of equal length.");
        }
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.Length;
        mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }

    private static double Rmse(List<double> a, List<double> b)
    {
        double se = 0;
        for (int i = 0; i < a.Count; i++)
        {
            se += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.Sqrt(se / a.Count);
    }

    private static int Nearest(ReadOnlySpan<double> time, double t)
    {
        int i = time.BinarySearch(t);
        if (i >= 0)
        {
            return i;
        }
        i = ~i;
        if (i == 0)
        {
            return 0;
        }
        if (i == time.Length)
        {
            return time.Length - 1;
        }
        return t - time[i - 1] < time[i] - t ? i - 1 : i;
    }
}
