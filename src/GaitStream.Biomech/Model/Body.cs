using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>A rigid segment. Ground is body 0 with no mass; the inertia is about the centre of mass, in the body frame.</summary>
public sealed record Body(int Index, string Name, double MassKg, Vec3 MassCenterM, Mat33 InertiaKgM2)
{
    public bool IsGround => Index == 0;
}
