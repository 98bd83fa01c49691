namespace GaitStream.Trainer;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler on the reporting thread. <see cref="Progress{T}"/> posts to
/// the thread pool in a console app, so its reports would arrive late, out of order, or after the bar has closed.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
