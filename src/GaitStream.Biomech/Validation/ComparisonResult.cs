namespace GaitStream.Biomech.Validation;

/// <summary>Agreement of one GaitStream channel with its OpenSim reference over the frames both hold.</summary>
/// <param name="PearsonR">Pearson correlation (shape agreement).</param>
/// <param name="Rmse">Root-mean-square difference, in the unit the comparison was scaled to (e.g. N·m/kg).</param>
/// <param name="Frames">Frames compared.</param>
/// <param name="PeakRatio">
/// Largest |value| over largest |reference| on the compared frames: correlation says nothing about magnitude, and a
/// model trained on labels that overshoot by 2× would learn the overshoot.
/// </param>
public sealed record ComparisonResult(double PearsonR, double Rmse, int Frames, double PeakRatio);
