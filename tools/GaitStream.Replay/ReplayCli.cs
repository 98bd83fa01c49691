using System.CommandLine;
using System.Globalization;
using GaitStream.Core.Datasets;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace GaitStream.Replay;

/// <summary>
/// The <c>gaitstream-replay</c> command line: recorded trials streamed through the service, scored, timed and
/// optionally compared with a baseline. Exit codes are part of the interface (CI scripts test them):
/// <list type="table">
/// <item><term>0</term><description>ok: every expected estimate arrived once; no regression.</description></item>
/// <item><term>1</term><description>regression: a metric is worse than the baseline by more than its tolerance.</description></item>
/// <item><term>2</term><description>bad input: options, files, selection, tolerance, baseline, model name.</description></item>
/// <item><term>3</term><description>server or transport failure: unreachable, or a session ended with an error status.</description></item>
/// <item><term>4</term><description>delivery failure: an estimate was missing, duplicated or unexpected.</description></item>
/// </list>
/// </summary>
public static class ReplayCli
{
    public const int ExitOk = 0;
    public const int ExitRegression = 1;
    public const int ExitBadInput = 2;
    public const int ExitServerFailure = 3;
    public const int ExitDeliveryFailure = 4;

    /// <summary>The device sample rates the service accepts (SessionOpen.sample_rate_hz).</summary>
    private const double MinRateHz = 60;
    private const double MaxRateHz = 240;

    public static int Run(string[] args, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var dataset = new Option<string>("--dataset") { Description = "Dataset folder in the GaitStream layout." };
        var subjects = new Option<string>("--subjects") { Description = "Only these subject ids (comma-separated)." };
        var cohorts = new Option<string>("--cohorts") { Description = "Only subjects of these cohorts (comma-separated)." };
        var conditions = new Option<string>("--conditions") { Description = "Only these conditions (comma-separated)." };
        var trials = new Option<string>("--trials") { Description = "Only these trial ids (comma-separated)." };
        var ik = new Option<string>("--ik") { Description = "A bare trial: OpenSim inverse-kinematics .mot." };
        var id = new Option<string>("--id") { Description = "Inverse-dynamics .sto of the bare trial (reference moments)." };
        var forces = new Option<string>("--forces") { Description = "Muscle-force .sto of the bare trial (reference group forces)." };
        var mass = new Option<double?>("--body-mass") { Description = "Body mass of the bare trial's subject, kg." };
        var server = new Option<string>("--server") { Description = "gRPC address of a running service, e.g. http://127.0.0.1:50051." };
        var startServer = new Option<bool>("--start-server") { Description = "Start the service in-process on a free loopback port (models from --models)." };
        var models = new Option<string>("--models") { Description = "Models folder for --start-server (default: the repository's models/)." };
        var model = new Option<string>("--model") { Description = "Model name (ListModels); default: the server's default model.", DefaultValueFactory = _ => "" };
        var apiKey = new Option<string>("--api-key") { Description = "Sent as x-api-key metadata (with --start-server, the in-process service requires it)." };
        var speed = new Option<string>("--speed") { Description = "1 = real time (frames paced by their timestamps), 4 = four times faster, max = as fast as flow control allows.", DefaultValueFactory = _ => "max" };
        var concurrency = new Option<int>("--concurrency") { Description = "Sessions at once; trials are cycled when this exceeds the number of trials.", DefaultValueFactory = _ => 1 };
        var perMessage = new Option<int>("--frames-per-message") { Description = "Frames per FrameBatch message.", DefaultValueFactory = _ => 1 };
        var jitter = new Option<double>("--jitter-ms") { Description = "Delay each message by a uniform random 0…N ms (network jitter).", DefaultValueFactory = _ => 0 };
        var burst = new Option<int>("--burst") { Description = "Hold messages and send them back to back in groups of N (a buffering link); 1 = off.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the jitter.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder for replay.json, replay.md and the PNGs.", DefaultValueFactory = _ => "out/replay" };
        var plotTrials = new Option<string>("--plot-trials") { Description = "Trials to plot, SUBJECT/CONDITION/TRIAL comma-separated, 'all' or 'none' (default: the first).", DefaultValueFactory = _ => "" };
        var baseline = new Option<string>("--baseline") { Description = "A previous replay.json: exit 1 when a metric got worse than --tolerance allows." };
        var tolerance = new Option<string>("--tolerance") { Description = $"Allowed worsening per metric, absolute or %; keys {string.Join(", ", Tolerance.Keys)} (default {Tolerance.Default})." };

        var root = new RootCommand("GaitStream replay: stream recorded trials through the service; evaluate, time, and check for regressions. " +
            "Exit codes: 0 ok, 1 regression, 2 bad input, 3 server/transport failure, 4 estimates lost or duplicated.")
        {
            dataset, subjects, cohorts, conditions, trials, ik, id, forces, mass, server, startServer, models, model, apiKey,
            speed, concurrency, perMessage, jitter, burst, seed, output, plotTrials, baseline, tolerance,
        };
        root.SetAction(parse =>
        {
            try
            {
                var source = new TrialSource(parse.GetValue(dataset), List(parse.GetValue(subjects)), List(parse.GetValue(cohorts)), List(parse.GetValue(conditions)),
                    List(parse.GetValue(trials)), parse.GetValue(ik), parse.GetValue(id), parse.GetValue(forces), parse.GetValue(mass));
                var settings = new ReplaySettings(ParseSpeed(parse.GetValue(speed)!), parse.GetValue(concurrency), parse.GetValue(perMessage),
                    parse.GetValue(jitter), parse.GetValue(burst), parse.GetValue(model) ?? "", parse.GetValue(seed));
                var target = new ServerTarget(parse.GetValue(server), parse.GetValue(startServer), parse.GetValue(models), parse.GetValue(apiKey));
                string? baselinePath = parse.GetValue(baseline);
                string? toleranceText = parse.GetValue(tolerance);
                if (toleranceText is not null && baselinePath is null)
                {
                    throw new ReplayInputException("--tolerance goes with --baseline FILE (the report to compare with).");
                }
                Tolerance? tol = baselinePath is null ? null : Tolerance.Parse(toleranceText ?? Tolerance.Default);
                return RunAsync(console, source, settings, target, parse.GetValue(output)!, parse.GetValue(plotTrials)!, baselinePath, tol, args, CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is ReplayInputException or DatasetValidationException or StorageFormatException or InvalidDataException
                                          or FileNotFoundException or DirectoryNotFoundException or ArgumentException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitBadInput;
            }
        });

        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }
            console.WriteLine("Run 'gaitstream-replay --help' for usage.");
            return ExitBadInput;
        }
        return result.Invoke();
    }

    /// <summary>Where the service is: a URL, or one to start in-process.</summary>
    private sealed record ServerTarget(string? Url, bool Start, string? ModelsDir, string? ApiKey);

    private static async Task<int> RunAsync(IAnsiConsole console, TrialSource source, ReplaySettings settings, ServerTarget target, string outDir,
        string plotTrials, string? baselinePath, Tolerance? tolerance, string[] args, CancellationToken cancellationToken)
    {
        Validate(settings, target);
        SortedDictionary<string, double>? baseline = baselinePath is null ? null : ReplayReport.ReadSummary(baselinePath);
        IReadOnlyList<ReplayTrial> trials = source.Load();
        foreach (ReplayTrial t in trials)
        {
            if (!(t.SampleRateHz >= MinRateHz && t.SampleRateHz <= MaxRateHz))
            {
                throw new ReplayInputException($"Trial {t.Key} is recorded at {t.SampleRateHz:0.##} Hz; the service takes devices at {MinRateHz}–{MaxRateHz} Hz.");
            }
        }
        HashSet<string> plotKeys = PlotSelection(plotTrials, trials);

        WebApplication? app = null;
        try
        {
            Uri address;
            if (target.Start)
            {
                string modelsDir = target.ModelsDir ?? DefaultModels();
                try
                {
                    (app, ServerEndpoints endpoints) = await ServerApp.StartAsync([], o =>
                    {
                        o.GrpcPort = 0;
                        o.HttpPort = -1;
                        o.TcpPort = -1;
                        o.ModelsDirectory = modelsDir;
                        // A replay measures the service, not the per-device guard rails.
                        o.Limits.MaxFramesPerSecondPerSession = 10_000_000;
                        o.Limits.MaxSessions = Math.Max(o.Limits.MaxSessions, settings.Concurrency);
                        if (target.ApiKey is not null)
                        {
                            o.ApiKeys["replay"] = target.ApiKey;
                        }
                    }, builder => builder.Logging.ClearProviders(), cancellationToken).ConfigureAwait(false);
                    address = endpoints.GrpcAddress;
                }
                catch (Exception e) when (e is InvalidOperationException or IOException)
                {
                    throw new ReplayInputException($"The in-process service could not start with models from '{Path.GetFullPath(modelsDir)}': {e.Message}", e);
                }
            }
            else
            {
                address = new Uri(target.Url!);
            }

            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
                MaxReceiveMessageSize = 64 << 20,
            });
            var client = new Protocol.V1.GaitStream.GaitStreamClient(channel);
            Metadata? headers = target.ApiKey is null ? null : new Metadata { { "x-api-key", target.ApiKey } };

            ListModelsResponse listed;
            try
            {
                listed = await client.ListModelsAsync(new ListModelsRequest(), headers, deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                console.MarkupLineInterpolated($"[red]error:[/] the service at {address} did not answer ListModels: {e.StatusCode}: {e.Status.Detail}");
                return e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied ? ExitBadInput : ExitServerFailure;
            }
            string modelId = settings.ModelId.Length == 0 ? listed.DefaultModelId : settings.ModelId;
            ModelInfo? info = listed.Models.FirstOrDefault(m => m.Id == modelId);
            if (info is null)
            {
                throw new ReplayInputException($"--model '{modelId}' is not served at {address} (models: {string.Join(", ", listed.Models.Select(m => m.Id))}).");
            }
            string serverText = target.Start ? $"in-process at {address} (models {Path.GetFullPath(target.ModelsDir ?? DefaultModels())})" : address.ToString();
            console.MarkupLineInterpolated($"Replaying {trials.Count} trial(s) from {source.Describe()} through [blue]{serverText}[/], model [bold]{modelId}[/] ({info.SampleRateHz:0.#} Hz, window {info.WindowFrames}).");
            foreach (double rate in trials.Select(t => Math.Round(t.SampleRateHz, 3)).Distinct().Where(r => Math.Abs(r - info.SampleRateHz) > 1e-6))
            {
                console.MarkupLineInterpolated($"[yellow]note:[/] trials at {rate:0.###} Hz are resampled online to the model's {info.SampleRateHz:0.#} Hz by the service.");
            }

            ReplayRun run = await ReplayRunner.RunAsync(console, client, trials, settings with { ModelId = modelId }, headers, cancellationToken).ConfigureAwait(false);
            List<SessionResult> failed = [.. run.Failed];
            if (failed.Count > 0)
            {
                SessionResult first = failed.FirstOrDefault(f => f.Failure != ReplayRunner.Cancelled) ?? failed[0];
                console.MarkupLineInterpolated($"[red]error:[/] {failed.Count} of {run.Sessions.Count} session(s) failed; session '{first.SessionId}' ({first.Trial.Key}): {first.Failure}");
                return first.FailureIsBadInput ? ExitBadInput : ExitServerFailure;
            }

            ModelInfo served = run.Sessions[0].Accepted?.Model ?? info;
            IReadOnlyList<string> outputs = [.. served.Outputs.Select(o => o.Name)];
            ReplayEvaluation evaluation = ReplayEvaluation.Evaluate(run, outputs);
            var report = new ReplayReport
            {
                Source = source.Describe(),
                Server = serverText,
                Settings = settings with { ModelId = modelId },
                Run = run,
                Model = served,
                Evaluation = evaluation,
                CommandLine = args,
            };
            if (baseline is not null)
            {
                report.Regression = RegressionCheck.Compare(baseline, report.Summary(), tolerance!);
                report.BaselinePath = baselinePath;
                report.Tolerance = tolerance;
            }
            WriteReports(console, report, outDir, plotKeys);
            Print(console, report);

            DeliveryTotals delivery = report.Delivery;
            if (delivery.Lost > 0)
            {
                console.MarkupLineInterpolated($"[red]delivery failure:[/] {delivery.Missing} missing, {delivery.Duplicated} duplicated, {delivery.Unexpected} unexpected estimate(s).");
                return ExitDeliveryFailure;
            }
            if (report.Regression is { } rows && rows.Any(r => r.Regressed))
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("regressed metric", "baseline", "current", "allowed");
                foreach (RegressionCheck.Row r in rows.Where(r => r.Regressed))
                {
                    table.AddRow(Markup.Escape(r.Metric), RegressionCheck.Format(r.Baseline), RegressionCheck.Format(r.Current), RegressionCheck.Format(r.Allowed));
                }
                console.Write(table);
                console.MarkupLineInterpolated($"[red]regression:[/] {rows.Count(r => r.Regressed)} of {rows.Count} metric(s) worse than {baselinePath} allows (tolerance {tolerance}).");
                return ExitRegression;
            }
            if (report.Regression is { } passed)
            {
                console.MarkupLineInterpolated($"[green]no regression[/]: {passed.Count} metric(s) within tolerance {tolerance} of {baselinePath}.");
            }
            return ExitOk;
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void WriteReports(IAnsiConsole console, ReplayReport report, string outDir, HashSet<string> plotKeys)
    {
        Directory.CreateDirectory(outDir);
        var figures = new List<string>();
        double[] latencies = [.. report.Run.Sessions.SelectMany(s => s.LatenciesMs)];
        if (latencies.Length > 0)
        {
            ReplayPlots.LatencyHistogram(Path.Combine(outDir, "latency.png"), latencies, report.Latency,
                $"{report.Run.Sessions.Count} session(s), speed {report.Settings.SpeedText}: latency frame sent → estimate received");
            figures.Add("latency.png");
        }
        IReadOnlyList<string> outputs = [.. report.Model.Outputs.Select(o => o.Name)];
        foreach (TrialEvaluation t in report.Evaluation.Trials.Where(t => plotKeys.Contains(t.Trial.Key) && t.EvaluatedFrames > 0))
        {
            string name = $"curves_{string.Concat(t.Trial.Key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'))}.png";
            SessionResult session = report.Run.Sessions.First(s => s.SessionId == t.SessionId);
            ReplayPlots.Curves(Path.Combine(outDir, name), t, session, report.Evaluation.Channels, outputs);
            figures.Add(name);
        }
        File.WriteAllText(Path.Combine(outDir, "replay.json"), report.ToJson().ToJsonString(ProtocolJson.Options));
        File.WriteAllText(Path.Combine(outDir, "replay.md"), report.ToMarkdown(figures));
        console.MarkupLineInterpolated($"Wrote [blue]{Path.Combine(outDir, "replay.json")}[/], replay.md{(figures.Count > 0 ? ", " + string.Join(", ", figures) : "")}.");
    }

    private static void Print(IAnsiConsole console, ReplayReport report)
    {
        DeliveryTotals d = report.Delivery;
        LatencySummary l = report.Latency;
        var delivery = new Table().Border(TableBorder.Rounded).AddColumns("sessions", "frames sent", "estimates", "warm-up", "expected", "rejected", "missing", "duplicated", "unexpected", "frames/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        delivery.AddRow(I(report.Run.Sessions.Count), I(d.FramesSent), I(d.EstimatesReceived), I(d.Warmup), I(d.Expected), I(d.Rejected),
            d.Missing == 0 ? "0" : $"[red]{d.Missing}[/]", d.Duplicated == 0 ? "0" : $"[red]{d.Duplicated}[/]", d.Unexpected == 0 ? "0" : $"[red]{d.Unexpected}[/]",
            F(report.Run.FramesPerSecond, "0"), F(l.P50Ms), F(l.P95Ms), F(l.P99Ms), F(l.MaxMs));
        console.Write(delivery);
        if (report.Evaluation.Metrics is MetricsReport m)
        {
            var metrics = new Table().Border(TableBorder.Rounded).AddColumns("output", "subjects", "RMSE", "MAE", "R²");
            foreach ((ChannelKind kind, KindSummary s) in m.Overall.OrderBy(k => k.Key == ChannelKind.Force ? 0 : 1))
            {
                metrics.AddRow(kind == ChannelKind.Force ? "forces (N/kg)" : "moments (N·m/kg)", I(s.Rmse.N),
                    $"{F(s.Rmse.Mean, "0.0000")} ± {F(s.Rmse.Sd, "0.0000")}", $"{F(s.Mae.Mean, "0.0000")} ± {F(s.Mae.Sd, "0.0000")}", $"{F(s.R2.Mean, "0.0000")} ± {F(s.R2.Sd, "0.0000")}");
            }
            console.Write(metrics);
        }
        if (report.Evaluation.ModelOnlyChannels.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]note:[/] {report.Evaluation.ModelOnlyChannels.Count} model output(s) have no reference in the replayed data and are not scored: {string.Join(", ", report.Evaluation.ModelOnlyChannels)}.");
        }
    }

    private static void Validate(ReplaySettings settings, ServerTarget target)
    {
        if (target.Start == (target.Url is not null))
        {
            throw new ReplayInputException("Pass either --server URL (a running service) or --start-server (an in-process one), not both and not neither.");
        }
        if (!target.Start && target.ModelsDir is not null)
        {
            throw new ReplayInputException("--models goes with --start-server; a running service has its own models folder.");
        }
        if (target.Url is not null && (!Uri.TryCreate(target.Url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https")))
        {
            throw new ReplayInputException($"--server '{target.Url}' is not an http:// or https:// address (e.g. http://127.0.0.1:50051).");
        }
        if (target.ModelsDir is not null && !Directory.Exists(target.ModelsDir))
        {
            throw new ReplayInputException($"--models folder not found: '{Path.GetFullPath(target.ModelsDir)}'.");
        }
        if (settings.Concurrency is < 1 or > 10_000)
        {
            throw new ReplayInputException($"--concurrency must be 1–10000; got {settings.Concurrency}.");
        }
        if (settings.FramesPerMessage is < 1 or > 100_000)
        {
            throw new ReplayInputException($"--frames-per-message must be 1–100000; got {settings.FramesPerMessage}.");
        }
        if (!(settings.JitterMs >= 0 && settings.JitterMs <= 10_000))
        {
            throw new ReplayInputException($"--jitter-ms must be 0–10000; got {settings.JitterMs}.");
        }
        if (settings.Burst is < 1 or > 100_000)
        {
            throw new ReplayInputException($"--burst must be 1 (off) or more; got {settings.Burst}.");
        }
    }

    private static double? ParseSpeed(string text)
    {
        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0 && v <= 1000
            ? v
            : throw new ReplayInputException($"--speed must be a factor over real time (0 < s ≤ 1000: 1 = real time, 4 = four times faster) or 'max'; got '{text}'.");
    }

    private static HashSet<string> PlotSelection(string text, IReadOnlyList<ReplayTrial> trials)
    {
        if (text.Length == 0)
        {
            return [trials.OrderBy(t => t.Key, StringComparer.Ordinal).First().Key];
        }
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return [.. trials.Select(t => t.Key)];
        }
        HashSet<string> keys = [.. List(text)];
        string[] unknown = [.. keys.Where(k => !trials.Any(t => t.Key == k))];
        if (unknown.Length > 0)
        {
            throw new ReplayInputException($"--plot-trials: {string.Join(", ", unknown)} not among the replayed trials ({string.Join(", ", trials.Select(t => t.Key).Take(10))}); use SUBJECT/CONDITION/TRIAL.");
        }
        return keys;
    }

    /// <summary>The repository's models/ folder, found from the working folder or the tool's location.</summary>
    private static string DefaultModels()
    {
        foreach (string start in (string[])[Directory.GetCurrentDirectory(), AppContext.BaseDirectory])
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GaitStream.sln")) && Directory.Exists(Path.Combine(dir.FullName, "models")))
                {
                    return Path.Combine(dir.FullName, "models");
                }
            }
        }
        throw new ReplayInputException("No models/ folder was found in the repository above the working folder; pass --models DIR.");
    }

    private static string[] List(string? text) => text is null ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(double v, string format = "0.00") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
