using System.Globalization;
using GaitStream.Core.Datasets;
using GaitStream.Core.Schema;
using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using Grpc.Core;
using Grpc.Net.Client;

namespace GaitStream.Server.Demo;

/// <summary>
/// <c>--demo</c>: streams the bundled example trial (data/examples/gait2354-walk, real OpenSim kinematics at 60 Hz)
/// into this very service over loopback gRPC, in real time, looping, as session <c>demo-walk</c>; prints the latest
/// hip moments once a second. A new user sees live estimates, the dashboard and /metrics with no device.
/// </summary>
/// <remarks>
/// The trial is about one stride long, so it loops from its first frame to the later frame whose ten angles are
/// closest to the first (the smoothest seam); time and sequence numbers keep increasing across loops.
/// </remarks>
public sealed partial class DemoFeeder(ServerEndpoints endpoints, IHostApplicationLifetime lifetime, IConfiguration configuration, ILogger<DemoFeeder> logger)
    : BackgroundService
{
    public const string SessionId = "demo-walk";

    public const string DefaultDataset = "data/examples/gait2354-walk";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        string datasetDir = FindDataset(configuration[$"{GaitStreamServerOptions.Section}:Demo:Dataset"]);
        Dataset dataset = DatasetCatalog.Load(datasetDir);
        TrialInfo trialInfo = dataset.Trials[0];
        TrialData trial = dataset.LoadTrial(trialInfo);
        (float[][] frames, double rateHz) = LoopFrames(trial.Angles);
        LogStarting(logger, SessionId, trialInfo.TrialId, datasetDir, rateHz, frames.Length);

        using var channel = GrpcChannel.ForAddress(endpoints.GrpcAddress);
        var client = new Protocol.V1.GaitStream.GaitStreamClient(channel);
        var headers = new Metadata();
        string? key = configuration.GetSection($"{GaitStreamServerOptions.Section}:ApiKeys").GetChildren().FirstOrDefault()?.Value;
        if (key is not null)
        {
            headers.Add(Security.ApiKeyValidator.MetadataKey, key);
        }
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = client.Stream(headers, cancellationToken: stoppingToken);
        var open = new SessionOpen
        {
            SessionId = SessionId,
            BodyMassKg = trial.BodyMassKg,
            SampleRateHz = rateHz,
            SubjectId = trialInfo.SubjectId,
            Label = $"demo: {trialInfo.TrialId} looped, {rateHz:0} Hz",
        };
        open.Channels.AddRange(ChannelSchema.InputAngles);
        await call.RequestStream.WriteAsync(new StreamRequest { Open = open }, stoppingToken).ConfigureAwait(false);
        Task printer = PrintAsync(call.ResponseStream, stoppingToken);
        // GaitStream:Demo:Seconds stops the whole service after that long (scripted checks); default: run until Ctrl+C.
        double runSeconds = double.TryParse(configuration[$"{GaitStreamServerOptions.Section}:Demo:Seconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) ? s : 0;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / rateHz));
            ulong seq = 0;
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (runSeconds > 0 && System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds >= runSeconds)
                {
                    await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                    await printer.ConfigureAwait(false);
                    await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"[demo] {seq} frames streamed in {runSeconds:0.#} s; stopping (GaitStream:Demo:Seconds).")).ConfigureAwait(false);
                    lifetime.StopApplication();
                    return;
                }
                var frame = new Frame { Seq = seq, TimeS = seq / rateHz };
                frame.AnglesDeg.AddRange(frames[(int)(seq % (ulong)frames.Length)]);
                var batch = new FrameBatch();
                batch.Frames.Add(frame);
                await call.RequestStream.WriteAsync(new StreamRequest { Frames = batch }, stoppingToken).ConfigureAwait(false);
                seq++;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (RpcException e)
        {
            LogFailed(logger, e.Status.StatusCode, e.Status.Detail);
        }
        try
        {
            await printer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
        }
    }

    /// <summary>The loop: frames 0 … j − 1 where frame j (in the second half) is nearest to frame 0.</summary>
    internal static (float[][] Frames, double RateHz) LoopFrames(Signal angles)
    {
        int n = angles.FrameCount;
        double rateHz = Math.Round((n - 1) / angles.DurationS, 3);
        int c = angles.Channels.Count;
        var rows = new float[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new float[c];
            for (int k = 0; k < c; k++)
            {
                rows[i][k] = (float)angles.Values[k][i];
            }
        }
        int best = n;
        double bestDistance = double.PositiveInfinity;
        for (int j = n / 2; j < n; j++)
        {
            double d = 0;
            for (int k = 0; k < c; k++)
            {
                double diff = rows[j][k] - rows[0][k];
                d += diff * diff;
            }
            if (d < bestDistance)
            {
                bestDistance = d;
                best = j;
            }
        }
        return (rows[..best], rateHz);
    }

    private async Task PrintAsync(IAsyncStreamReader<StreamResponse> responses, CancellationToken cancellationToken)
    {
        SessionAccepted? accepted = null;
        DateTime lastPrint = DateTime.MinValue;
        await foreach (StreamResponse response in responses.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (response.KindCase)
            {
                case StreamResponse.KindOneofCase.Accepted:
                    accepted = response.Accepted;
                    LogAccepted(logger, accepted.Model.Id, accepted.Model.Architecture, accepted.ModelRateHz, accepted.WarmupS);
                    break;
                case StreamResponse.KindOneofCase.Warning:
                    LogWarning(logger, response.Warning.Code, response.Warning.Message);
                    break;
                case StreamResponse.KindOneofCase.Estimates when accepted is not null && DateTime.UtcNow - lastPrint >= TimeSpan.FromSeconds(1):
                    lastPrint = DateTime.UtcNow;
                    Estimate e = response.Estimates.Estimates[^1];
                    string text = string.Join("  ", accepted.Model.Outputs
                        .Select((o, i) => (o, i))
                        .Where(p => p.o.Kind == "moment" || p.o.Name.StartsWith("glut_med", StringComparison.Ordinal))
                        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.o.Name} {e.Values[p.i],7:0.0} {p.o.Unit}")));
                    await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[demo t={e.TimeS,6:0.00} s, {e.ServerLatencyMs:0.0} ms] {text}")).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration a = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using CancellationTokenRegistration b = stoppingToken.Register(() => started.TrySetResult());
        await started.Task.ConfigureAwait(false);
    }

    private static string FindDataset(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Directory.Exists(configured) ? configured
                : throw new InvalidOperationException($"{GaitStreamServerOptions.Section}:Demo:Dataset '{configured}' does not exist.");
        }
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, DefaultDataset);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException($"--demo needs the example dataset '{DefaultDataset}' (run from the repository or set {GaitStreamServerOptions.Section}:Demo:Dataset).");
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Demo session {Session}: trial {Trial} from {Dataset}, {RateHz} Hz, looping {Frames} frames in real time")]
    private static partial void LogStarting(ILogger logger, string session, string trial, string dataset, double rateHz, int frames);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Demo accepted: model {Model} ({Architecture}, {ModelRateHz} Hz); first estimate after {WarmupS} s")]
    private static partial void LogAccepted(ILogger logger, string model, string architecture, double modelRateHz, double warmupS);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Demo warning {Code}: {Message}")]
    private static partial void LogWarning(ILogger logger, WarningCode code, string message);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "Demo session ended: {Status} {Detail}")]
    private static partial void LogFailed(ILogger logger, StatusCode status, string detail);
}
