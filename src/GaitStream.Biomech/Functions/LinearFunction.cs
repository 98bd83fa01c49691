namespace GaitStream.Biomech.Functions;

/// <summary>OpenSim <c>LinearFunction</c>, coefficients in file order [slope, intercept]: f(x) = slope·x + intercept.</summary>
public sealed class LinearFunction(double slope, double intercept) : ModelFunction
{
    public double Slope { get; } = slope;

    public double Intercept { get; } = intercept;

    public override double Value(double x) => (Slope * x) + Intercept;

    public override double Derivative(double x) => Slope;
}
