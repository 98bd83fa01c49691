using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Kinematics;

/// <summary>
/// Where a body is in ground: <see cref="Rotation"/> maps body-frame vectors to ground (its columns are the body
/// axes in ground), <see cref="OriginM"/> is the body origin and <see cref="CenterOfMassM"/> its mass centre, in metres.
/// </summary>
public readonly record struct BodyPose(Mat33 Rotation, Vec3 OriginM, Vec3 CenterOfMassM)
{
    /// <summary>A body-fixed point expressed in ground.</summary>
    public Vec3 ToGround(Vec3 localPointM) => OriginM + (Rotation * localPointM);

    /// <summary>A ground point expressed in the body frame.</summary>
    public Vec3 ToBody(Vec3 groundPointM) => Rotation.Transpose() * (groundPointM - OriginM);
}
