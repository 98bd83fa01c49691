namespace GaitStream.Trainer;

/// <summary>One trial after preprocessing: where it sits in the split and what the model grid made of it.</summary>
public sealed record TrialSummary(
    string SubjectId,
    string Cohort,
    string Split,
    double BodyMassKg,
    string Condition,
    string TrialId,
    double? CadenceSpm,
    double SourceRateHz,
    double StartS,
    double EndS,
    int Frames,
    int Windows,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<string> MissingForceMembers,
    string? Error);
