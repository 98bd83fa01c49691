namespace GaitStream.Synth.Cohort;

/// <summary>
/// The antalgic (ONFH-like) hip gait of the pathological cohort, as changes to a healthy subject's gait. Defaults are
/// the size of the changes reported for painful hips (osteonecrosis of the femoral head, hip osteoarthritis): less hip
/// flexion–extension and ab/adduction on the affected side, a shorter stance on it, a slower cadence, and a lateral
/// trunk lean over the affected hip during its stance (the Duchenne compensation that unloads the abductors).
/// </summary>
public sealed record PathologyOptions
{
    /// <summary>"r", "l", or "random" (each patient draws a side).</summary>
    public string AffectedSide { get; init; } = "random";

    /// <summary>Hip flexion–extension amplitude on the affected side, relative to healthy (about −30 %).</summary>
    public double HipSagittalRomScale { get; init; } = 0.70;

    /// <summary>Extra hip flexion held on the affected side, degrees: the lost terminal-stance extension.</summary>
    public double HipFlexionOffsetDeg { get; init; } = 4.0;

    /// <summary>Hip ab/adduction amplitude on the affected side (and the pelvic list that drives it), relative to healthy.</summary>
    public double HipFrontalRomScale { get; init; } = 0.60;

    /// <summary>Change of the affected side's stance fraction (shorter stance on the painful hip).</summary>
    public double AffectedStanceDelta { get; init; } = -0.035;

    /// <summary>Change of the other side's stance fraction (it carries longer).</summary>
    public double UnaffectedStanceDelta { get; init; } = 0.015;

    /// <summary>Preferred cadence relative to a healthy subject of the same size.</summary>
    public double CadenceScale { get; init; } = 0.90;

    /// <summary>Peak lateral trunk lean (lumbar bending) towards the affected side in its stance, degrees.</summary>
    public double TrunkLeanDeg { get; init; } = 7.0;

    public void Validate()
    {
        if (AffectedSide is not ("r" or "l" or "random"))
        {
            throw new ArgumentException($"The affected side must be r, l or random, not '{AffectedSide}'.", nameof(AffectedSide));
        }
        if (HipSagittalRomScale is <= 0 or > 1.5 || HipFrontalRomScale is <= 0 or > 1.5 || CadenceScale is <= 0.5 or > 1.5)
        {
            throw new ArgumentOutOfRangeException(nameof(HipSagittalRomScale), "ROM and cadence scales must lie in (0, 1.5].");
        }
        if (Math.Abs(AffectedStanceDelta) > 0.08 || Math.Abs(UnaffectedStanceDelta) > 0.08)
        {
            throw new ArgumentOutOfRangeException(nameof(AffectedStanceDelta), "Stance-fraction changes beyond ±0.08 of the cycle are not walking.");
        }
    }
}
