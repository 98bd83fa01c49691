namespace GaitStream.Synth.Kinematics;

/// <summary>
/// A periodic function of the gait phase (in cycles, period 1): y(φ) = Mean + Σₖ Aₖ·cos(2πkφ) + Bₖ·sin(2πkφ).
/// Eight harmonics reproduce gait kinematics to a fraction of a degree; the fit removes the small end-to-end drift of
/// one measured cycle (linearly over the cycle) so the series closes.
/// </summary>
public sealed record FourierSeries(double Mean, double[] Cos, double[] Sin)
{
    public int Harmonics => Cos.Length;

    public double Value(double phase)
    {
        double y = Mean;
        double w = 2 * Math.PI * phase;
        for (int k = 0; k < Cos.Length; k++)
        {
            (double s, double c) = Math.SinCos((k + 1) * w);
            y += (Cos[k] * c) + (Sin[k] * s);
        }
        return y;
    }

    /// <summary>Amplitude of harmonic k (1-based): √(A²+B²).</summary>
    public double Amplitude(int k) => Math.Sqrt((Cos[k - 1] * Cos[k - 1]) + (Sin[k - 1] * Sin[k - 1]));

    /// <summary>
    /// Fits one cycle of <paramref name="values"/> sampled at <paramref name="timeS"/> between <paramref name="startS"/>
    /// and <paramref name="endS"/> (one cycle). Returns the series and the drift per cycle that was removed
    /// (the progression of pelvis_tx, for instance).
    /// </summary>
    public static (FourierSeries Series, double DriftPerCycle) FitCycle(double[] timeS, double[] values, double startS, double endS, int harmonics)
    {
        ArgumentNullException.ThrowIfNull(timeS);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(harmonics, 1);
        const int n = 400;
        double y0 = Interpolate(timeS, values, startS);
        double drift = Interpolate(timeS, values, endS) - y0;
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double phase = i / (double)n;
            y[i] = Interpolate(timeS, values, startS + (phase * (endS - startS))) - (drift * phase);
        }
        double mean = y.Average();
        var a = new double[harmonics];
        var b = new double[harmonics];
        for (int k = 0; k < harmonics; k++)
        {
            double sa = 0, sb = 0;
            for (int i = 0; i < n; i++)
            {
                (double s, double c) = Math.SinCos(2 * Math.PI * (k + 1) * i / n);
                sa += y[i] * c;
                sb += y[i] * s;
            }
            a[k] = 2 * sa / n;
            b[k] = 2 * sb / n;
        }
        // The series is the cycle less the ramp drift·φ: value(φ) + drift·φ gives the measured cycle back.
        return (new FourierSeries(mean, a, b), drift);
    }

    private static double Interpolate(double[] t, double[] y, double at)
    {
        int hi = Array.BinarySearch(t, at);
        if (hi >= 0)
        {
            return y[hi];
        }
        hi = ~hi;
        if (hi <= 0)
        {
            return y[0];
        }
        if (hi >= t.Length)
        {
            return y[^1];
        }
        double u = (at - t[hi - 1]) / (t[hi] - t[hi - 1]);
        return y[hi - 1] + (u * (y[hi] - y[hi - 1]));
    }
}
