namespace GaitStream.Core.Preprocessing;

/// <summary>
/// How a trial is brought to a model: the model rate (the benchmark runs 50, 100 and 200 Hz) and an optional
/// zero-lag low-pass on the input angles. Fitted z-score statistics are not options: they are learned from training
/// subjects and shipped with the model.
/// </summary>
public sealed record PreprocessingOptions
{
    public static PreprocessingOptions Default { get; } = new();

    /// <summary>Model sample rate, Hz.</summary>
    public double SampleRateHz { get; init; } = 100;

    /// <summary>Zero-lag (forward-backward) −3 dB cutoff for the input angles, Hz; null for none. OpenSim ID uses 6 Hz on coordinates.</summary>
    public double? AngleLowPassHz { get; init; }

    /// <summary>Include the trial's hip moments (when it has them) as outputs.</summary>
    public bool IncludeMoments { get; init; } = true;

    /// <summary>
    /// Include the trial's group forces (when it has them). Force references often cover less time than the angles
    /// (CMC runs on a sub-window), and the common span is the overlap of every included stream.
    /// </summary>
    public bool IncludeForces { get; init; } = true;

    /// <summary>Throws with a clear sentence when the options cannot work.</summary>
    public void Validate()
    {
        if (!double.IsFinite(SampleRateHz) || SampleRateHz < 10 || SampleRateHz > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRateHz), SampleRateHz, "The model sample rate must be between 10 and 2000 Hz.");
        }
        if (AngleLowPassHz is double fc && (!double.IsFinite(fc) || fc <= 0 || fc >= SampleRateHz / 2))
        {
            throw new ArgumentOutOfRangeException(nameof(AngleLowPassHz), fc, $"The angle low-pass cutoff must be above 0 and below the model Nyquist frequency ({SampleRateHz / 2} Hz).");
        }
    }
}
