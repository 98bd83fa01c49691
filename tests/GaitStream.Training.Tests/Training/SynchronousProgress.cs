namespace GaitStream.Training.Tests.Training;

/// <summary>Collects reports on the calling thread (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
internal sealed class SynchronousProgress<T>(Action<T>? onReport = null) : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
