using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// One foot's estimated ground reaction per frame, in ground: force (N), centre of pressure on the floor (m) and free
/// moment about the vertical (N·m), with the contact state the estimate assumed.
/// </summary>
public sealed record FootGroundReaction(string Body, Vec3[] ForceN, Vec3[] CenterOfPressureM, double[] FreeMomentNm, bool[] InContact);
