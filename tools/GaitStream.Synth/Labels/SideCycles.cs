namespace GaitStream.Synth.Labels;

/// <summary>
/// One side's trial averaged over its complete gait cycles (heel strike to heel strike of that foot), each resampled
/// to <see cref="Points"/> points: curves by channel name, plus the side's stance fraction and stride time.
/// </summary>
public sealed record SideCycles(string Side, int Cycles, double StanceFraction, double StrideTimeS, IReadOnlyDictionary<string, double[]> Curves)
{
    public const int Points = 101;
}
