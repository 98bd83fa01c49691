namespace GaitStream.Replay;

/// <summary>How the trials are streamed.</summary>
/// <param name="Speed">Time factor over the recorded timestamps (1 = real time); null = as fast as flow control allows.</param>
/// <param name="Concurrency">Sessions open at once; trials are cycled when it exceeds the number of trials.</param>
/// <param name="FramesPerMessage">Frames per <c>FrameBatch</c> message.</param>
/// <param name="JitterMs">Each message is delayed by a uniform random 0…JitterMs ms on top of its schedule (0 = off).</param>
/// <param name="Burst">Messages are held and sent back to back in groups of this many (1 = off), like a Wi-Fi link that buffers.</param>
/// <param name="ModelId">Model to ask for; empty = the server's default.</param>
/// <param name="Seed">Seed of the jitter.</param>
internal sealed record ReplaySettings(
    double? Speed,
    int Concurrency,
    int FramesPerMessage,
    double JitterMs,
    int Burst,
    string ModelId,
    int Seed = 1)
{
    public string SpeedText => Speed is double s ? s.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "max";
}
