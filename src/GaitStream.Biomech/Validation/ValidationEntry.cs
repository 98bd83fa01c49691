namespace GaitStream.Biomech.Validation;

/// <summary>
/// One row of <c>validation.json</c>: a named comparison of GaitStream physics with OpenSim, the metric, the measured
/// value, the target it must meet (<see cref="AtLeast"/>: value ≥ target, else value ≤ target) and whether it did.
/// Rows without a target are reported, not judged.
/// </summary>
public sealed record ValidationEntry(string Comparison, string Channel, string Metric, double Value, string Unit, double? Target, bool AtLeast)
{
    public bool? Passed => Target is double t ? (AtLeast ? Value >= t : Value <= t) : null;
}
