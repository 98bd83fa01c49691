using GaitStream.Biomech.Functions;
using GaitStream.Biomech.Kinematics;
using GaitStream.Core.Preprocessing;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// Coordinates prepared as OpenSim's ID tool prepares them, with their first and second time derivatives at the
/// trajectory's frames (SI units, <c>Q[coordinate][frame]</c>): padded by half the trial with reflected-and-negated
/// samples (<c>Storage::pad</c>), low-passed forward and backward by Core's <see cref="ButterworthLowPass"/>, then a
/// natural cubic spline through the padded, filtered samples is evaluated and differentiated. Shared by inverse
/// dynamics and ground reaction estimation so both see the same motion.
/// </summary>
internal sealed class SmoothedCoordinates
{
    private SmoothedCoordinates(double[][] q, double[][] qd, double[][] qdd)
    {
        Q = q;
        Qd = qd;
        Qdd = qdd;
    }

    public double[][] Q { get; }

    public double[][] Qd { get; }

    public double[][] Qdd { get; }

    public static SmoothedCoordinates Prepare(CoordinateTrajectory trajectory, InverseDynamicsOptions options)
    {
        double[] time = trajectory.TimeS;
        int n = time.Length;
        if (n < 4)
        {
            throw new ArgumentException($"Inverse dynamics needs at least 4 frames; the trajectory has {n}.", nameof(trajectory));
        }
        double dt = (time[^1] - time[0]) / (n - 1);
        for (int k = 1; k < n; k++)
        {
            if (Math.Abs(time[k] - time[k - 1] - dt) > 1e-3 * dt)
            {
                throw new ArgumentException(
                    $"Frames must be evenly spaced to filter and differentiate; step {k} is {time[k] - time[k - 1]:G6} s, the mean {dt:G6} s.", nameof(trajectory));
            }
        }

        // The pad is OpenSim's, not the filter's: the padded, filtered samples stay in the spline, so the spline's
        // natural end conditions sit half a trial away from the first and last frames. Core's FiltFilt pads the same
        // way but discards its pad, so it runs here with no pad of its own.
        int pad = options.PadLikeOpenSim ? Math.Min(n / 2, n - 1) : 0;
        var paddedTime = new double[n + (2 * pad)];
        for (int i = 0; i < paddedTime.Length; i++)
        {
            paddedTime[i] = time[0] + ((i - pad) * dt);
        }
        ButterworthLowPass? filter = options.CoordinateCutoffHz is { } hz
            ? new ButterworthLowPass(hz, 1.0 / dt, options.FilterOrderPerPass)
            : null;

        int nq = trajectory.Values.Length;
        var q = new double[nq][];
        var qd = new double[nq][];
        var qdd = new double[nq][];
        for (int c = 0; c < nq; c++)
        {
            double[] x = PadReflectNegate(trajectory.Values[c], pad);
            filter?.FiltFilt(x, x, padLength: 0);
            var spline = new NaturalCubicSpline(paddedTime, x);
            q[c] = new double[n];
            qd[c] = new double[n];
            qdd[c] = new double[n];
            for (int k = 0; k < n; k++)
            {
                double t = time[k];
                q[c][k] = spline.Value(t);
                qd[c][k] = spline.Derivative(t);
                qdd[c][k] = spline.SecondDerivative(t);
            }
        }
        return new SmoothedCoordinates(q, qd, qdd);
    }

    /// <summary>
    /// OpenSim's <c>Signal::Pad</c>: prepend and append <paramref name="count"/> samples reflected about the end
    /// points and negated (2·x0 − x[k]), which keeps value and slope continuous at the ends.
    /// </summary>
    internal static double[] PadReflectNegate(ReadOnlySpan<double> x, int count)
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
}
