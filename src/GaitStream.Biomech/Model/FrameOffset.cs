using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>
/// A frame fixed to a body: OpenSim's <c>PhysicalOffsetFrame</c> (4.x) or <c>location_in_parent</c> /
/// <c>orientation_in_parent</c> (3.x). <see cref="OrientationRad"/> holds body-fixed X-Y-Z Euler angles.
/// </summary>
public readonly record struct FrameOffset(Vec3 TranslationM, Vec3 OrientationRad)
{
    public static FrameOffset Identity => default;

    /// <summary>Rotation from the offset frame to its body frame (columns are the offset axes in the body).</summary>
    public Mat33 Rotation => Mat33.FromBodyFixedXyz(OrientationRad);
}
