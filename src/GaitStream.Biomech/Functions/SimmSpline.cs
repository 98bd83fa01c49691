namespace GaitStream.Biomech.Functions;

/// <summary>
/// OpenSim's <c>SimmSpline</c>, reproduced so joint and path geometry match OpenSim to rounding. Despite the name it
/// is not a natural spline: it is the Forsythe–Malcolm–Moler cubic spline whose end conditions match the third
/// derivative of the cubic through the first (last) four knots; with three knots the end second derivatives are
/// zero and with two it is a straight line. Outside the knot range OpenSim extrapolates linearly with the end slope.
/// </summary>
public sealed class SimmSpline : ModelFunction
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _b;
    private readonly double[] _c;
    private readonly double[] _d;

    public SimmSpline(double[] x, double[] y)
    {
        ValidateKnots(x, y, minimumPoints: 2);
        _x = (double[])x.Clone();
        _y = (double[])y.Clone();
        int n = x.Length;
        _b = new double[n];
        _c = new double[n];
        _d = new double[n];
        ComputeCoefficients();
    }

    public IReadOnlyList<double> X => _x;

    public IReadOnlyList<double> Y => _y;

    public override double Value(double x)
    {
        int n = _x.Length;
        if (x < _x[0])
        {
            return _y[0] + ((x - _x[0]) * _b[0]);
        }
        if (x > _x[n - 1])
        {
            return _y[n - 1] + ((x - _x[n - 1]) * _b[n - 1]);
        }
        int k = Interval(_x, x);
        double dx = x - _x[k];
        return _y[k] + (dx * (_b[k] + (dx * (_c[k] + (dx * _d[k])))));
    }

    public override double Derivative(double x)
    {
        int n = _x.Length;
        if (x < _x[0])
        {
            return _b[0];
        }
        if (x > _x[n - 1])
        {
            return _b[n - 1];
        }
        int k = Interval(_x, x);
        double dx = x - _x[k];
        return _b[k] + (dx * ((2 * _c[k]) + (3 * dx * _d[k])));
    }

    /// <summary>Index k of the knot interval [x_k, x_k+1] holding x (clamped to the first / last interval).</summary>
    internal static int Interval(double[] knots, double x)
    {
        int lo = 0, hi = knots.Length - 2;
        if (x <= knots[0])
        {
            return 0;
        }
        if (x >= knots[hi])
        {
            return hi;
        }
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (knots[mid] <= x)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    internal static void ValidateKnots(double[] x, double[] y, int minimumPoints)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"A spline needs as many x ({x.Length}) as y ({y.Length}) values.", nameof(y));
        }
        if (x.Length < minimumPoints)
        {
            throw new ArgumentException($"A spline needs at least {minimumPoints} knots; got {x.Length}.", nameof(x));
        }
        for (int i = 1; i < x.Length; i++)
        {
            if (!(x[i] > x[i - 1]))
            {
                throw new ArgumentException($"Spline knots must increase strictly; x[{i - 1}] = {x[i - 1]}, x[{i}] = {x[i]}.", nameof(x));
            }
        }
    }

    // The FMM algorithm: a tridiagonal system for the second-derivative-like c, solved by elimination, then the
    // polynomial coefficients y + b·dx + c·dx² + d·dx³ on each interval.
    private void ComputeCoefficients()
    {
        double[] x = _x, y = _y, b = _b, c = _c, d = _d;
        int n = x.Length;
        if (n == 2)
        {
            b[0] = b[1] = (y[1] - y[0]) / (x[1] - x[0]);
            return;
        }

        int nm1 = n - 1, nm2 = n - 2;
        d[0] = x[1] - x[0];
        c[1] = (y[1] - y[0]) / d[0];
        for (int i = 1; i < nm1; i++)
        {
            d[i] = x[i + 1] - x[i];
            b[i] = 2.0 * (d[i - 1] + d[i]);
            c[i + 1] = (y[i + 1] - y[i]) / d[i];
            c[i] = c[i + 1] - c[i];
        }

        b[0] = -d[0];
        b[nm1] = -d[nm2];
        c[0] = 0.0;
        c[nm1] = 0.0;
        if (n > 3)
        {
            // Third derivatives at the ends from divided differences of the end four knots.
            double d31 = x[3] - x[1];
            double d20 = x[2] - x[0];
            double d1 = x[nm1] - x[n - 3];
            double d2 = x[nm2] - x[n - 4];
            double d30 = x[3] - x[0];
            double d3 = x[nm1] - x[n - 4];
            c[0] = (c[2] / d31) - (c[1] / d20);
            c[nm1] = (c[nm2] / d1) - (c[n - 3] / d2);
            c[0] = c[0] * d[0] * d[0] / d30;
            c[nm1] = -c[nm1] * d[nm2] * d[nm2] / d3;
        }

        for (int i = 1; i < n; i++)
        {
            double t = d[i - 1] / b[i - 1];
            b[i] -= t * d[i - 1];
            c[i] -= t * c[i - 1];
        }

        c[nm1] /= b[nm1];
        for (int i = nm2; i >= 0; i--)
        {
            c[i] = (c[i] - (d[i] * c[i + 1])) / b[i];
        }

        b[nm1] = ((y[nm1] - y[nm2]) / d[nm2]) + (d[nm2] * (c[nm2] + (2.0 * c[nm1])));
        for (int i = 0; i < nm1; i++)
        {
            b[i] = ((y[i + 1] - y[i]) / d[i]) - (d[i] * (c[i + 1] + (2.0 * c[i])));
            d[i] = (c[i + 1] - c[i]) / d[i];
            c[i] *= 3.0;
        }
        c[nm1] *= 3.0;
        d[nm1] = d[nm2];
    }
}
