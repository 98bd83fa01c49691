namespace GaitStream.Biomech.Dynamics;

/// <summary>How <see cref="GroundReactionEstimator"/> finds foot contacts and shares the whole-body load between feet.</summary>
public sealed record GroundReactionOptions
{
    /// <summary>Coordinate smoothing and differentiation; the same as inverse dynamics uses, so both see the same motion.</summary>
    public InverseDynamicsOptions Coordinates { get; init; } = new();

    public string RightHeelBody { get; init; } = "calcn_r";

    public string RightToesBody { get; init; } = "toes_r";

    public string LeftHeelBody { get; init; } = "calcn_l";

    public string LeftToesBody { get; init; } = "toes_l";

    /// <summary>
    /// A contact starts when the heel or the toe tip comes within this fraction of the foot length (heel to toe tip) of
    /// its own lowest height in the trial. Relative heights make the rule independent of where the model's heel and
    /// toe points sit above the sole, and the foot length scales it with the subject.
    /// </summary>
    public double ContactStartFraction { get; init; } = 0.035;

    /// <summary>
    /// A contact lasts while the heel stays within <see cref="ContactStartFraction"/> or the toe tip within this
    /// (looser) fraction: in push-off the tip is the last point down and rolls, while in mid-swing it passes about as
    /// low, so the looser threshold only continues a contact and never starts one.
    /// </summary>
    public double ContactHoldFraction { get; init; } = 0.10;

    /// <summary>Contact or swing runs shorter than this are merged into their neighbours (marker-like jitter), s.</summary>
    public double MinimumPhaseS { get; init; } = 0.05;

    /// <summary>
    /// Vertical force of the leading foot, as a fraction of body weight, below which its centre of pressure is held
    /// at the heel instead of being solved from the moment balance (which is ill-conditioned at small loads).
    /// </summary>
    public double CopSolveWeightFraction { get; init; } = 0.2;

    /// <summary>
    /// Height above the whole-body mass centre of the point the two feet's reactions are aimed at in double support
    /// (the virtual pivot point: in walking, measured GRF lines of action converge on a point a few tenths of a metre
    /// above the mass centre; Maus et al. 2010, Gruben &amp; Boehm 2012), m. It sets how the horizontal force is split
    /// between the feet: each foot's horizontal force is its vertical load times the slope from its centre of pressure
    /// to this point. Zero aims at the mass centre itself (steeper, larger opposing horizontal forces); a very large
    /// value shares the horizontal force by load alone.
    /// </summary>
    public double PivotAboveCenterOfMassM { get; init; } = 0.3;

    /// <summary>Floor height in ground, m; null estimates it as the lowest heel or toe point of the trial.</summary>
    public double? FloorHeightM { get; init; }

    /// <summary>
    /// Known right-foot contact per frame (foot switches, force-plate events, or the event timing a synthetic motion
    /// was generated with); when set it replaces the height rule for that foot. Null (default) detects contact.
    /// </summary>
    public IReadOnlyList<bool>? RightContact { get; init; }

    /// <summary>Known left-foot contact per frame; see <see cref="RightContact"/>.</summary>
    public IReadOnlyList<bool>? LeftContact { get; init; }

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Coordinates);
        Coordinates.Validate();
        if (!(ContactStartFraction > 0) || !(ContactHoldFraction >= ContactStartFraction) || !(ContactHoldFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ContactHoldFraction), ContactHoldFraction,
                $"Contact thresholds must be fractions of the foot length with 0 < start ({ContactStartFraction}) ≤ hold < 1.");
        }
        if (!(MinimumPhaseS >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumPhaseS), MinimumPhaseS, "The minimum phase duration must be zero or positive.");
        }
        if (!(PivotAboveCenterOfMassM >= 0) || double.IsInfinity(PivotAboveCenterOfMassM))
        {
            throw new ArgumentOutOfRangeException(nameof(PivotAboveCenterOfMassM), PivotAboveCenterOfMassM, "The pivot height above the mass centre must be finite and zero or positive.");
        }
        if (!(CopSolveWeightFraction > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(CopSolveWeightFraction), CopSolveWeightFraction, "The CoP solve threshold must be a positive fraction of body weight.");
        }
    }
}
