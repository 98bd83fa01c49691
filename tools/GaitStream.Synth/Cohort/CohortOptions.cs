namespace GaitStream.Synth.Cohort;

/// <summary>What <c>generate</c> produces: cohort sizes, cadences, trial length and rate, seed, and the optional input noise.</summary>
public sealed record CohortOptions
{
    public int Healthy { get; init; } = 60;

    public int Pathological { get; init; } = 9;

    /// <summary>Metronome cadences per subject, spread evenly over ±<see cref="CadenceSpread"/> of the preferred cadence.</summary>
    public int Cadences { get; init; } = 3;

    /// <summary>Half-range of the metronome cadences relative to the preferred cadence (0.10: 90 %, 100 %, 110 %).</summary>
    public double CadenceSpread { get; init; } = 0.10;

    public double Seconds { get; init; } = 10;

    public double RateHz { get; init; } = 100;

    public ulong Seed { get; init; } = 1;

    /// <summary>SD of Gaussian noise added to the angles written to the IK files (inputs only; labels use clean motion), degrees.</summary>
    public double AngleNoiseDeg { get; init; }

    /// <summary>Decimals written in the Storage files.</summary>
    public int Decimals { get; init; } = 6;

    /// <summary>Worker threads (default: all cores).</summary>
    public int? Parallelism { get; init; }

    public PathologyOptions Pathology { get; init; } = new();

    /// <summary>Cadence factors relative to the preferred cadence, slowest first.</summary>
    public IReadOnlyList<double> CadenceFactors =>
        Cadences == 1 ? [1.0] : [.. Enumerable.Range(0, Cadences).Select(i => 1 - CadenceSpread + (2 * CadenceSpread * i / (Cadences - 1)))];

    /// <summary>Condition name for a cadence factor: <c>cad090</c> is 90 % of the preferred cadence.</summary>
    public static string ConditionName(double factor) => FormattableString.Invariant($"cad{Math.Round(factor * 100):000}");

    public void Validate()
    {
        if (Healthy < 0 || Pathological < 0 || Healthy + Pathological == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Healthy), "Ask for at least one subject (--healthy / --pathological ≥ 0, not both 0).");
        }
        if (Cadences is < 1 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(Cadences), Cadences, "--cadences must lie in 1..9.");
        }
        if (CadenceSpread is < 0 or > 0.3)
        {
            throw new ArgumentOutOfRangeException(nameof(CadenceSpread), CadenceSpread, "The cadence spread must lie in 0..0.3.");
        }
        if (Seconds is < 2 or > 600)
        {
            throw new ArgumentOutOfRangeException(nameof(Seconds), Seconds, "--seconds must lie in 2..600 (a trial needs at least one full cycle).");
        }
        if (RateHz is < 20 or > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(RateHz), RateHz, "--rate must lie in 20..2000 Hz.");
        }
        if (AngleNoiseDeg is < 0 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(AngleNoiseDeg), AngleNoiseDeg, "--angle-noise must lie in 0..20 degrees.");
        }
        Pathology.Validate();
    }
}
