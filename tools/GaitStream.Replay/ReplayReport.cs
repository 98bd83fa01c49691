using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Protocol.V1;

namespace GaitStream.Replay;

/// <summary>
/// <c>replay.json</c> (schema <see cref="Format"/>, stable: fields are only ever added) and <c>replay.md</c>. The JSON's
/// <c>summary</c> is a flat map of metric path → number that <c>--baseline</c> compares, e.g.
/// <c>overall/force/rmse</c>, <c>condition/cad100/moment/r2</c>, <c>latency/p99_ms</c>, <c>throughput/frames_per_s</c>.
/// </summary>
internal sealed class ReplayReport
{
    public const string Format = "gaitstream-replay-report/1";

    public required string Source { get; init; }

    public required string Server { get; init; }

    public required ReplaySettings Settings { get; init; }

    public required ReplayRun Run { get; init; }

    public required ModelInfo Model { get; init; }

    public required ReplayEvaluation Evaluation { get; init; }

    public required IReadOnlyList<string> CommandLine { get; init; }

    public IReadOnlyList<RegressionCheck.Row>? Regression { get; set; }

    public string? BaselinePath { get; set; }

    public Tolerance? Tolerance { get; set; }

    public DeliveryTotals Delivery => DeliveryTotals.Of(Run);

    public LatencySummary Latency => LatencySummary.Of([.. Run.Sessions.SelectMany(s => s.LatenciesMs)]);

    /// <summary>The flat metric map the regression check compares.</summary>
    public SortedDictionary<string, double> Summary()
    {
        var summary = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (Evaluation.Metrics is MetricsReport m)
        {
            AddKinds(summary, "overall", m.Overall);
            foreach ((string condition, IReadOnlyDictionary<ChannelKind, KindSummary> kinds) in m.PerCondition)
            {
                AddKinds(summary, $"condition/{condition}", kinds);
            }
            foreach ((string cohort, IReadOnlyDictionary<ChannelKind, KindSummary> kinds) in m.PerCohort)
            {
                AddKinds(summary, $"cohort/{cohort}", kinds);
            }
        }
        LatencySummary latency = Latency;
        summary["latency/p50_ms"] = latency.P50Ms;
        summary["latency/p95_ms"] = latency.P95Ms;
        summary["latency/p99_ms"] = latency.P99Ms;
        summary["latency/max_ms"] = latency.MaxMs;
        summary["throughput/frames_per_s"] = Run.FramesPerSecond;
        return summary;
    }

    private static void AddKinds(SortedDictionary<string, double> summary, string prefix, IReadOnlyDictionary<ChannelKind, KindSummary> kinds)
    {
        foreach ((ChannelKind kind, KindSummary s) in kinds)
        {
            string k = kind.ToString().ToLowerInvariant();
            summary[$"{prefix}/{k}/rmse"] = s.Rmse.Mean;
            summary[$"{prefix}/{k}/mae"] = s.Mae.Mean;
            summary[$"{prefix}/{k}/r2"] = s.R2.Mean;
        }
    }

    /// <summary>The summary of a previous <c>replay.json</c>.</summary>
    public static SortedDictionary<string, double> ReadSummary(string path)
    {
        if (!File.Exists(path))
        {
            throw new ReplayInputException($"--baseline file not found: '{Path.GetFullPath(path)}'.");
        }
        try
        {
            JsonNode? root = JsonNode.Parse(File.ReadAllText(path));
            string? format = root?["format"]?.GetValue<string>();
            if (format != Format)
            {
                throw new ReplayInputException($"--baseline '{path}' is not a replay report (format '{format}'; expected '{Format}').");
            }
            var summary = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach ((string key, JsonNode? value) in root!["summary"]?.AsObject() ?? [])
            {
                summary[key] = value is null ? double.NaN : value.GetValue<double>();
            }
            return summary;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ReplayInputException($"--baseline '{path}' could not be read as JSON: {e.Message}", e);
        }
    }

    public JsonObject ToJson()
    {
        DeliveryTotals d = Delivery;
        var sessions = new JsonArray();
        foreach (SessionResult s in Run.Sessions.OrderBy(s => s.Index))
        {
            LatencySummary l = LatencySummary.Of(s.LatenciesMs);
            sessions.Add(new JsonObject
            {
                ["session_id"] = s.SessionId,
                ["trial"] = s.Trial.Key,
                ["sample_rate_hz"] = Number(s.Trial.SampleRateHz),
                ["frames_sent"] = s.FramesSent,
                ["estimates_received"] = s.EstimatesReceived,
                ["warmup"] = s.WarmupFrames,
                ["expected"] = s.Expected,
                ["rejected"] = s.Rejected,
                ["missing"] = s.Missing,
                ["duplicated"] = s.Duplicated,
                ["unexpected"] = s.Unexpected,
                ["warnings"] = new JsonObject([.. s.Warnings.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => KeyValuePair.Create(w.Key, (JsonNode?)w.Value))]),
                ["wall_s"] = Number(s.WallS),
                ["frames_per_s"] = Number(s.WallS > 0 ? s.FramesSent / s.WallS : double.NaN),
                ["latency_ms"] = LatencyJson(l),
                ["failure"] = s.Failure,
            });
        }
        var trials = new JsonArray();
        foreach (TrialEvaluation t in Evaluation.Trials)
        {
            trials.Add(new JsonObject
            {
                ["trial"] = t.Trial.Key,
                ["subject"] = t.Trial.Labels.SubjectId,
                ["cohort"] = t.Trial.Labels.Cohort,
                ["condition"] = t.Trial.Labels.Condition,
                ["session_id"] = t.SessionId,
                ["frames"] = t.Trial.FrameCount,
                ["sample_rate_hz"] = Number(t.Trial.SampleRateHz),
                ["evaluated_frames"] = t.EvaluatedFrames,
                ["metrics"] = t.Metrics is null ? null : JsonSerializer.SerializeToNode(t.Metrics, ProtocolJson.Options),
            });
        }
        LatencySummary latency = Latency;
        (double[] edges, long[] counts) = Histogram([.. Run.Sessions.SelectMany(s => s.LatenciesMs)]);
        var json = new JsonObject
        {
            ["format"] = Format,
            ["created_utc"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["command_line"] = new JsonArray([.. CommandLine.Select(a => (JsonNode?)a)]),
            ["data"] = Source,
            ["server"] = Server,
            ["model"] = new JsonObject
            {
                ["id"] = Model.Id,
                ["architecture"] = Model.Architecture,
                ["onnx_sha256"] = Model.OnnxSha256,
                ["sample_rate_hz"] = Model.SampleRateHz,
                ["window_frames"] = Model.WindowFrames,
                ["backend"] = Model.Backend,
                ["outputs"] = new JsonArray([.. Model.Outputs.Select(o => (JsonNode?)o.Name)]),
            },
            ["settings"] = new JsonObject
            {
                ["speed"] = Settings.SpeedText,
                ["concurrency"] = Settings.Concurrency,
                ["sessions"] = Run.Sessions.Count,
                ["frames_per_message"] = Settings.FramesPerMessage,
                ["jitter_ms"] = Settings.JitterMs,
                ["burst"] = Settings.Burst,
            },
            ["channels"] = new JsonObject
            {
                ["evaluated"] = new JsonArray([.. Evaluation.Channels.Select(c => (JsonNode?)c)]),
                ["model_only"] = new JsonArray([.. Evaluation.ModelOnlyChannels.Select(c => (JsonNode?)c)]),
                ["reference_only"] = new JsonArray([.. Evaluation.ReferenceOnlyChannels.Select(c => (JsonNode?)c)]),
            },
            ["delivery"] = new JsonObject
            {
                ["frames_sent"] = d.FramesSent,
                ["estimates_received"] = d.EstimatesReceived,
                ["warmup"] = d.Warmup,
                ["expected"] = d.Expected,
                ["rejected"] = d.Rejected,
                ["missing"] = d.Missing,
                ["duplicated"] = d.Duplicated,
                ["unexpected"] = d.Unexpected,
                ["lost"] = d.Lost,
                ["repeat_max_abs_diff_per_kg"] = Evaluation.RepeatMaxAbsDiffPerKg,
            },
            ["throughput"] = new JsonObject
            {
                ["wall_s"] = Number(Run.WallS),
                ["frames_per_s"] = Number(Run.FramesPerSecond),
                ["estimates_per_s"] = Number(Run.WallS > 0 ? Run.EstimatesReceived / Run.WallS : double.NaN),
            },
            ["latency_ms"] = new JsonObject
            {
                ["overall"] = LatencyJson(latency),
                ["histogram"] = new JsonObject
                {
                    ["edges_ms"] = new JsonArray([.. edges.Select(e => (JsonNode?)e)]),
                    ["counts"] = new JsonArray([.. counts.Select(c => (JsonNode?)c)]),
                },
            },
            ["sessions"] = sessions,
            ["metrics"] = Evaluation.Metrics is null ? null : JsonSerializer.SerializeToNode(Evaluation.Metrics, ProtocolJson.Options),
            ["trials"] = trials,
            ["summary"] = new JsonObject([.. Summary().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Number(p.Value)))]),
        };
        if (Regression is not null)
        {
            json["regression"] = new JsonObject
            {
                ["baseline"] = BaselinePath is null ? null : Path.GetFullPath(BaselinePath),
                ["tolerance"] = Tolerance?.ToString(),
                ["passed"] = !Regression.Any(r => r.Regressed),
                ["rows"] = new JsonArray([.. Regression.Select(r => (JsonNode?)new JsonObject
                {
                    ["metric"] = r.Metric,
                    ["baseline"] = Number(r.Baseline),
                    ["current"] = Number(r.Current),
                    ["allowed"] = Number(r.Allowed),
                    ["regressed"] = r.Regressed,
                    ["note"] = r.Note,
                })]),
            };
        }
        return json;
    }

    public string ToMarkdown(IReadOnlyList<string> figures)
    {
        var md = new StringBuilder();
        DeliveryTotals d = Delivery;
        LatencySummary l = Latency;
        md.AppendLine(CultureInfo.InvariantCulture, $"# Replay of {Source}").AppendLine()
          .AppendLine(CultureInfo.InvariantCulture, $"- Model `{Model.Id}` ({Model.Architecture}, {Model.SampleRateHz:0.#} Hz, window {Model.WindowFrames} frames, {Model.Backend}), ONNX sha256 `{Model.OnnxSha256[..Math.Min(12, Model.OnnxSha256.Length)]}…`")
          .AppendLine(CultureInfo.InvariantCulture, $"- Server: {Server}")
          .AppendLine(CultureInfo.InvariantCulture, $"- Speed {Settings.SpeedText}, {Run.Sessions.Count} session(s), {Settings.Concurrency} at once, {Settings.FramesPerMessage} frame(s) per message, jitter {Settings.JitterMs:0.##} ms, burst {Settings.Burst}")
          .AppendLine(CultureInfo.InvariantCulture, $"- Command: `gaitstream-replay {string.Join(' ', CommandLine)}`").AppendLine();

        md.AppendLine("## Delivery").AppendLine()
          .AppendLine("| frames sent | estimates received | warm-up (no estimate by design) | expected | rejected | missing | duplicated | unexpected |")
          .AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
          .AppendLine(CultureInfo.InvariantCulture, $"| {d.FramesSent} | {d.EstimatesReceived} | {d.Warmup} | {d.Expected} | {d.Rejected} | {d.Missing} | {d.Duplicated} | {d.Unexpected} |").AppendLine()
          .AppendLine(d.Lost == 0 ? "Every expected estimate arrived exactly once." : $"**{d.Lost} estimate(s) lost or duplicated.**")
          .AppendLine(CultureInfo.InvariantCulture, $"Cycled repeats of a trial agree with its first session to {Evaluation.RepeatMaxAbsDiffPerKg:G3} (max |Δ| per kg).").AppendLine();

        md.AppendLine("## Latency and throughput").AppendLine()
          .AppendLine("Client clock, from writing a frame's message to reading its estimate.").AppendLine()
          .AppendLine("| | estimates | mean (ms) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | frames/s |")
          .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
          .AppendLine(CultureInfo.InvariantCulture, $"| **overall** | {l.Count} | {F(l.MeanMs)} | {F(l.P50Ms)} | {F(l.P95Ms)} | {F(l.P99Ms)} | {F(l.MaxMs)} | {F(Run.FramesPerSecond, "0")} |");
        foreach (SessionResult s in Run.Sessions.OrderBy(s => s.Index).Take(64))
        {
            LatencySummary sl = LatencySummary.Of(s.LatenciesMs);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {s.SessionId} | {sl.Count} | {F(sl.MeanMs)} | {F(sl.P50Ms)} | {F(sl.P95Ms)} | {F(sl.P99Ms)} | {F(sl.MaxMs)} | {F(s.WallS > 0 ? s.FramesSent / s.WallS : double.NaN, "0")} |");
        }
        if (Run.Sessions.Count > 64)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| … {Run.Sessions.Count - 64} more in replay.json | | | | | | | |");
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"\n{Run.FramesSent} frames in {Run.WallS:0.00} s.").AppendLine();

        md.AppendLine("## Metrics").AppendLine()
          .AppendLine(CultureInfo.InvariantCulture, $"Estimates (values_per_kg) matched to reference frames by sequence number; channels scored: {Evaluation.Channels.Count}.")
          .AppendLine(CultureInfo.InvariantCulture, $"Frames scored: {Evaluation.Trials.Sum(t => t.EvaluatedFrames)} of the {ScoredSessions().Sum(s => s.Received)} estimated in the scored sessions (one per trial); the others lie outside the span every reference covers.");
        if (Evaluation.ModelOnlyChannels.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Not scored, no reference in the replayed data: {string.Join(", ", Evaluation.ModelOnlyChannels)}.");
        }
        if (Evaluation.ReferenceOnlyChannels.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Not scored, the model does not estimate them: {string.Join(", ", Evaluation.ReferenceOnlyChannels)}.");
        }
        md.AppendLine();
        if (Evaluation.Metrics is MetricsReport metrics)
        {
            md.Append(metrics.ToMarkdown()).AppendLine();
            md.AppendLine("## By trial").AppendLine()
              .AppendLine("| trial | evaluated frames | output | RMSE | MAE | R² |")
              .AppendLine("| --- | ---: | --- | ---: | ---: | ---: |");
            foreach (TrialEvaluation t in Evaluation.Trials)
            {
                foreach ((ChannelKind kind, KindMetrics k) in t.Metrics?.PerKind ?? new Dictionary<ChannelKind, KindMetrics>())
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Trial.Key} | {t.EvaluatedFrames} | {kind} | {F(k.Rmse, "0.0000")} | {F(k.Mae, "0.0000")} | {F(k.R2, "0.0000")} |");
                }
            }
            md.AppendLine();
        }
        else
        {
            md.AppendLine("No estimated frame has a reference the model estimates: no metrics.").AppendLine();
        }

        if (Regression is not null)
        {
            int regressed = Regression.Count(r => r.Regressed);
            md.AppendLine("## Regression check").AppendLine()
              .AppendLine(CultureInfo.InvariantCulture, $"Baseline `{BaselinePath}`, tolerance `{Tolerance}`: {(regressed == 0 ? "**passed**" : $"**{regressed} regression(s)**")} ({Regression.Count} metric(s) compared).").AppendLine()
              .AppendLine("| metric | baseline | current | allowed | status |")
              .AppendLine("| --- | ---: | ---: | ---: | --- |");
            foreach (RegressionCheck.Row r in Regression)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Metric} | {RegressionCheck.Format(r.Baseline)} | {RegressionCheck.Format(r.Current)} | {RegressionCheck.Format(r.Allowed)} | {(r.Regressed ? "REGRESSED" : "ok")} |");
            }
            md.AppendLine();
        }
        if (figures.Count > 0)
        {
            md.AppendLine("## Figures").AppendLine();
            foreach (string figure in figures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"![{figure}]({figure})");
            }
        }
        return md.ToString();
    }

    private IEnumerable<SessionResult> ScoredSessions() => Run.Sessions.Where(s => Evaluation.Trials.Any(t => t.SessionId == s.SessionId));

    /// <summary>Latency histogram: 40 log-spaced bins from the smallest to the largest latency.</summary>
    internal static (double[] EdgesMs, long[] Counts) Histogram(double[] latenciesMs)
    {
        if (latenciesMs.Length == 0)
        {
            return ([], []);
        }
        const int bins = 40;
        double lo = Math.Max(1e-3, latenciesMs.Min());
        double hi = Math.Max(lo * 1.01, latenciesMs.Max());
        double[] edges = [.. Enumerable.Range(0, bins + 1).Select(i => lo * Math.Pow(hi / lo, (double)i / bins))];
        long[] counts = new long[bins];
        double logSpan = Math.Log(hi / lo);
        foreach (double v in latenciesMs)
        {
            int b = (int)(Math.Log(Math.Max(v, lo) / lo) / logSpan * bins);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }
        return (edges, counts);
    }

    private static JsonObject LatencyJson(LatencySummary l) => new()
    {
        ["count"] = l.Count,
        ["mean"] = Number(l.MeanMs),
        ["p50"] = Number(l.P50Ms),
        ["p95"] = Number(l.P95Ms),
        ["p99"] = Number(l.P99Ms),
        ["max"] = Number(l.MaxMs),
    };

    private static JsonValue? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string F(double v, string format = "0.00") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
