using System.Collections.Concurrent;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Batching;
using GaitStream.Inference.Estimation;
using GaitStream.Inference.Registry;

namespace GaitStream.Inference.Tests;

[Collection(ExportedModelGroup.Name)]
public sealed class BatchingEngineTests(ExportedModelFixture fixture)
{
    private sealed class Sink : IWindowSink
    {
        public ConcurrentQueue<(ulong Seq, float[] Values)> Estimates { get; } = new();

        public ConcurrentQueue<(ulong Seq, string Message)> Failures { get; } = new();

        public void OnEstimate(in WindowTicket ticket, ReadOnlySpan<float> estimatesPerKg) => Estimates.Enqueue((ticket.Seq, estimatesPerKg.ToArray()));

        public void OnFailure(in WindowTicket ticket, Exception exception) => Failures.Enqueue((ticket.Seq, exception.Message));
    }

    private sealed class Observer : IBatchObserver
    {
        public ConcurrentQueue<int> Sizes { get; } = new();

        public void OnBatch(int batchSize, double inferenceSeconds, int queueDepth) => Sizes.Enqueue(batchSize);
    }

    /// <summary>A backend that fails every call whose first value is negative (to prove one bad batch harms no other).</summary>
    private sealed class Flaky(IInferenceBackend inner) : IInferenceBackend
    {
        public string Description => inner.Description;

        public int InputChannels => inner.InputChannels;

        public int OutputChannels => inner.OutputChannels;

        public int WindowFrames => inner.WindowFrames;

        public int MaxBatchSize => inner.MaxBatchSize;

        public void Run(ReadOnlySpan<float> windows, int batchSize, Span<float> estimates)
        {
            if (windows.Length > 0 && windows[0] < -1000)
            {
                throw new InvalidOperationException("injected failure");
            }
            inner.Run(windows, batchSize, estimates);
        }

        public ValueTask RunAsync(ReadOnlyMemory<float> windows, int batchSize, Memory<float> estimates, CancellationToken cancellationToken = default) =>
            inner.RunAsync(windows, batchSize, estimates, cancellationToken);

        public void Dispose() => inner.Dispose();
    }

    private static float[] Window(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 60) - 30))];
    }

    [Fact]
    public async Task Windows_from_many_submitters_are_batched_and_each_sink_gets_its_own_estimates_in_order()
    {
        RegisteredModel model = new ModelRegistry(fixture.ModelsDir).Load(ExportedModelFixture.Name);
        using IInferenceBackend backend = InferenceBackends.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1, MaxBatchSize = 32 });
        var estimator = new Estimator(backend, model.Card);
        var observer = new Observer();
        await using var engine = new BatchingEngine(estimator, new BatchingOptions { MaxBatchSize = 16, MaxWaitMs = 2 }, observer);
        Assert.Equal(16, engine.MaxBatchSize);

        const int submitters = 8;
        const int perSubmitter = 40;
        Sink[] sinks = [.. Enumerable.Range(0, submitters).Select(_ => new Sink())];
        await Task.WhenAll(Enumerable.Range(0, submitters).Select(s => Task.Run(async () =>
        {
            for (int i = 0; i < perSubmitter; i++)
            {
                float[] window = engine.RentWindow();
                Window(engine.WindowLength, (s * 1000) + i).CopyTo(window, 0);
                await engine.SubmitAsync(new WindowTicket(sinks[s], (ulong)i, i / 100.0, 0), window);
            }
        })));
        await engine.DisposeAsync(); // drains the queue

        Assert.Equal(submitters * perSubmitter, observer.Sizes.Sum());
        Assert.True(observer.Sizes.Max() > 1, "no batch held more than one window");
        Assert.All(observer.Sizes, size => Assert.InRange(size, 1, 16));
        float[] direct = new float[model.Card.Outputs.Count];
        for (int s = 0; s < submitters; s++)
        {
            Assert.Empty(sinks[s].Failures);
            Assert.Equal(Enumerable.Range(0, perSubmitter).Select(i => (ulong)i), sinks[s].Estimates.Select(e => e.Seq));
            foreach ((ulong seq, float[] values) in sinks[s].Estimates)
            {
                estimator.EstimatePerKg(Window(engine.WindowLength, (s * 1000) + (int)seq), 1, direct);
                for (int k = 0; k < direct.Length; k++)
                {
                    Assert.Equal(direct[k], values[k], 1e-5);
                }
            }
        }
    }

    [Fact]
    public async Task A_failed_call_reaches_its_windows_sinks_and_the_engine_goes_on()
    {
        RegisteredModel model = new ModelRegistry(fixture.ModelsDir).Load(ExportedModelFixture.Name);
        using var backend = new Flaky(InferenceBackends.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1 }));
        var estimator = new Estimator(backend, model.Card);
        await using var engine = new BatchingEngine(estimator, new BatchingOptions { MaxBatchSize = 1 });
        var sink = new Sink();
        for (int i = 0; i < 3; i++)
        {
            float[] window = engine.RentWindow();
            Window(engine.WindowLength, i).CopyTo(window, 0);
            if (i == 1)
            {
                Array.Fill(window, -1e6f); // z-scores far below −1000: the flaky backend throws
            }
            await engine.SubmitAsync(new WindowTicket(sink, (ulong)i, 0, 0), window);
        }
        await engine.DisposeAsync();
        Assert.Equal([0UL, 2UL], sink.Estimates.Select(e => e.Seq));
        (ulong seq, string message) = Assert.Single(sink.Failures);
        Assert.Equal(1UL, seq);
        Assert.Equal("injected failure", message);
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_the_option_name()
    {
        Assert.Contains("MaxBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchingOptions { MaxBatchSize = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("MaxWaitMs", Assert.Throws<ArgumentOutOfRangeException>(() => new BatchingOptions { MaxWaitMs = -1 }.Validate()).Message, StringComparison.Ordinal);
    }
}
