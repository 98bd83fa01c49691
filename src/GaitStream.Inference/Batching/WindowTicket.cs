namespace GaitStream.Inference.Batching;

/// <summary>What comes back with a window's estimate: who asked, for which frame, and when it arrived.</summary>
/// <param name="Sink">Where the estimate goes.</param>
/// <param name="Seq">Sequence number of the device frame the window ends on.</param>
/// <param name="TimeS">That frame's device timestamp, s.</param>
/// <param name="ReceivedTimestamp">
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the frame reached the server (end-to-end latency).
/// </param>
public readonly record struct WindowTicket(IWindowSink Sink, ulong Seq, double TimeS, long ReceivedTimestamp);
