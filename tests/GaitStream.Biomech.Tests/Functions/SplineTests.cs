using GaitStream.Biomech.Functions;

namespace GaitStream.Biomech.Tests.Functions;

public sealed class SplineTests
{
    [Fact]
    public void SimmSpline_reproduces_a_cubic_exactly_because_its_end_conditions_match_third_derivatives()
    {
        // The Forsythe–Malcolm–Moler end conditions make the spline exact for cubics; a natural spline is not.
        static double F(double x) => (0.3 * x * x * x) - (x * x) + (0.5 * x) - 2;
        double[] x = [-2, -1.3, -0.2, 0.4, 1.1, 2.5];
        double[] y = x.Select(F).ToArray();
        var simm = new SimmSpline(x, y);
        var natural = new NaturalCubicSpline(x, y);
        foreach (double t in new[] { -1.9, -0.7, 0.0, 0.9, 2.3 })
        {
            Assert.Equal(F(t), simm.Value(t), 10);
            Assert.Equal((0.9 * t * t) - (2 * t) + 0.5, simm.Derivative(t), 9);
        }
        Assert.True(Math.Abs(natural.Value(-1.9) - F(-1.9)) > 1e-3);
    }

    [Fact]
    public void SimmSpline_extrapolates_linearly_with_the_end_slope_as_OpenSim_does()
    {
        var s = new SimmSpline([0, 1, 2, 3], [0, 1, 4, 9]);
        double slopeEnd = s.Derivative(3);
        Assert.Equal(9 + (2 * slopeEnd), s.Value(5), 10);
        Assert.Equal(slopeEnd, s.Derivative(7), 12);
        var line = new SimmSpline([0, 2], [1, 5]);
        Assert.Equal(3, line.Value(1), 12);
        Assert.Equal(2, line.Derivative(10), 12);
    }

    [Fact]
    public void NaturalCubicSpline_differentiates_a_smooth_signal_accurately_away_from_the_ends()
    {
        double[] t = Enumerable.Range(0, 121).Select(i => i / 60.0).ToArray();
        double[] y = t.Select(x => Math.Sin(2 * Math.PI * x)).ToArray();
        var s = new NaturalCubicSpline(t, y);
        foreach (double x in new[] { 0.5, 0.77, 1.2 })
        {
            Assert.Equal(2 * Math.PI * Math.Cos(2 * Math.PI * x), s.Derivative(x), 1e-3);
            Assert.Equal(-4 * Math.PI * Math.PI * Math.Sin(2 * Math.PI * x), s.SecondDerivative(x), 0.2);
        }
        Assert.Equal(0, s.SecondDerivative(0), 12);
        Assert.Equal(0, s.SecondDerivative(2), 12);
    }
}
