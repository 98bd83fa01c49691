namespace GaitStream.Synth.Cohort;

/// <summary>
/// One synthetic subject: anthropometrics, the scale of each segment group relative to the generic model, the
/// preferred cadence, the affected side for a patient, and the personal gait style.
/// </summary>
public sealed record SubjectProfile(
    string SubjectId,
    string Cohort,
    int Index,
    string Sex,
    double HeightM,
    double BodyMassKg,
    IReadOnlyDictionary<string, double> SegmentLengthFactors,
    double PreferredCadenceSpm,
    string? AffectedSide,
    GaitStyle Style)
{
    public const string HealthyCohort = "healthy";
    public const string PathologicalCohort = "onfh";

    public bool IsPathological => AffectedSide is not null;

    /// <summary>Height relative to the generic model's subject: the overall length factor.</summary>
    public double LengthFactor(double referenceHeightM) => HeightM / referenceHeightM;
}
