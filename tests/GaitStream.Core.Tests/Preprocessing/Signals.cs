namespace GaitStream.Core.Tests.Preprocessing;

/// <summary>Test signals and the measurements the preprocessing tests make on them.</summary>
internal static class Signals
{
    public static double[] Times(int count, double rateHz) => Enumerable.Range(0, count).Select(k => k / rateHz).ToArray();

    public static double[] Sine(ReadOnlySpan<double> times, double frequencyHz, double amplitude = 1.0, double phase = 0.0)
    {
        var values = new double[times.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = amplitude * Math.Sin(2 * Math.PI * frequencyHz * times[i] + phase);
        }
        return values;
    }

    /// <summary>
    /// Amplitude and phase of the <paramref name="frequencyHz"/> component of a uniformly sampled segment, by projection
    /// onto sine and cosine. Exact when the segment spans a whole number of periods of every component present.
    /// Phase is that of A·sin(2πf·t + phase) with t measured from the segment start.
    /// </summary>
    public static (double Amplitude, double Phase) Component(ReadOnlySpan<double> segment, double frequencyHz, double rateHz)
    {
        double s = 0, c = 0;
        for (int i = 0; i < segment.Length; i++)
        {
            double angle = 2 * Math.PI * frequencyHz * i / rateHz;
            s += segment[i] * Math.Sin(angle);
            c += segment[i] * Math.Cos(angle);
        }
        s *= 2.0 / segment.Length;
        c *= 2.0 / segment.Length;
        return (Math.Sqrt(s * s + c * c), Math.Atan2(c, s));
    }

    public static double MaxAbsDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }
        return max;
    }

    public static double Decibels(double magnitude) => 20 * Math.Log10(magnitude);
}
