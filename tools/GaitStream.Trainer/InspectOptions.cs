using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;

namespace GaitStream.Trainer;

/// <summary>Settings of an inspection run: preprocessing, window, split.</summary>
public sealed record InspectOptions
{
    public PreprocessingOptions Preprocessing { get; init; } = PreprocessingOptions.Default;

    /// <summary>Causal window length, seconds (the benchmark default is 1 s).</summary>
    public double WindowS { get; init; } = 1.0;

    /// <summary>Frames between consecutive window targets at the model rate.</summary>
    public int StrideFrames { get; init; } = 1;

    public SplitFractions Fractions { get; init; } = SplitFractions.Default;

    public int Seed { get; init; } = 1;

    /// <summary>Cohorts held out of the split for zero-shot evaluation.</summary>
    public IReadOnlyList<string> ExternalCohorts { get; init; } = [];
}
