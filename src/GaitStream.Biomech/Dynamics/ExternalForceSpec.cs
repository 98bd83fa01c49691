namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// One OpenSim <c>ExternalForce</c>: which body it acts on, the frames its force and point are expressed in, and the
/// column-name prefixes in the data file (<c>ground_force_v</c> → <c>ground_force_vx/vy/vz</c>). A missing point means
/// the force acts at the body origin; a missing torque means no free moment.
/// </summary>
public sealed record ExternalForceSpec(
    string Name,
    string AppliedToBody,
    string ForceExpressedInBody,
    string PointExpressedInBody,
    string ForceIdentifier,
    string? PointIdentifier,
    string? TorqueIdentifier,
    bool Enabled);
