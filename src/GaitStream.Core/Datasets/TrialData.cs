namespace GaitStream.Core.Datasets;

/// <summary>
/// One trial in the schema's channels and units: the ten input angles (degrees) and, where the trial has them,
/// hip moments (N·m/kg) and hip muscle-group forces (N/kg). <see cref="MissingForceMembers"/> lists the group
/// members the force file lacked (group channel → muscles).
/// </summary>
public sealed record TrialData(
    TrialLabels Labels,
    double BodyMassKg,
    Signal Angles,
    Signal? Moments,
    Signal? Forces,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MissingForceMembers);
