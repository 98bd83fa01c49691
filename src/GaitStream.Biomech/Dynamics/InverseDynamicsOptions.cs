namespace GaitStream.Biomech.Dynamics;

/// <summary>How coordinates are smoothed and differentiated before inverse dynamics.</summary>
public sealed record InverseDynamicsOptions
{
    /// <summary>
    /// Low-pass cutoff for the coordinates, Hz (OpenSim's <c>lowpass_cutoff_frequency_for_coordinates</c>, 6 Hz in the
    /// example setups). Null turns filtering off.
    /// </summary>
    public double? CoordinateCutoffHz { get; init; } = 6.0;

    /// <summary>
    /// Butterworth order of each of the two passes. The default 3 is what OpenSim's ID tool runs
    /// (<c>Signal::LowpassIIR</c>: a 3rd-order Butterworth forward then backward, 6th order zero-lag) and reproduces
    /// OpenSim's hip moments about five times more closely than 2, the common "4th-order zero-lag" filter.
    /// </summary>
    public int FilterOrderPerPass { get; init; } = 3;

    /// <summary>
    /// Pad each coordinate with half its length of reflected-and-negated samples at both ends before filtering and
    /// splining (OpenSim's <c>Storage::pad</c>), so the first and last frames are free of filter start-up transients.
    /// </summary>
    public bool PadLikeOpenSim { get; init; } = true;

    /// <summary>Step of the central differences that give the Jacobians, in coordinate units (rad or m).</summary>
    public double JacobianStep { get; init; } = 1e-6;

    /// <summary>Time step of the finite-difference stencil along q(t+s) = q + q̇s + ½q̈s² that gives body accelerations, s.</summary>
    public double StencilStepS { get; init; } = 1e-4;

    public void Validate()
    {
        if (CoordinateCutoffHz is { } hz && !(hz > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(CoordinateCutoffHz), hz, "The coordinate cutoff must be positive (or null for no filtering).");
        }
        if (FilterOrderPerPass is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(FilterOrderPerPass), FilterOrderPerPass, "The filter order per pass must lie in 1..8.");
        }
        if (!(JacobianStep > 0) || !(StencilStepS > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(JacobianStep), "Finite-difference steps must be positive.");
        }
    }
}
