namespace GaitStream.Biomech.Functions;

/// <summary>
/// Interpolating cubic spline with natural end conditions (zero second derivative at both ends). Inverse dynamics
/// differentiates filtered coordinates through it; OpenSim's <c>NaturalCubicSpline</c> function reads into it too.
/// Beyond the ends it continues the end cubic, which is only ever asked for inside the padded range.
/// </summary>
public sealed class NaturalCubicSpline : ModelFunction
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _m; // second derivatives at the knots

    public NaturalCubicSpline(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double[] xs = x.ToArray(), ys = y.ToArray();
        SimmSpline.ValidateKnots(xs, ys, minimumPoints: 2);
        _x = xs;
        _y = ys;
        int n = xs.Length;
        _m = new double[n];
        if (n < 3)
        {
            return;
        }

        // Tridiagonal system for interior second derivatives (Thomas algorithm); m[0] = m[n-1] = 0.
        var diag = new double[n];
        var rhs = new double[n];
        for (int i = 1; i < n - 1; i++)
        {
            double h0 = xs[i] - xs[i - 1], h1 = xs[i + 1] - xs[i];
            diag[i] = 2 * (h0 + h1);
            rhs[i] = 6 * (((ys[i + 1] - ys[i]) / h1) - ((ys[i] - ys[i - 1]) / h0));
        }
        for (int i = 2; i < n - 1; i++)
        {
            double sub = xs[i] - xs[i - 1];
            double w = sub / diag[i - 1];
            diag[i] -= w * sub;
            rhs[i] -= w * rhs[i - 1];
        }
        for (int i = n - 2; i >= 1; i--)
        {
            double sup = xs[i + 1] - xs[i];
            _m[i] = (rhs[i] - (i + 1 < n - 1 ? sup * _m[i + 1] : 0)) / diag[i];
        }
    }

    public override double Value(double x)
    {
        int k = SimmSpline.Interval(_x, x);
        double h = _x[k + 1] - _x[k];
        double a = (_x[k + 1] - x) / h, b = (x - _x[k]) / h;
        return (a * _y[k]) + (b * _y[k + 1]) + ((((a * a * a) - a) * _m[k]) + (((b * b * b) - b) * _m[k + 1])) * h * h / 6;
    }

    public override double Derivative(double x)
    {
        int k = SimmSpline.Interval(_x, x);
        double h = _x[k + 1] - _x[k];
        double a = (_x[k + 1] - x) / h, b = (x - _x[k]) / h;
        return ((_y[k + 1] - _y[k]) / h) - (((3 * a * a) - 1) * h * _m[k] / 6) + (((3 * b * b) - 1) * h * _m[k + 1] / 6);
    }

    public double SecondDerivative(double x)
    {
        int k = SimmSpline.Interval(_x, x);
        double h = _x[k + 1] - _x[k];
        double a = (_x[k + 1] - x) / h;
        return (a * _m[k]) + ((1 - a) * _m[k + 1]);
    }
}
