using GaitStream.Synth.Labels;

namespace GaitStream.Synth.Cohort;

/// <summary>A written trial: where its files are (relative to the dataset) and its cycle averages for the report.</summary>
public sealed record GeneratedTrial(
    SubjectProfile Subject,
    string Condition,
    double CadenceFactor,
    string TrialId,
    double CadenceSpm,
    double SpeedMps,
    string IkPath,
    string IdPath,
    string ForcesPath,
    SideCycles Right,
    SideCycles Left,
    double MeanVerticalGrfBw,
    double MaxReserveNm);
