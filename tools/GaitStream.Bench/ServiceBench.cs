using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Schema;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Batching;
using GaitStream.Inference.Estimation;
using GaitStream.Inference.Registry;
using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace GaitStream.Bench;

/// <summary>
/// <c>gaitstream-bench service</c>: the streaming service's three throughput figures for one model, as JSON —
/// (1) raw ONNX Runtime windows/s at batch 1…256; (2) the in-process <see cref="BatchingEngine"/> saturated by many
/// submitters; (3) end to end over loopback gRPC: N sessions as fast as flow control allows (throughput, mean batch),
/// and N sessions at a real 100 Hz with hop 1 (latency frame-sent → estimate-received, client clock, p50/p95/p99).
/// Client and server share this machine's cores, so end-to-end figures include the client's own cost.
/// </summary>
internal static class ServiceBench
{
    public static int Run(string[] args)
    {
        string modelsDir = "models";
        string? name = null;
        int[] sessions = [1, 10, 20, 40];
        double seconds = 8;
        string outPath = "out/bench/service.json";
        int threads = 0;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--models": modelsDir = Next(); break;
                case "--model": name = Next(); break;
                case "--sessions": sessions = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--seconds": seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--out": outPath = Next(); break;
                case "--intra-op-threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Options: --models DIR --model NAME --sessions 1,10,20,40 --seconds S --intra-op-threads N (0 = ONNX Runtime's default) --out FILE.");
            }
        }
        var registry = new ModelRegistry(modelsDir);
        name ??= File.Exists(Path.Combine(modelsDir, "default.txt")) ? File.ReadAllText(Path.Combine(modelsDir, "default.txt")).Trim() : (registry.List() is { Count: > 0 } cards ? cards[0].Name : null)
            ?? throw new ArgumentException($"No models in '{modelsDir}'.");
        RegisteredModel model = registry.Load(name);
        Console.WriteLine($"model {name} ({model.Card.Architecture.Architecture}, {model.Card.Outputs.Count} outputs, window {model.Card.WindowFrames}); {Environment.ProcessorCount} cores");

        // (1) raw ONNX Runtime, default threads (as the service runs it).
        var raw = new JsonArray();
        var rawByBatch = new SortedDictionary<int, double>();
        using (var backend = OnnxRuntimeBackend.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, MaxBatchSize = 256, IntraOpThreads = threads }))
        {
            foreach (int batch in new[] { 1, 2, 4, 8, 16, 32, 64, 128, 256 })
            {
                Measurement m = Measurement.Run(backend, batch, Math.Min(2, seconds));
                rawByBatch[batch] = m.WindowsPerSecond;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw ORT      batch {batch,4}: {m.WindowsPerSecond,9:0} windows/s ({m.MeanCallMs:0.000} ms/call)"));
                raw.Add(new JsonObject { ["batch"] = batch, ["windows_per_s"] = Math.Round(m.WindowsPerSecond, 1), ["ms_per_call"] = Math.Round(m.MeanCallMs, 4) });
            }
        }

        // (2) the batching engine alone, 64 submitters.
        JsonObject engine = EngineThroughput(model, seconds, rawByBatch, threads);

        // (3) end to end through the real server.
        var saturated = new JsonArray();
        var realtime = new JsonArray();
        foreach (int n in sessions)
        {
            saturated.Add(EndToEnd(modelsDir, name, n, seconds, paced: false, rawByBatch, threads).GetAwaiter().GetResult());
            realtime.Add(EndToEnd(modelsDir, name, n, seconds, paced: true, rawByBatch, threads).GetAwaiter().GetResult());
        }

        var report = new JsonObject
        {
            ["tool"] = "gaitstream-bench service",
            ["model"] = name,
            ["architecture"] = model.Card.Architecture.Architecture,
            ["machine"] = $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores (client and server share them)",
            ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["seconds_per_measurement"] = seconds,
            ["intra_op_threads"] = threads,
            ["raw_onnxruntime"] = raw,
            ["engine"] = engine,
            ["end_to_end_saturated"] = saturated,
            ["end_to_end_100hz_hop1"] = realtime,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        File.WriteAllText(outPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Wrote {outPath}");
        return 0;
    }

    private sealed class CountingSink : IWindowSink
    {
        public long Count;

        public void OnEstimate(in WindowTicket ticket, ReadOnlySpan<float> estimatesPerKg) => Interlocked.Increment(ref Count);

        public void OnFailure(in WindowTicket ticket, Exception exception) => Interlocked.Increment(ref Count);
    }

    private sealed class BatchSizes : IBatchObserver
    {
        public long Calls;
        public long Windows;

        public void OnBatch(int batchSize, double inferenceSeconds, int queueDepth)
        {
            Interlocked.Increment(ref Calls);
            Interlocked.Add(ref Windows, batchSize);
        }
    }

    private static JsonObject EngineThroughput(RegisteredModel model, double seconds, SortedDictionary<int, double> raw, int threads)
    {
        using var backend = OnnxRuntimeBackend.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, MaxBatchSize = 256, IntraOpThreads = threads });
        var sizes = new BatchSizes();
        var engine = new BatchingEngine(new Estimator(backend, model.Card), new BatchingOptions { MaxBatchSize = 64 }, sizes);
        var sink = new CountingSink();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var random = new Random(1);
        float[] template = [.. Enumerable.Range(0, engine.WindowLength).Select(_ => (float)((random.NextDouble() * 40) - 20))];
        long start = Stopwatch.GetTimestamp();
        Task[] submitters = [.. Enumerable.Range(0, 64).Select(s => Task.Run(async () =>
        {
            ulong seq = 0;
            while (!stop.IsCancellationRequested)
            {
                float[] w = engine.RentWindow();
                template.CopyTo(w, 0);
                await engine.SubmitAsync(new WindowTicket(sink, seq++, 0, 0), w);
            }
        }))];
        Task.WaitAll(submitters);
        engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double perS = sink.Count / elapsed;
        double meanBatch = (double)sizes.Windows / Math.Max(1, sizes.Calls);
        double rawAt = RawAt(raw, meanBatch);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine       64 submitters: {perS,9:0} windows/s, mean batch {meanBatch:0.0} (raw at that batch {rawAt:0}: ratio {perS / rawAt:0.00})"));
        return new JsonObject
        {
            ["submitters"] = 64,
            ["max_batch"] = 64,
            ["windows_per_s"] = Math.Round(perS, 1),
            ["mean_batch"] = Math.Round(meanBatch, 2),
            ["raw_windows_per_s_at_mean_batch"] = Math.Round(rawAt, 1),
            ["ratio_to_raw"] = Math.Round(perS / rawAt, 3),
        };
    }

    /// <summary>Raw throughput at a batch size, interpolated (log2) between the measured sizes.</summary>
    private static double RawAt(SortedDictionary<int, double> raw, double batch)
    {
        KeyValuePair<int, double> below = raw.LastOrDefault(kv => kv.Key <= batch, raw.First());
        KeyValuePair<int, double> above = raw.FirstOrDefault(kv => kv.Key >= batch, raw.Last());
        if (below.Key == above.Key)
        {
            return below.Value;
        }
        double w = (Math.Log2(batch) - Math.Log2(below.Key)) / (Math.Log2(above.Key) - Math.Log2(below.Key));
        return below.Value + (w * (above.Value - below.Value));
    }

    private static async Task<JsonObject> EndToEnd(string modelsDir, string model, int sessions, double seconds, bool paced, SortedDictionary<int, double> raw, int threads)
    {
        (WebApplication app, ServerEndpoints endpoints) = await ServerApp.StartAsync(["--Logging:LogLevel:Default=Warning"], o =>
        {
            o.ModelsDirectory = modelsDir;
            o.DefaultModel = model;
            o.GrpcPort = 0;
            o.HttpPort = -1;
            o.TcpPort = -1;
            o.Limits.MaxFramesPerSecondPerSession = 1_000_000;
            o.Limits.LagWarningFrames = 0;
            o.Inference.IntraOpThreads = threads;
        }, b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        var metrics = (Server.Observability.ServerMetrics)app.Services.GetService(typeof(Server.Observability.ServerMetrics))!;
        try
        {
            using var channel = GrpcChannel.ForAddress(endpoints.GrpcAddress, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            });
            var client = new Protocol.V1.GaitStream.GaitStreamClient(channel);
            var latenciesMs = new List<double>[sessions];
            long[] estimates = new long[sessions];
            long[] frames = new long[sessions];
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            long start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, sessions).Select(s => Task.Run(async () =>
            {
                latenciesMs[s] = [];
                (estimates[s], frames[s]) = await OneSession(client, $"bench-{s}", paced, s, latenciesMs[s], stop.Token);
            })));
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double[] all = [.. latenciesMs.SelectMany(l => l).Order()];
            double perS = estimates.Sum() / elapsed;
            double calls = metrics.BatchSize.WithLabels(model).Count;
            double meanBatch = calls == 0 ? 0 : metrics.BatchSize.WithLabels(model).Sum / calls;
            double rawAt = meanBatch > 0 ? RawAt(raw, meanBatch) : 0;
            double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"e2e {(paced ? "100 Hz" : "max   ")} {sessions,3} sessions: {perS,9:0} estimates/s, mean batch {meanBatch,5:0.0}, ratio to raw {(rawAt > 0 ? perS / rawAt : 0):0.00}; latency p50 {P(0.5):0.00} p95 {P(0.95):0.00} p99 {P(0.99):0.00} max {(all.Length > 0 ? all[^1] : double.NaN):0.00} ms"));
            return new JsonObject
            {
                ["sessions"] = sessions,
                ["paced_hz"] = paced ? 100 : null,
                ["hop_frames"] = 1,
                ["frames_sent"] = frames.Sum(),
                ["estimates_received"] = estimates.Sum(),
                ["estimates_per_s"] = Math.Round(perS, 1),
                ["mean_batch"] = Math.Round(meanBatch, 2),
                ["raw_windows_per_s_at_mean_batch"] = Math.Round(rawAt, 1),
                ["ratio_to_raw"] = rawAt > 0 ? Math.Round(perS / rawAt, 3) : null,
                ["latency_ms_p50"] = Math.Round(P(0.5), 3),
                ["latency_ms_p95"] = Math.Round(P(0.95), 3),
                ["latency_ms_p99"] = Math.Round(P(0.99), 3),
                ["latency_ms_max"] = all.Length > 0 ? Math.Round(all[^1], 3) : null,
            };
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>One synthetic device: a smooth gait-like pattern, sent paced at 100 Hz (1 frame per message) or flat out (10 per message).</summary>
    private static async Task<(long Estimates, long Frames)> OneSession(Protocol.V1.GaitStream.GaitStreamClient client, string id, bool paced, int index,
        List<double> latenciesMs, CancellationToken stop)
    {
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = client.Stream(cancellationToken: CancellationToken.None);
        var open = new SessionOpen { SessionId = id, BodyMassKg = 70, SampleRateHz = 100 };
        open.Channels.AddRange(ChannelSchema.InputAngles);
        await call.RequestStream.WriteAsync(new StreamRequest { Open = open }, CancellationToken.None);
        var sentAt = new Dictionary<ulong, long>();
        var gate = new Lock();
        long estimates = 0;
        Task reader = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (call.ResponseStream.Current.KindCase != StreamResponse.KindOneofCase.Estimates)
                {
                    continue;
                }
                long now = Stopwatch.GetTimestamp();
                foreach (Estimate e in call.ResponseStream.Current.Estimates.Estimates)
                {
                    estimates++;
                    lock (gate)
                    {
                        if (sentAt.Remove(e.Seq, out long t))
                        {
                            latenciesMs.Add(Stopwatch.GetElapsedTime(t, now).TotalMilliseconds);
                        }
                    }
                }
            }
        }, CancellationToken.None);
        ulong seq = 0;
        int perMessage = paced ? 1 : 10;
        await Task.Delay(index * 10 % 10 + (index % 7), CancellationToken.None); // stagger the devices' clocks
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (paced)
                {
                    await timer.WaitForNextTickAsync(stop);
                }
                var batch = new FrameBatch();
                for (int k = 0; k < perMessage; k++, seq++)
                {
                    double t = seq / 100.0;
                    var frame = new Frame { Seq = seq, TimeS = t };
                    for (int c = 0; c < 10; c++)
                    {
                        frame.AnglesDeg.Add((float)(20 * Math.Sin((2 * Math.PI * t / 1.1) + c)));
                    }
                    batch.Frames.Add(frame);
                }
                long sent = Stopwatch.GetTimestamp();
                if (seq > 99)
                {
                    lock (gate)
                    {
                        for (ulong s = seq - (ulong)perMessage; s < seq; s++)
                        {
                            if (s >= 99)
                            {
                                sentAt[s] = sent;
                            }
                        }
                    }
                }
                await call.RequestStream.WriteAsync(new StreamRequest { Frames = batch }, CancellationToken.None); // cancelling a write would cancel the call
            }
        }
        catch (OperationCanceledException)
        {
        }
        await call.RequestStream.CompleteAsync();
        await reader;
        return (estimates, (long)seq);
    }
}
