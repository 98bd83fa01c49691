using System.Diagnostics;
using System.Threading.Channels;
using GaitStream.Inference.Batching;
using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using GaitStream.Server.Models;
using GaitStream.Server.Observability;

namespace GaitStream.Server.Sessions;

/// <summary>
/// One device session, whatever its transport: validates every frame, maps the device's channel order to the model's,
/// resamples online into a <see cref="SlidingWindow"/>, submits a window every <c>hop</c> frames to the model's
/// <see cref="BatchingEngine"/>, and queues estimates and warnings for the transport to write back in order.
/// </summary>
/// <remarks>
/// <para>Threading: one transport reader calls <see cref="Accept"/> and <see cref="FlushAsync"/>; the engine's
/// worker calls <see cref="OnEstimate"/>; one transport writer runs <see cref="PumpAsync"/>.</para>
/// <para>Back-pressure: every estimate or warning takes one of <c>MaxInFlightPerSession</c> slots until the transport
/// has written it. With no slot free the reader waits, so a device that sends faster than the service (or its own
/// reader) keeps up is slowed by flow control, and every queue behind the session is bounded by its slots.</para>
/// </remarks>
#pragma warning disable CA1001 // _slots never allocates its wait handle (no AvailableWaitHandle), so it needs no disposal; disposing it would race the pump's Release
public sealed class StreamSession : IWindowSink
#pragma warning restore CA1001
{
    private readonly GaitStreamServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly SessionHub _hub;
    private readonly int[] _modelToDevice;
    private readonly double[] _minDeg;
    private readonly double[] _maxDeg;
    private readonly float[] _mapped;
    private readonly SlidingWindow _window;
    private readonly SemaphoreSlim _slots;
    private readonly Channel<SessionOutput> _output = Channel.CreateUnbounded<SessionOutput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Warning> _pendingWarnings = [];
    private readonly FrameRateLimiter _rate;
    private readonly Prometheus.Counter.Child _framesIn;
    private readonly Prometheus.Counter.Child _estimatesOut;
    private readonly Prometheus.Histogram.Child _endToEnd;
    private bool _haveLast;
    private ulong _lastSeq;
    private ulong _highestSeqSeen;
    private bool _seenAny;
    private double _lastTimeS;
    private int _sinceEstimate;
    private bool _windowDue;
    private ulong _dueSeq;
    private double _dueTimeS;
    private long _dueReceived;
    private long _pending;
    private int _inputDone;
    private int _aborted;
    private long _lastLagWarning;
    private long _firstAcceptedCount;
    private double _firstAcceptedTimeS;
    private bool _rateChecked;
    private long _rateWindowStart = Stopwatch.GetTimestamp();
    private long _rateWindowFrames;
    private long _framesReceived;
    private long _framesRejected;
    private long _estimatesSent;

    internal StreamSession(SessionOpen open, string transport, ModelRuntime model, int hopFrames, int[] modelToDevice,
        GaitStreamServerOptions options, ServerMetrics metrics, SessionHub hub)
    {
        Open = open;
        Transport = transport;
        Model = model;
        HopFrames = hopFrames;
        _modelToDevice = modelToDevice;
        _options = options;
        _metrics = metrics;
        _hub = hub;
        DeviceChannels = open.Channels.Count;
        InputScratch = new float[DeviceChannels];
        int c = modelToDevice.Length;
        _minDeg = new double[c];
        _maxDeg = new double[c];
        for (int i = 0; i < c; i++)
        {
            string name = model.Card.Inputs[i].Name;
            AngleRange range = options.AngleRanges.TryGetValue(name, out AngleRange? r) ? r : AngleRange.DefaultFor(name);
            _minDeg[i] = range.MinDeg;
            _maxDeg[i] = range.MaxDeg;
        }
        _mapped = new float[c];
        _window = new SlidingWindow(c, model.Card.WindowFrames, model.Card.SampleRateHz, open.SampleRateHz);
        _slots = new SemaphoreSlim(options.Limits.MaxInFlightPerSession, options.Limits.MaxInFlightPerSession);
        _rate = new FrameRateLimiter(options.Limits.MaxFramesPerSecondPerSession, TimeProvider.System);
        _framesIn = metrics.FramesReceived.WithLabels(transport);
        _estimatesOut = metrics.EstimatesSent.WithLabels(transport);
        _endToEnd = metrics.EndToEndSeconds.WithLabels(transport);
        StartedUnixS = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Accepted = new SessionAccepted
        {
            SessionId = open.SessionId,
            Model = model.Info,
            ModelRateHz = model.Card.SampleRateHz,
            WindowFrames = (uint)model.Card.WindowFrames,
            HopFrames = (uint)hopFrames,
            WarmupS = _window.DurationS,
            MaxFramesPerBatch = (uint)options.Limits.MaxFramesPerBatch,
        };
    }

    public string Id => Open.SessionId;

    public SessionOpen Open { get; }

    public string Transport { get; }

    public ModelRuntime Model { get; }

    public int HopFrames { get; }

    public int DeviceChannels { get; }

    public double StartedUnixS { get; }

    /// <summary>The answer to the open message.</summary>
    public SessionAccepted Accepted { get; }

    /// <summary>A buffer of <see cref="DeviceChannels"/> floats a transport may decode a frame's angles into.</summary>
    public float[] InputScratch { get; }

    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public long FramesRejected => Interlocked.Read(ref _framesRejected);

    public long EstimatesSent => Interlocked.Read(ref _estimatesSent);

    /// <summary>Frames/s over the last completed second.</summary>
    public double FramesPerSecond { get; private set; }

    /// <summary>Estimates and warnings not yet written back.</summary>
    public int InFlight => _options.Limits.MaxInFlightPerSession - _slots.CurrentCount;

    /// <summary>Warnings the session has from its open message (resampling, ignored channels), queued like any other.</summary>
    internal void QueueOpenWarnings(IEnumerable<Warning> warnings) => _pendingWarnings.AddRange(warnings);

    /// <summary>Waits while the session sends faster than its frame-rate limit.</summary>
    public ValueTask ThrottleAsync(int frames, CancellationToken cancellationToken) => _rate.AcquireAsync(frames, cancellationToken);

    /// <summary>
    /// Validates one frame (angles in the device's channel order, degrees) and files it. A bad frame is rejected with a
    /// warning and leaves the session as it was. Call <see cref="FlushAsync"/> after each frame.
    /// </summary>
    public void Accept(ulong seq, double timeS, ReadOnlySpan<float> anglesDeg, long receivedTimestamp)
    {
        Interlocked.Increment(ref _framesReceived);
        _framesIn.Inc();
        NoteSequence(seq);
        if (anglesDeg.Length != DeviceChannels)
        {
            Reject(WarningCode.ChannelCount, seq, $"Frame {seq} has {anglesDeg.Length} angles; the session declared {DeviceChannels} channels. Frame rejected.");
            return;
        }
        for (int i = 0; i < anglesDeg.Length; i++)
        {
            if (!float.IsFinite(anglesDeg[i]))
            {
                Reject(WarningCode.NonFinite, seq, $"Frame {seq}: {Open.Channels[i]} is {anglesDeg[i]}. Frame rejected.");
                return;
            }
        }
        if (_haveLast && seq <= _lastSeq)
        {
            Reject(WarningCode.SequenceNotIncreasing, seq, $"Frame {seq} does not follow frame {_lastSeq} (sequence numbers must increase). Frame rejected.");
            return;
        }
        if (!double.IsFinite(timeS) || (_haveLast && timeS <= _lastTimeS))
        {
            Reject(WarningCode.TimestampNotIncreasing, seq, $"Frame {seq} has time {timeS} s, not after the previous frame's {_lastTimeS} s. Frame rejected.");
            return;
        }
        for (int m = 0; m < _mapped.Length; m++)
        {
            float v = anglesDeg[_modelToDevice[m]];
            if (v < _minDeg[m] || v > _maxDeg[m])
            {
                Reject(WarningCode.OutOfRange, seq,
                    $"Frame {seq}: {Model.Card.Inputs[m].Name} = {v}° is outside its physiological range {_minDeg[m]}…{_maxDeg[m]}° (radians sent as degrees?). Frame rejected.");
                return;
            }
            _mapped[m] = v;
        }
        if (_haveLast && timeS - _lastTimeS > _options.Limits.MaxBridgedGapS)
        {
            _window.Clear();
            _sinceEstimate = 0;
            _firstAcceptedCount = 0;
            Warn(WarningCode.WindowReset, seq,
                $"{timeS - _lastTimeS:0.###} s without frames before frame {seq} (more than {_options.Limits.MaxBridgedGapS} s): the window restarts; estimates resume after {_window.DurationS:0.##} s.", 0);
        }
        _haveLast = true;
        _lastSeq = seq;
        _lastTimeS = timeS;
        CheckRate(timeS);
        _window.Append(timeS, _mapped);
        _sinceEstimate++;
        if (_window.IsReady && _sinceEstimate >= HopFrames)
        {
            _sinceEstimate = 0;
            _windowDue = true;
            _dueSeq = seq;
            _dueTimeS = timeS;
            _dueReceived = receivedTimestamp;
        }
    }

    /// <summary>Rejects an input that could not even be read as a frame (TCP bridge: a malformed line); <paramref name="seq"/> when it was readable.</summary>
    public void RejectMalformed(ulong? seq, string message)
    {
        Interlocked.Increment(ref _framesReceived);
        _framesIn.Inc();
        if (seq is { } s)
        {
            NoteSequence(s);
        }
        Reject(WarningCode.Malformed, seq ?? 0, message);
    }

    /// <summary>Gaps are judged against every frame received, rejected or not: a rejected frame is not a missing one.</summary>
    private void NoteSequence(ulong seq)
    {
        bool gap = _seenAny && seq > _highestSeqSeen + 1;
        ulong missing = gap ? seq - _highestSeqSeen - 1 : 0;
        if (!_seenAny || seq > _highestSeqSeen)
        {
            _highestSeqSeen = seq;
            _seenAny = true;
        }
        if (gap)
        {
            _firstAcceptedCount = 0; // missing frames would bias the rate check: start it again
            Warn(WarningCode.Gap, seq, $"{missing} frame(s) missing before frame {seq}.", missing);
        }
    }

    /// <summary>Queues the warnings and the window the last <see cref="Accept"/> produced, waiting for slots as needed.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pendingWarnings.Count == 0 && !_windowDue)
        {
            return ValueTask.CompletedTask;
        }
        if (_pendingWarnings.Count == 0 && _slots.Wait(0, cancellationToken))
        {
            return SubmitWindow(cancellationToken);
        }
        return FlushSlowAsync(cancellationToken);
    }

    private async ValueTask FlushSlowAsync(CancellationToken cancellationToken)
    {
        foreach (Warning warning in _pendingWarnings)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            _output.Writer.TryWrite(new SessionOutput(null, warning, Stopwatch.GetTimestamp()));
        }
        _pendingWarnings.Clear();
        if (_windowDue)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            await SubmitWindow(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Submits the due window; the caller holds its slot.</summary>
    private ValueTask SubmitWindow(CancellationToken cancellationToken)
    {
        _windowDue = false;
        BatchingEngine engine = Model.Engine;
        float[] window = engine.RentWindow();
        _window.CopyWindow(window);
        Interlocked.Increment(ref _pending);
        CheckLag();
        return engine.SubmitAsync(new WindowTicket(this, _dueSeq, _dueTimeS, _dueReceived), window, cancellationToken);
    }

    /// <summary>No more frames: the output completes once every submitted window has its estimate.</summary>
    public void Complete()
    {
        Interlocked.Exchange(ref _inputDone, 1);
        if (Interlocked.Read(ref _pending) == 0)
        {
            _output.Writer.TryComplete();
        }
    }

    /// <summary>The transport is gone: stop queueing; estimates still in the engine are discarded when they arrive.</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _aborted, 1);
        _output.Writer.TryComplete();
    }

    void IWindowSink.OnEstimate(in WindowTicket ticket, ReadOnlySpan<float> estimatesPerKg)
    {
        if (Volatile.Read(ref _aborted) == 0)
        {
            var estimate = new Estimate { Seq = ticket.Seq, TimeS = ticket.TimeS };
            double mass = Open.BodyMassKg;
            for (int i = 0; i < estimatesPerKg.Length; i++)
            {
                estimate.ValuesPerKg.Add(estimatesPerKg[i]);
                estimate.Values.Add((float)(estimatesPerKg[i] * mass));
            }
            _output.Writer.TryWrite(new SessionOutput(estimate, null, ticket.ReceivedTimestamp));
        }
        WindowDone();
    }

    void IWindowSink.OnFailure(in WindowTicket ticket, Exception exception)
    {
        if (Volatile.Read(ref _aborted) == 0)
        {
            _metrics.Warnings.WithLabels(nameof(WarningCode.InferenceFailed)).Inc();
            var warning = new Warning { Code = WarningCode.InferenceFailed, Seq = ticket.Seq, Message = $"The model failed on the window ending at frame {ticket.Seq}: {exception.Message}" };
            _output.Writer.TryWrite(new SessionOutput(null, warning, ticket.ReceivedTimestamp));
        }
        WindowDone();
    }

    private void WindowDone()
    {
        if (Interlocked.Decrement(ref _pending) == 0 && Volatile.Read(ref _inputDone) == 1)
        {
            _output.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Writes the session's estimates and warnings through <paramref name="write"/> until the session completes:
    /// consecutive estimates go out as one <see cref="EstimateBatch"/>, warnings in their place between them. Observers
    /// get the same messages. Returns the slots as messages are written.
    /// </summary>
    public async Task PumpAsync(Func<StreamResponse, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ChannelReader<SessionOutput> reader = _output.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            EstimateBatch? batch = null;
            int items = 0;
            while (items < 512 && reader.TryRead(out SessionOutput item))
            {
                items++;
                if (item.Warning is { } warning)
                {
                    if (batch is not null)
                    {
                        await WriteEstimatesAsync(batch, write, cancellationToken).ConfigureAwait(false);
                        batch = null;
                    }
                    await write(new StreamResponse { Warning = warning }, cancellationToken).ConfigureAwait(false);
                    _hub.Publish(Id, new WatchEvent { Warning = new SessionWarning { SessionId = Id, Warning = warning } });
                    continue;
                }
                Estimate estimate = item.Estimate!;
                double seconds = Stopwatch.GetElapsedTime(item.ReceivedTimestamp).TotalSeconds;
                estimate.ServerLatencyMs = seconds * 1000;
                _endToEnd.Observe(seconds);
                (batch ??= new EstimateBatch()).Estimates.Add(estimate);
            }
            if (batch is not null)
            {
                await WriteEstimatesAsync(batch, write, cancellationToken).ConfigureAwait(false);
            }
            _slots.Release(items);
        }
    }

    private async Task WriteEstimatesAsync(EstimateBatch batch, Func<StreamResponse, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        await write(new StreamResponse { Estimates = batch }, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _estimatesSent, batch.Estimates.Count);
        _estimatesOut.Inc(batch.Estimates.Count);
        if (_hub.HasWatchers)
        {
            var forWatchers = new SessionEstimates { SessionId = Id };
            forWatchers.Estimates.AddRange(batch.Estimates);
            _hub.Publish(Id, new WatchEvent { Estimates = forWatchers });
        }
    }

    public SessionInfo ToInfo()
    {
        var info = new SessionInfo
        {
            SessionId = Id,
            SubjectId = Open.SubjectId,
            Label = Open.Label,
            ModelId = Model.Id,
            BodyMassKg = Open.BodyMassKg,
            SampleRateHz = Open.SampleRateHz,
            HopFrames = (uint)HopFrames,
            Transport = Transport,
            StartedUnixS = StartedUnixS,
            FramesReceived = (ulong)FramesReceived,
            FramesRejected = (ulong)FramesRejected,
            EstimatesSent = (ulong)EstimatesSent,
            FramesPerS = CurrentFramesPerSecond(),
            InFlight = (uint)Math.Max(0, InFlight),
        };
        info.Outputs.AddRange(Model.Card.Outputs.Select(c => ModelRuntime.ToChannelInfo(c, perKg: false)));
        return info;
    }

    private double CurrentFramesPerSecond() =>
        Stopwatch.GetElapsedTime(_rateWindowStart).TotalSeconds > 2 ? 0 : FramesPerSecond;

    private void Reject(WarningCode code, ulong seq, string message)
    {
        Interlocked.Increment(ref _framesRejected);
        _metrics.FramesRejected.WithLabels(code.ToString()).Inc();
        Warn(code, seq, message, 1);
    }

    private void Warn(WarningCode code, ulong seq, string message, ulong count)
    {
        _metrics.Warnings.WithLabels(code.ToString()).Inc();
        _pendingWarnings.Add(new Warning { Code = code, Seq = seq, Message = message, Count = count });
    }

    private void CheckRate(double timeS)
    {
        _rateWindowFrames++;
        double elapsed = Stopwatch.GetElapsedTime(_rateWindowStart).TotalSeconds;
        if (elapsed >= 1)
        {
            FramesPerSecond = _rateWindowFrames / elapsed;
            _rateWindowFrames = 0;
            _rateWindowStart = Stopwatch.GetTimestamp();
        }
        if (_rateChecked)
        {
            return;
        }
        if (_firstAcceptedCount == 0)
        {
            _firstAcceptedTimeS = timeS;
        }
        _firstAcceptedCount++;
        // Two seconds of timestamps tell the device's real rate well enough.
        if (timeS - _firstAcceptedTimeS >= 2)
        {
            _rateChecked = true;
            double observedHz = (_firstAcceptedCount - 1) / (timeS - _firstAcceptedTimeS);
            if (Math.Abs((observedHz / Open.SampleRateHz) - 1) > 0.1)
            {
                Warn(WarningCode.RateMismatch, 0,
                    $"Timestamps advance at {observedHz:0.#} Hz but the session declared {Open.SampleRateHz:0.#} Hz; resampling follows the timestamps.", 0);
            }
        }
    }

    private void CheckLag()
    {
        int lagFrames = _options.Limits.LagWarningFrames;
        if (lagFrames == 0 || InFlight < lagFrames || Stopwatch.GetElapsedTime(_lastLagWarning).TotalSeconds < 1)
        {
            return;
        }
        _lastLagWarning = Stopwatch.GetTimestamp();
        _metrics.Lag.Inc();
        Warn(WarningCode.Lag, _dueSeq, $"{InFlight} frames are waiting for their estimates: the server is behind, and reading from this device is slowed until it catches up.", (ulong)InFlight);
    }
}
