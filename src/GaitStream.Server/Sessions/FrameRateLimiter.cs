namespace GaitStream.Server.Sessions;

/// <summary>
/// Token bucket over frames: a session may send <c>framesPerSecond</c> sustained with one second of burst. Over the
/// limit the session waits before reading on, which its transport turns into flow control; nothing is dropped.
/// </summary>
internal sealed class FrameRateLimiter
{
    private readonly double _framesPerSecond;
    private readonly TimeProvider _time;
    private readonly long _start;
    private double _tokens;
    private double _lastS;

    public FrameRateLimiter(double framesPerSecond, TimeProvider time)
    {
        _framesPerSecond = framesPerSecond;
        _time = time;
        _start = time.GetTimestamp();
        _tokens = framesPerSecond;
    }

    public ValueTask AcquireAsync(int frames, CancellationToken cancellationToken)
    {
        double nowS = _time.GetElapsedTime(_start).TotalSeconds;
        _tokens = Math.Min(_framesPerSecond, _tokens + ((nowS - _lastS) * _framesPerSecond));
        _lastS = nowS;
        _tokens -= frames;
        if (_tokens >= 0)
        {
            return ValueTask.CompletedTask;
        }
        return new ValueTask(Task.Delay(TimeSpan.FromSeconds(-_tokens / _framesPerSecond), _time, cancellationToken));
    }
}
