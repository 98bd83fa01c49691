namespace GaitStream.Biomech.Model;

/// <summary>
/// A muscle's geometry and strength as the model states them. The path is kept as written (origin first); moment
/// arms and static optimization build on it later.
/// </summary>
public sealed record Muscle(
    string Name,
    string ModelType,
    double MaxIsometricForceN,
    double OptimalFiberLengthM,
    double TendonSlackLengthM,
    double PennationAngleAtOptimalRad,
    IReadOnlyList<PathPoint> PathPoints);
