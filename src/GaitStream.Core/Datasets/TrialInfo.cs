namespace GaitStream.Core.Datasets;

/// <summary>
/// A row of <c>trials.csv</c>. Paths are absolute (resolved against the dataset folder when the catalog loads);
/// <see cref="IdPath"/> and <see cref="ForcesPath"/> are null when the trial has no such reference.
/// </summary>
public sealed record TrialInfo(
    string SubjectId,
    string Condition,
    string TrialId,
    double? CadenceSpm,
    string IkPath,
    string? IdPath,
    string? ForcesPath);
