namespace GaitStream.Biomech.Functions;

/// <summary>OpenSim <c>MultiplierFunction</c>: f(x) = scale·g(x). Scaling a model wraps its joint and path functions in these.</summary>
public sealed class MultiplierFunction : ModelFunction
{
    public MultiplierFunction(ModelFunction inner, double scale)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        Scale = scale;
    }

    public ModelFunction Inner { get; }

    public double Scale { get; }

    public override double Value(double x) => Scale * Inner.Value(x);

    public override double Derivative(double x) => Scale * Inner.Derivative(x);
}
