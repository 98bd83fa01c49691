using GaitStream.Core.Datasets;

namespace GaitStream.Core.Preprocessing;

/// <summary>
/// A trial on one uniform time grid at the model rate: the ten input angles (degrees, not yet z-scored) and the
/// reference outputs the trial has (moments N·m/kg, then group forces N/kg, in schema order), frame for frame.
/// This is what windows are cut from and what metrics compare against.
/// </summary>
public sealed record PreparedTrial(
    TrialLabels Labels,
    double BodyMassKg,
    double SampleRateHz,
    double[] TimeS,
    IReadOnlyList<string> InputChannels,
    double[][] Inputs,
    IReadOnlyList<string> OutputChannels,
    double[][] Outputs)
{
    public int FrameCount => TimeS.Length;
}
