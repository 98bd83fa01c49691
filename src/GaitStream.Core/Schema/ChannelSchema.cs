namespace GaitStream.Core.Schema;

/// <summary>
/// The GaitStream channel schema (ARCHITECTURE.md, "Channel schema"): ten input joint angles in degrees with
/// OpenSim coordinate names and signs, six hip moments in N·m/kg (OpenSim inverse-dynamics sign) and eight hip
/// muscle-group forces per side in N/kg. Orders here are the canonical tensor orders of every model.
/// </summary>
public static class ChannelSchema
{
    public const string AngleUnit = "deg";
    public const string MomentUnit = "N·m/kg";
    public const string ForceUnit = "N/kg";

    /// <summary>The ten input angles, canonical order (right leg, then left).</summary>
    public static IReadOnlyList<string> InputAngles { get; } =
    [
        "hip_flexion_r", "hip_adduction_r", "hip_rotation_r", "knee_angle_r", "ankle_angle_r",
        "hip_flexion_l", "hip_adduction_l", "hip_rotation_l", "knee_angle_l", "ankle_angle_l",
    ];

    /// <summary>The six hip moments, named as OpenSim ID names its generalized forces.</summary>
    public static IReadOnlyList<string> HipMoments { get; } =
    [
        "hip_flexion_r_moment", "hip_adduction_r_moment", "hip_rotation_r_moment",
        "hip_flexion_l_moment", "hip_adduction_l_moment", "hip_rotation_l_moment",
    ];

    /// <summary>The eight hip muscle groups, without side suffix.</summary>
    public static IReadOnlyList<string> MuscleGroups { get; } =
        ["glut_max", "glut_med", "glut_min", "iliopsoas", "adductors", "hamstrings", "rect_fem", "tfl"];

    /// <summary>The sixteen group-force channels: all right groups, then all left (<c>glut_max_r … tfl_l</c>).</summary>
    public static IReadOnlyList<string> GroupForces { get; } =
        [.. MuscleGroups.Select(g => g + "_r"), .. MuscleGroups.Select(g => g + "_l")];

    /// <summary>Input channels with kinds and units.</summary>
    public static IReadOnlyList<Channel> Inputs { get; } = [.. InputAngles.Select(n => new Channel(n, ChannelKind.Angle, AngleUnit))];

    /// <summary>Full output set: moments then group forces. A model card may declare a subset (e.g. moments only).</summary>
    public static IReadOnlyList<Channel> Outputs { get; } =
    [
        .. HipMoments.Select(n => new Channel(n, ChannelKind.Moment, MomentUnit)),
        .. GroupForces.Select(n => new Channel(n, ChannelKind.Force, ForceUnit)),
    ];

    /// <summary>Suffix OpenSim uses for a side.</summary>
    public static string Suffix(Side side) => side == Side.Right ? "_r" : "_l";

    /// <summary>The kind of a known output or input channel name; throws for names outside the schema.</summary>
    public static ChannelKind KindOf(string channelName)
    {
        if (InputAngles.Contains(channelName))
        {
            return ChannelKind.Angle;
        }
        if (HipMoments.Contains(channelName))
        {
            return ChannelKind.Moment;
        }
        if (GroupForces.Contains(channelName))
        {
            return ChannelKind.Force;
        }
        throw new ArgumentException($"'{channelName}' is not a GaitStream channel (see ChannelSchema).", nameof(channelName));
    }

    /// <summary>Physical unit of a known channel.</summary>
    public static string UnitOf(string channelName) => KindOf(channelName) switch
    {
        ChannelKind.Angle => AngleUnit,
        ChannelKind.Moment => MomentUnit,
        _ => ForceUnit,
    };
}
