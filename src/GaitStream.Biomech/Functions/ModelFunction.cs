namespace GaitStream.Biomech.Functions;

/// <summary>
/// A scalar function of one coordinate as OpenSim models use them: joint transform axes (the knee's translations
/// follow knee_angle), moving path points. Pure and thread-safe once built.
/// </summary>
public abstract class ModelFunction
{
    /// <summary>f(x). A constant ignores x.</summary>
    public abstract double Value(double x);

    /// <summary>df/dx.</summary>
    public abstract double Derivative(double x);
}
