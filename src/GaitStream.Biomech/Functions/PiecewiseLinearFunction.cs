namespace GaitStream.Biomech.Functions;

/// <summary>OpenSim <c>PiecewiseLinearFunction</c>: straight segments between knots, extended linearly past the ends.</summary>
public sealed class PiecewiseLinearFunction : ModelFunction
{
    private readonly double[] _x;
    private readonly double[] _y;

    public PiecewiseLinearFunction(double[] x, double[] y)
    {
        SimmSpline.ValidateKnots(x, y, minimumPoints: 2);
        _x = (double[])x.Clone();
        _y = (double[])y.Clone();
    }

    public override double Value(double x)
    {
        int k = SimmSpline.Interval(_x, x);
        return _y[k] + (Slope(k) * (x - _x[k]));
    }

    public override double Derivative(double x) => Slope(SimmSpline.Interval(_x, x));

    private double Slope(int k) => (_y[k + 1] - _y[k]) / (_x[k + 1] - _x[k]);
}
