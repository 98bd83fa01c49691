namespace GaitStream.Synth.Kinematics;

/// <summary>A generated trial's foot contacts per frame (from its own event timing) and coordinates (SI, model order, <c>Values[coordinate][frame]</c>) and what it was asked to be.</summary>
public sealed record SynthesizedMotion(
    double[] TimeS,
    double[][] Values,
    double CadenceSpm,
    double SpeedMps,
    double StrideLengthM,
    double RightStanceTarget,
    double LeftStanceTarget,
    bool[] RightContact,
    bool[] LeftContact);
