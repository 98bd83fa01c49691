namespace GaitStream.Core.Datasets;

/// <summary>A row of <c>subjects.csv</c>.</summary>
/// <param name="AffectedSide">"r" or "l" for a unilateral pathology, null otherwise.</param>
public sealed record SubjectInfo(string SubjectId, string Cohort, double BodyMassKg, double? HeightM = null, string? AffectedSide = null);
