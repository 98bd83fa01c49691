namespace GaitStream.Biomech.Muscles;

/// <summary>What static optimization balances and how hard it avoids reserve torques.</summary>
public sealed record StaticOptimizationOptions
{
    /// <summary>The three hip moments alone: the hip muscles only, biarticular ones free at the knee.</summary>
    public static IReadOnlyList<string> HipCoordinates { get; } = ["hip_flexion", "hip_adduction", "hip_rotation"];

    /// <summary>Hip and knee: the biarticular hip muscles must balance the knee too, with the knee-only muscles.</summary>
    public static IReadOnlyList<string> HipKneeCoordinates { get; } = ["hip_flexion", "hip_adduction", "hip_rotation", "knee_angle"];

    /// <summary>The whole leg (hip, knee, ankle, subtalar): every leg muscle is balanced everywhere it acts, as in OpenSim's SO.</summary>
    public static IReadOnlyList<string> LegCoordinates { get; } =
        ["hip_flexion", "hip_adduction", "hip_rotation", "knee_angle", "ankle_angle", "subtalar_angle"];

    /// <summary>
    /// Coordinates whose inverse-dynamics moments the muscles must produce, without side suffix; each side gets
    /// <c>name_r</c> / <c>name_l</c>. The muscles are those crossing the joints of these coordinates. Default: the whole
    /// leg, which agrees best with OpenSim's static optimization on the gait2392 walk (hip-only leaves the biarticular
    /// muscles unconstrained at the knee and misplaces gluteus maximus and rectus femoris force).
    /// </summary>
    public IReadOnlyList<string> Coordinates { get; init; } = LegCoordinates;

    /// <summary>Side suffixes, each solved as its own problem.</summary>
    public IReadOnlyList<string> Sides { get; init; } = ["_r", "_l"];

    /// <summary>
    /// Penalty on the reserve torques, per (R / 1 N·m)², against Σ (F/F0)² for the muscles. High enough that a
    /// reserve appears only where the muscles cannot produce the moment within 0 ≤ F ≤ F0.
    /// </summary>
    public double ReserveWeightPerNm2 { get; init; } = 1e3;

    /// <summary>Step of the central differences that give the moment arms, rad (or m).</summary>
    public double MomentArmStep { get; init; } = 1e-5;

    /// <summary>
    /// Scale each muscle's strength by its active force-length factor and pennation (rigid tendon, Thelen 2003 Gaussian
    /// with shape 0.5): F_max(q) = F0·exp(−(l̃−1)²/0.5)·cos α. Off by default: strength is F0 at every length, the
    /// classic "muscle physiology off" static optimization. No force-velocity and no passive force either way.
    /// </summary>
    public bool UseForceLength { get; init; }

    public void Validate()
    {
        if (Coordinates is null || Coordinates.Count == 0)
        {
            throw new ArgumentException("Static optimization needs at least one coordinate to balance.", nameof(Coordinates));
        }
        if (Sides is null || Sides.Count == 0)
        {
            throw new ArgumentException("Static optimization needs at least one side suffix (e.g. \"_r\").", nameof(Sides));
        }
        if (!(ReserveWeightPerNm2 > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ReserveWeightPerNm2), ReserveWeightPerNm2, "The reserve weight must be positive.");
        }
        if (!(MomentArmStep > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MomentArmStep), MomentArmStep, "The moment-arm step must be positive.");
        }
    }
}
