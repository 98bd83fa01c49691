using GaitStream.Biomech.Functions;
using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>
/// One of the six axes of a CustomJoint's SpatialTransform: a unit axis in the parent offset frame and a function of
/// (at most) one coordinate giving the angle (rotation axes 1–3) or the displacement (translation axes 4–6).
/// An axis with no coordinate evaluates its function at 0 (a Constant in practice).
/// </summary>
public sealed record TransformAxis(string Name, bool IsRotation, Vec3 UnitAxis, int CoordinateIndex, string? CoordinateName, ModelFunction Function)
{
    public bool HasCoordinate => CoordinateIndex >= 0;
}
