using GaitStream.Core.OpenSim;

namespace GaitStream.Synth.Labels;

/// <summary>
/// A labelled trial: the three OpenSim tables written to disk and the per-side cycle averages the cohort report is
/// built from. <see cref="MeanVerticalGrfBw"/> is the trial mean of both feet's vertical force over body weight (≈ 1
/// when the motion is physical).
/// </summary>
public sealed record LabelledTrial(
    StorageTable Ik,
    StorageTable InverseDynamics,
    StorageTable Forces,
    SideCycles Right,
    SideCycles Left,
    double MeanVerticalGrfBw,
    double MaxReserveNm);
