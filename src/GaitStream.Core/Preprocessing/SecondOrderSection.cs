namespace GaitStream.Core.Preprocessing;

/// <summary>
/// One biquad of a cascaded IIR filter, normalised so a0 = 1:
/// H(z) = (B0 + B1 z⁻¹ + B2 z⁻²) / (1 + A1 z⁻¹ + A2 z⁻²).
/// Same convention as a row of scipy's <c>sos</c> array with its a0 column dropped.
/// </summary>
public readonly record struct SecondOrderSection(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>Gain at 0 Hz, H(z = 1).</summary>
    public double DcGain => (B0 + B1 + B2) / (1.0 + A1 + A2);
}
