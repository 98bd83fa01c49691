namespace GaitStream.Synth.Cohort;

/// <summary>
/// A subject's own way of walking, as changes to the template's Fourier series per coordinate (model order): an
/// offset, an overall amplitude scale, a phase shift, and per-harmonic amplitude and phase perturbations. Left and
/// right coordinates draw a shared part and a small side-specific part, which is the subject's asymmetry.
/// </summary>
public sealed record GaitStyle(
    double[] OffsetRad,
    double[] AmplitudeScale,
    double[] PhaseShiftCycles,
    double[][] HarmonicScale,
    double[][] HarmonicPhaseRad,
    double RightStanceDelta,
    double LeftStanceDelta);
