using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Bench;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Cards;
using GaitStream.Inference.Registry;

// gaitstream-bench service [--models models] [--model NAME] [--sessions 1,10,20,40] [--seconds 8] [--out out/bench/service.json]
//   raw ONNX Runtime, the batching engine and end-to-end gRPC throughput and latency (see ServiceBench).
// gaitstream-bench [--models models] [--names a,b] [--batches 1,8,64,256] [--seconds 2] [--out out/bench/onnxruntime.json]
// For each model, each thread setting (1 intra-op thread; ONNX Runtime's default) and each batch size: warm up, then
// run back to back for --seconds and report windows/s and latency (per call and per window). Exit 2 on bad input.
try
{
    if (args.Length > 0 && args[0] == "service")
    {
        return ServiceBench.Run(args[1..]);
    }
    var options = BenchOptions.Parse(args);
    var registry = new ModelRegistry(options.ModelsDir);
    IReadOnlyList<ModelCard> cards = registry.List();
    foreach (ModelProblem problem in registry.Problems)
    {
        Console.Error.WriteLine($"warning: {problem.Message}");
    }
    string[] names = options.Names.Length > 0 ? options.Names : [.. cards.Select(c => c.Name)];
    if (names.Length == 0)
    {
        throw new ArgumentException($"No models in '{options.ModelsDir}'; export some with 'gaitstream-trainer export'.");
    }

    var results = new JsonArray();
    foreach (string name in names)
    {
        RegisteredModel model = registry.Load(name);
        foreach ((string label, int threads) in new[] { ("single-thread", 1), ("default-threads", 0) })
        {
            using var backend = OnnxRuntimeBackend.Create(model, new InferenceOptions
            {
                ExecutionProvider = ExecutionProvider.Cpu,
                IntraOpThreads = threads,
                InterOpThreads = threads,
                MaxBatchSize = options.Batches.Max(),
            });
            foreach (int batch in options.Batches)
            {
                Measurement m = Measurement.Run(backend, batch, options.Seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-22} {model.Card.Architecture.Architecture,-12} {label,-16} batch {batch,4}: {m.WindowsPerSecond,10:0} windows/s, {m.MeanCallMs,8:0.000} ms/call (p50 {m.P50CallMs:0.000}, p95 {m.P95CallMs:0.000}), {m.MeanWindowMs * 1000,8:0.0} µs/window"));
                results.Add(new JsonObject
                {
                    ["model"] = name,
                    ["architecture"] = model.Card.Architecture.Architecture,
                    ["parameters"] = model.Card.Parameters,
                    ["outputs"] = model.Card.Outputs.Count,
                    ["window_frames"] = model.Card.WindowFrames,
                    ["threads"] = label,
                    ["intra_op_threads"] = threads,
                    ["batch"] = batch,
                    ["calls"] = m.Calls,
                    ["windows_per_s"] = Math.Round(m.WindowsPerSecond, 1),
                    ["latency_ms_per_call_mean"] = Math.Round(m.MeanCallMs, 4),
                    ["latency_ms_per_call_p50"] = Math.Round(m.P50CallMs, 4),
                    ["latency_ms_per_call_p95"] = Math.Round(m.P95CallMs, 4),
                    ["latency_ms_per_window"] = Math.Round(m.MeanWindowMs, 5),
                });
            }
        }
    }

    var report = new JsonObject
    {
        ["tool"] = "gaitstream-bench",
        ["runtime"] = $"ONNX Runtime {typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version} (CPUExecutionProvider)",
        ["path"] = "OnnxRuntimeBackend: pinned buffers, IoBinding per batch size, no per-call managed allocations",
        ["machine"] = $"{RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical cores",
        ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
        ["seconds_per_measurement"] = options.Seconds,
        ["results"] = results,
    };
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.OutPath))!);
    File.WriteAllText(options.OutPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"Wrote {options.OutPath}");
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

namespace GaitStream.Bench
{
    internal sealed record BenchOptions(string ModelsDir, string[] Names, int[] Batches, double Seconds, string OutPath)
    {
        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions(ModelRegistryOptions.DefaultDirectory, [], [1, 8, 64, 256], 2.0, "out/bench/onnxruntime.json");
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                o = args[i] switch
                {
                    "--models" => o with { ModelsDir = Next() },
                    "--names" => o with { Names = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                    "--batches" => o with { Batches = [.. Next().Split(',').Select(b => int.TryParse(b, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw new ArgumentException($"--batches: '{b}' is not a positive integer."))] },
                    "--seconds" => o with { Seconds = double.TryParse(Next(), CultureInfo.InvariantCulture, out double s) && s > 0 ? s : throw new ArgumentException("--seconds must be a positive number.") },
                    "--out" => o with { OutPath = Next() },
                    _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --models DIR --names a,b --batches 1,8,64,256 --seconds S --out FILE."),
                };
            }
            return o;
        }
    }

    internal sealed record Measurement(int Calls, double WindowsPerSecond, double MeanCallMs, double P50CallMs, double P95CallMs, double MeanWindowMs)
    {
        public static Measurement Run(IInferenceBackend backend, int batch, double seconds)
        {
            var random = new Random(1);
            float[] windows = [.. Enumerable.Range(0, batch * backend.WindowFrames * backend.InputChannels).Select(_ => (float)((random.NextDouble() * 4) - 2))];
            float[] estimates = new float[batch * backend.OutputChannels];
            for (int i = 0; i < 5; i++)
            {
                backend.Run(windows, batch, estimates);
            }
            var calls = new List<double>();
            long start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds || calls.Count < 5)
            {
                long t = Stopwatch.GetTimestamp();
                backend.Run(windows, batch, estimates);
                calls.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
            double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
            calls.Sort();
            double mean = calls.Average();
            return new Measurement(calls.Count, calls.Count * batch / total, mean, calls[calls.Count / 2], calls[(int)(calls.Count * 0.95)], mean / batch);
        }
    }
}
