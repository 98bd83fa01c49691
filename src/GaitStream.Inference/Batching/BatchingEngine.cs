using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using GaitStream.Inference.Estimation;

namespace GaitStream.Inference.Batching;

/// <summary>
/// Gathers windows from many sessions into one batched inference call and scatters the estimates back: the
/// cross-session batching engine of the streaming service. One engine per loaded model.
/// </summary>
/// <remarks>
/// <para>Submitters write into a bounded channel; when it is full <see cref="SubmitAsync"/> waits, and that wait is
/// the back-pressure that reaches a device through its transport's flow control. Nothing is dropped: every
/// submitted window ends in exactly one <see cref="IWindowSink.OnEstimate"/> or <see cref="IWindowSink.OnFailure"/>.</para>
/// <para>A single worker runs the calls, so each sink sees its estimates in submission order. The worker copies each
/// window into one preallocated [batch, L, C] buffer and returns the window to a pool: the steady state allocates
/// nothing per window.</para>
/// </remarks>
public sealed class BatchingEngine : IAsyncDisposable
{
    private readonly Estimator _estimator;
    private readonly IBatchObserver? _observer;
    private readonly Channel<Pending> _queue;
    private readonly ConcurrentBag<float[]> _pool = [];
    private readonly float[] _batch;
    private readonly float[] _estimates;
    private readonly WindowTicket[] _tickets;
    private readonly long _maxWaitTicks;
    private readonly Task _worker;
    private CancellationTokenSource _waitCts = new();

    public BatchingEngine(Estimator estimator, BatchingOptions options, IBatchObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _estimator = estimator;
        _observer = observer;
        MaxBatchSize = Math.Min(options.MaxBatchSize, estimator.MaxBatchSize);
        WindowLength = estimator.WindowLength;
        OutputChannels = estimator.Card.Outputs.Count;
        int capacity = options.QueueCapacity > 0 ? options.QueueCapacity : 4 * MaxBatchSize;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _batch = GC.AllocateArray<float>(MaxBatchSize * WindowLength, pinned: true);
        _estimates = new float[MaxBatchSize * OutputChannels];
        _tickets = new WindowTicket[MaxBatchSize];
        _maxWaitTicks = (long)(options.MaxWaitMs * Stopwatch.Frequency / 1000.0);
        _worker = Task.Run(RunAsync);
    }

    public Estimator Estimator => _estimator;

    public int MaxBatchSize { get; }

    /// <summary>Values in one window: frames × input channels.</summary>
    public int WindowLength { get; }

    public int OutputChannels { get; }

    /// <summary>Windows queued and not yet taken into a batch.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>A window buffer of <see cref="WindowLength"/> values to fill and pass to <see cref="SubmitAsync"/>.</summary>
    public float[] RentWindow() => _pool.TryTake(out float[]? window) ? window : new float[WindowLength];

    /// <summary>Gives back a rented window that was not submitted.</summary>
    public void ReturnWindow(float[] window)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.Length == WindowLength)
        {
            _pool.Add(window);
        }
    }

    /// <summary>
    /// Queues a window ([L, C] degrees, model channel order) rented from <see cref="RentWindow"/>; the engine owns it
    /// from here. Completes once queued, waiting while the queue is full.
    /// </summary>
    public ValueTask SubmitAsync(WindowTicket ticket, float[] window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(ticket.Sink);
        if (window.Length != WindowLength)
        {
            throw new ArgumentException($"A window holds {WindowLength} values; this one holds {window.Length}.", nameof(window));
        }
        var item = new Pending(ticket, window);
        return _queue.Writer.TryWrite(item) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(item, cancellationToken);
    }

    /// <summary>Stops taking windows, finishes the queued ones and stops the worker.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
        _waitCts.Dispose();
    }

    private async Task RunAsync()
    {
        ChannelReader<Pending> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int n = 0;
            while (n < MaxBatchSize && reader.TryRead(out Pending item))
            {
                Take(item, n++);
            }
            if (n < MaxBatchSize && _maxWaitTicks > 0)
            {
                n = await FillUntilDeadlineAsync(reader, n).ConfigureAwait(false);
            }
            if (n > 0)
            {
                Execute(n, reader.Count);
            }
        }
    }

    private async ValueTask<int> FillUntilDeadlineAsync(ChannelReader<Pending> reader, int n)
    {
        long deadline = Stopwatch.GetTimestamp() + _maxWaitTicks;
        while (n < MaxBatchSize)
        {
            if (reader.TryRead(out Pending item))
            {
                Take(item, n++);
                continue;
            }
            long remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                break;
            }
            if (!_waitCts.TryReset())
            {
                _waitCts.Dispose();
                _waitCts = new CancellationTokenSource();
            }
            _waitCts.CancelAfter(TimeSpan.FromTicks(Math.Max(1, remaining * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            try
            {
                if (!await reader.WaitToReadAsync(_waitCts.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return n;
    }

    private void Take(Pending item, int slot)
    {
        item.Window.AsSpan().CopyTo(_batch.AsSpan(slot * WindowLength, WindowLength));
        _tickets[slot] = item.Ticket;
        _pool.Add(item.Window);
    }

    private void Execute(int n, int queueDepth)
    {
        long start = Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            _estimator.EstimatePerKg(_batch.AsSpan(0, n * WindowLength), n, _estimates.AsSpan(0, n * OutputChannels));
        }
#pragma warning disable CA1031 // one failed call must not stop the engine: every window's sink hears of it
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        _observer?.OnBatch(n, Stopwatch.GetElapsedTime(start).TotalSeconds, queueDepth);
        for (int i = 0; i < n; i++)
        {
            ref readonly WindowTicket ticket = ref _tickets[i];
            try
            {
                if (failure is null)
                {
                    ticket.Sink.OnEstimate(ticket, _estimates.AsSpan(i * OutputChannels, OutputChannels));
                }
                else
                {
                    ticket.Sink.OnFailure(ticket, failure);
                }
            }
#pragma warning disable CA1031 // a faulty sink is that session's problem, not the others'
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            _tickets[i] = default;
        }
    }

    private readonly record struct Pending(WindowTicket Ticket, float[] Window);
}
