namespace GaitStream.Biomech.Preprocessing;

/// <summary>
/// Zero-lag Butterworth low-pass (one pass forward, one backward) and OpenSim's reflect-and-negate padding, as the
/// inverse dynamics tool applies them to coordinates before differentiating.
/// TODO: switch to GaitStream.Core.Preprocessing's Butterworth / filtfilt once it is on main; this minimal copy exists
/// only so Biomech does not wait for it.
/// </summary>
internal static class ZeroLagButterworth
{
    /// <summary>
    /// Low-passes <paramref name="signal"/> forward and backward with a Butterworth filter of
    /// <paramref name="orderPerPass"/> (so the zero-lag filter has twice that order). The cutoff is the per-pass
    /// −3 dB frequency, uncorrected for the second pass, as OpenSim and scipy's filtfilt do. Each pass starts in the
    /// steady state of its first sample, so a constant signal passes unchanged.
    /// </summary>
    public static double[] LowPass(ReadOnlySpan<double> signal, double sampleRateHz, double cutoffHz, int orderPerPass)
    {
        if (orderPerPass < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(orderPerPass), orderPerPass, "The filter order must be at least 1.");
        }
        if (!(cutoffHz > 0) || !(cutoffHz < 0.5 * sampleRateHz))
        {
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"The cutoff must lie in (0, {0.5 * sampleRateHz}) Hz, below the Nyquist frequency.");
        }
        double[] y = signal.ToArray();
        if (y.Length == 0)
        {
            return y;
        }
        Section[] sections = Design(sampleRateHz, cutoffHz, orderPerPass);
        foreach (Section s in sections)
        {
            s.Run(y);
        }
        Array.Reverse(y);
        foreach (Section s in sections)
        {
            s.Run(y);
        }
        Array.Reverse(y);
        return y;
    }

    /// <summary>
    /// OpenSim's <c>Signal::Pad</c>: prepend and append <paramref name="count"/> samples reflected about the end
    /// points and negated (2·x0 − x[k]), which keeps value and slope continuous at the ends.
    /// </summary>
    public static double[] PadReflectNegate(ReadOnlySpan<double> x, int count)
    {
        int n = x.Length;
        if (count < 0 || count > n - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Padding must lie in [0, {n - 1}] for {n} samples.");
        }
        var p = new double[n + (2 * count)];
        for (int i = 0; i < count; i++)
        {
            p[i] = (2 * x[0]) - x[count - i];
            p[count + n + i] = (2 * x[n - 1]) - x[n - 2 - i];
        }
        x.CopyTo(p.AsSpan(count));
        return p;
    }

    // Bilinear transform of the analog Butterworth prototype with pre-warped cutoff K = tan(π fc / fs): one biquad per
    // conjugate pole pair (damping 2·sin(π(2k−1)/(2n))) and a first-order section when the order is odd.
    private static Section[] Design(double sampleRateHz, double cutoffHz, int order)
    {
        double k = Math.Tan(Math.PI * cutoffHz / sampleRateHz);
        var sections = new List<Section>();
        for (int p = 1; p <= order / 2; p++)
        {
            double damping = 2 * Math.Sin(Math.PI * ((2 * p) - 1) / (2.0 * order));
            double a0 = 1 + (damping * k) + (k * k);
            double b0 = k * k / a0;
            sections.Add(new Section(b0, 2 * b0, b0, ((2 * k * k) - 2) / a0, (1 - (damping * k) + (k * k)) / a0));
        }
        if (order % 2 == 1)
        {
            double a0 = 1 + k;
            sections.Add(new Section(k / a0, k / a0, 0, (k - 1) / a0, 0));
        }
        return sections.ToArray();
    }

    /// <summary>y[n] = b0 x[n] + b1 x[n−1] + b2 x[n−2] − a1 y[n−1] − a2 y[n−2], in transposed direct form II.</summary>
    private readonly record struct Section(double B0, double B1, double B2, double A1, double A2)
    {
        public void Run(double[] y)
        {
            // Steady state for a constant input equal to the first sample (DC gain is 1).
            double x0 = y[0];
            double z1 = x0 * (1 - B0);
            double z2 = x0 * (B2 - A2);
            for (int i = 0; i < y.Length; i++)
            {
                double x = y[i];
                double o = (B0 * x) + z1;
                z1 = (B1 * x) - (A1 * o) + z2;
                z2 = (B2 * x) - (A2 * o);
                y[i] = o;
            }
        }
    }
}
