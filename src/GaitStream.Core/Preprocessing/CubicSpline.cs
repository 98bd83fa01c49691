using System.Buffers;

namespace GaitStream.Core.Preprocessing;

/// <summary>
/// Interpolating cubic spline with not-a-knot end conditions (scipy's <c>CubicSpline</c> and MATLAB's
/// <c>spline</c> default). Internal: <see cref="Resampler"/> is the public face.
/// </summary>
/// <remarks>
/// Why not-a-knot rather than natural: a natural spline forces zero curvature at both ends, but a joint angle at
/// the end of a trial is mid-swing with real curvature, so the natural spline's error near the ends is O(h²)
/// instead of O(h⁴). Not-a-knot keeps O(h⁴) everywhere and reproduces cubics exactly. Why not Catmull-Rom or
/// Akima: both are only C¹ and less accurate on smooth signals; their advantage (no overshoot at outliers) does
/// not matter for filtered kinematics.
/// </remarks>
internal static class CubicSpline
{
    /// <summary>
    /// Evaluates the spline through (<paramref name="x"/>, <paramref name="y"/>) at increasing
    /// <paramref name="targets"/>. Inputs are assumed validated: x strictly increasing, lengths ≥ 2, all finite.
    /// Targets a hair outside [x₀, xₙ₋₁] use the end polynomial.
    /// </summary>
    public static void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> targets, Span<double> destination)
    {
        int n = x.Length;
        double[] rented = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            Span<double> slopes = rented.AsSpan(0, n);
            Span<double> scratch = rented.AsSpan(n, n);
            ComputeSlopes(x, y, slopes, scratch);

            int interval = 0;
            for (int k = 0; k < targets.Length; k++)
            {
                double t = targets[k];
                while (interval < n - 2 && t > x[interval + 1])
                {
                    interval++;
                }
                destination[k] = Hermite(x, y, slopes, interval, t);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static double Hermite(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> slopes, int i, double t)
    {
        double h = x[i + 1] - x[i];
        double secant = (y[i + 1] - y[i]) / h;
        double s0 = slopes[i];
        double s1 = slopes[i + 1];
        double c2 = (3.0 * secant - 2.0 * s0 - s1) / h;
        double c3 = (s0 + s1 - 2.0 * secant) / (h * h);
        double d = t - x[i];
        return y[i] + d * (s0 + d * (c2 + d * c3));
    }

    // First derivatives at the knots. The interior rows are C² continuity; the end rows say the third derivative
    // is continuous across x₁ and xₙ₋₂ (not-a-knot), written in scipy's tridiagonal form. Solved by the Thomas
    // algorithm; `upper` holds the eliminated super-diagonal, `slopes` the right-hand side until back-substitution.
    private static void ComputeSlopes(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> slopes, Span<double> upper)
    {
        int n = x.Length;
        if (n == 2)
        {
            // A straight line is the only sensible curve through two points.
            slopes[0] = slopes[1] = (y[1] - y[0]) / (x[1] - x[0]);
            return;
        }
        if (n == 3)
        {
            // Not-a-knot on three points is the parabola through them.
            double h0 = x[1] - x[0];
            double h1 = x[2] - x[1];
            double m0 = (y[1] - y[0]) / h0;
            double m1 = (y[2] - y[1]) / h1;
            double c = (m1 - m0) / (x[2] - x[0]);
            slopes[0] = m0 - c * h0;
            slopes[1] = m0 + c * h0;
            slopes[2] = m0 + c * (h0 + 2.0 * h1);
            return;
        }

        for (int i = 0; i < n; i++)
        {
            double lower, diagonal, up, rhs;
            if (i == 0)
            {
                double h0 = x[1] - x[0];
                double h1 = x[2] - x[1];
                double d = x[2] - x[0];
                lower = 0;
                diagonal = h1;
                up = d;
                rhs = ((h0 + 2.0 * d) * h1 * Secant(x, y, 0) + h0 * h0 * Secant(x, y, 1)) / d;
            }
            else if (i == n - 1)
            {
                double hLast = x[n - 1] - x[n - 2];
                double hBefore = x[n - 2] - x[n - 3];
                double d = x[n - 1] - x[n - 3];
                lower = d;
                diagonal = hBefore;
                up = 0;
                rhs = (hLast * hLast * Secant(x, y, n - 3) + (2.0 * d + hLast) * hBefore * Secant(x, y, n - 2)) / d;
            }
            else
            {
                double hLeft = x[i] - x[i - 1];
                double hRight = x[i + 1] - x[i];
                lower = hRight;
                diagonal = 2.0 * (hLeft + hRight);
                up = hLeft;
                rhs = 3.0 * (hRight * Secant(x, y, i - 1) + hLeft * Secant(x, y, i));
            }

            if (i > 0)
            {
                diagonal -= lower * upper[i - 1];
                rhs -= lower * slopes[i - 1];
            }
            upper[i] = up / diagonal;
            slopes[i] = rhs / diagonal;
        }
        for (int i = n - 2; i >= 0; i--)
        {
            slopes[i] -= upper[i] * slopes[i + 1];
        }
    }

    private static double Secant(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int i) => (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
}
