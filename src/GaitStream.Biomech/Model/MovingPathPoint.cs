using GaitStream.Biomech.Functions;
using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>
/// A path point whose body-frame location is a function of a coordinate per axis (e.g. rect_fem over the patella,
/// following knee_angle). Axes without a coordinate keep their constant function value.
/// </summary>
public sealed class MovingPathPoint : PathPoint
{
    public MovingPathPoint(
        string name, int bodyIndex, string bodyName,
        ModelFunction x, ModelFunction y, ModelFunction z,
        int xCoordinateIndex, int yCoordinateIndex, int zCoordinateIndex)
        : base(name, bodyIndex, bodyName, new Vec3(x.Value(0), y.Value(0), z.Value(0)))
    {
        XFunction = x;
        YFunction = y;
        ZFunction = z;
        XCoordinateIndex = xCoordinateIndex;
        YCoordinateIndex = yCoordinateIndex;
        ZCoordinateIndex = zCoordinateIndex;
    }

    public ModelFunction XFunction { get; }

    public ModelFunction YFunction { get; }

    public ModelFunction ZFunction { get; }

    public int XCoordinateIndex { get; }

    public int YCoordinateIndex { get; }

    public int ZCoordinateIndex { get; }

    /// <summary>Body-frame location for a coordinate vector in SI units.</summary>
    public Vec3 LocationAt(ReadOnlySpan<double> coordinates) => new(
        XFunction.Value(XCoordinateIndex >= 0 ? coordinates[XCoordinateIndex] : 0),
        YFunction.Value(YCoordinateIndex >= 0 ? coordinates[YCoordinateIndex] : 0),
        ZFunction.Value(ZCoordinateIndex >= 0 ? coordinates[ZCoordinateIndex] : 0));
}
