using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>A muscle path point fixed in a body (OpenSim <c>PathPoint</c>); the base of the conditional and moving kinds.</summary>
public class PathPoint(string name, int bodyIndex, string bodyName, Vec3 locationM)
{
    public string Name { get; } = name;

    public int BodyIndex { get; } = bodyIndex;

    public string BodyName { get; } = bodyName;

    /// <summary>Location in the body frame, metres (for a moving point: the value at the coordinate's default).</summary>
    public Vec3 LocationM { get; } = locationM;
}
