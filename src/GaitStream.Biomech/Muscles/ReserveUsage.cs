namespace GaitStream.Biomech.Muscles;

/// <summary>
/// How much reserve torque one balanced coordinate needed over a trial, N·m: the part of the inverse-dynamics moment
/// the muscles could not (or, at the reserve's penalty, would not) produce.
/// </summary>
public readonly record struct ReserveUsage(string Coordinate, double MaxAbsNm, double RmsNm, double TimeOfMaxS, int FramesAbove1Nm);
