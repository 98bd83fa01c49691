namespace GaitStream.Biomech.Model;

/// <summary>
/// A generalized coordinate. Values are SI in the model (radians or metres); <see cref="Index"/> is its slot in the
/// coordinate vectors that kinematics and dynamics take.
/// </summary>
public sealed record Coordinate(
    int Index,
    string Name,
    string JointName,
    CoordinateMotion Motion,
    double DefaultValue,
    double RangeMin,
    double RangeMax,
    bool Locked,
    bool Clamped)
{
    public bool IsRotational => Motion == CoordinateMotion.Rotational;
}
