namespace GaitStream.Server.Sessions;

/// <summary>Accepted range of one joint angle, degrees.</summary>
public sealed record AngleRange(double MinDeg, double MaxDeg)
{
    public AngleRange()
        : this(-180, 180)
    {
    }

    /// <summary>
    /// Generous physiological ranges by coordinate, in OpenSim's conventions (gait2392 knee flexion is negative,
    /// Rajagopal's positive, so the knee accepts both). A value outside is a unit or calibration error, not gait.
    /// </summary>
    public static AngleRange DefaultFor(string channel) => channel switch
    {
        _ when channel.StartsWith("hip_flexion", StringComparison.Ordinal) => new(-60, 150),
        _ when channel.StartsWith("hip_adduction", StringComparison.Ordinal) => new(-60, 60),
        _ when channel.StartsWith("hip_rotation", StringComparison.Ordinal) => new(-90, 90),
        _ when channel.StartsWith("knee_angle", StringComparison.Ordinal) => new(-160, 160),
        _ when channel.StartsWith("ankle_angle", StringComparison.Ordinal) => new(-90, 90),
        _ => new(-180, 180),
    };
}
