using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>A path point that is part of the path only while <see cref="CoordinateName"/> lies in [min, max] (SI units).</summary>
public sealed class ConditionalPathPoint(
    string name, int bodyIndex, string bodyName, Vec3 locationM, string coordinateName, int coordinateIndex, double rangeMin, double rangeMax)
    : PathPoint(name, bodyIndex, bodyName, locationM)
{
    public string CoordinateName { get; } = coordinateName;

    public int CoordinateIndex { get; } = coordinateIndex;

    public double RangeMin { get; } = rangeMin;

    public double RangeMax { get; } = rangeMax;

    public bool IsActive(double coordinateValue) => coordinateValue >= RangeMin && coordinateValue <= RangeMax;
}
