namespace GaitStream.Core.Schema;

/// <summary>What a channel measures; metrics are averaged over the channels of one output kind.</summary>
public enum ChannelKind
{
    /// <summary>Joint angle input, degrees.</summary>
    Angle,

    /// <summary>Hip joint moment, N·m/kg (OpenSim inverse-dynamics sign).</summary>
    Moment,

    /// <summary>Hip muscle-group force, N/kg.</summary>
    Force,
}
