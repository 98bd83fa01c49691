using System.Threading.Channels;
using GaitStream.Protocol.V1;

namespace GaitStream.Server.Sessions;

/// <summary>
/// One observer of the <see cref="SessionHub"/>: a bounded queue that drops its oldest events when the observer reads
/// too slowly (counted in <see cref="Dropped"/>), so an observer never slows a device session.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly SessionHub _hub;
    private readonly Channel<WatchEvent> _events;
    private long _dropped;

    internal WatchSubscription(SessionHub hub, string? sessionId, int capacity)
    {
        _hub = hub;
        SessionId = sessionId;
        _events = Channel.CreateBounded<WatchEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                hub.Metrics.WatchDropped.Inc();
            });
    }

    /// <summary>The session followed; null for every session.</summary>
    public string? SessionId { get; }

    public ChannelReader<WatchEvent> Events => _events.Reader;

    /// <summary>Events lost so far because the observer was slow.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Post(WatchEvent e) => _events.Writer.TryWrite(e);

    internal void End() => _events.Writer.TryComplete();

    public void Dispose()
    {
        _hub.Unsubscribe(this);
        _events.Writer.TryComplete();
    }
}
