namespace GaitStream.Biomech.Functions;

/// <summary>OpenSim <c>Constant</c>: f(x) = value.</summary>
public sealed class ConstantFunction(double value) : ModelFunction
{
    public double ConstantValue { get; } = value;

    public override double Value(double x) => ConstantValue;

    public override double Derivative(double x) => 0;
}
