namespace GaitStream.Core.Datasets;

/// <summary>
/// Named channels sampled at <see cref="Time"/> (seconds), channel-major (<c>Values[channel][frame]</c>), in one unit.
/// Each stream of a trial keeps its own time base: OpenSim writes IK, ID and force files on different grids.
/// </summary>
public sealed record Signal(double[] Time, IReadOnlyList<string> Channels, double[][] Values, string Unit)
{
    public int FrameCount => Time.Length;

    public double DurationS => Time.Length == 0 ? 0 : Time[^1] - Time[0];

    public double[] Channel(string name)
    {
        for (int i = 0; i < Channels.Count; i++)
        {
            if (Channels[i] == name)
            {
                return Values[i];
            }
        }
        throw new KeyNotFoundException($"Signal has no channel '{name}'.");
    }
}
