namespace GaitStream.Biomech.Validation;

/// <summary>Agreement of one GaitStream channel with its OpenSim reference over the frames both hold.</summary>
/// <param name="PearsonR">Pearson correlation (shape agreement).</param>
/// <param name="Rmse">Root-mean-square difference, in the unit the comparison was scaled to (e.g. N·m/kg).</param>
/// <param name="Frames">Frames compared.</param>
public sealed record ComparisonResult(double PearsonR, double Rmse, int Frames);
