using System.Diagnostics;
using GaitStream.Core.Schema;
using GaitStream.Protocol.V1;
using Grpc.Core;

namespace GaitStream.Replay;

/// <summary>
/// Streams one trial through one <c>Stream</c> call: opens the session at the trial's recorded rate, sends its frames
/// (seq = frame index, time = recorded timestamp) paced by the timestamps over the speed factor, and reads the estimates
/// back concurrently, stamping each with the client clock for latency (frame written → estimate read).
/// </summary>
internal sealed class SessionRunner(Protocol.V1.GaitStream.GaitStreamClient client, ReplaySettings settings, Metadata? headers, LiveCounters live)
{
    /// <summary>Warning codes that mean the frame was rejected (no estimate for it).</summary>
    private static readonly HashSet<WarningCode> RejectCodes =
        [WarningCode.ChannelCount, WarningCode.NonFinite, WarningCode.OutOfRange, WarningCode.TimestampNotIncreasing, WarningCode.SequenceNotIncreasing, WarningCode.Malformed];

    public async Task<SessionResult> RunAsync(ReplayTrial trial, string sessionId, int index, long startTimestamp, CancellationToken cancellationToken)
    {
        var result = new SessionResult(sessionId, trial, index);
        int n = trial.FrameCount;
        long[] sentAt = new long[n];
        int[] got = new int[n];
        bool[] rejected = new bool[n];
        var estimates = new float[]?[n];
        result.EstimatesPerKg = estimates;
        long started = Stopwatch.GetTimestamp();
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = client.Stream(headers, cancellationToken: cancellationToken);
        try
        {
            var open = new SessionOpen
            {
                SessionId = sessionId,
                BodyMassKg = trial.BodyMassKg,
                SampleRateHz = trial.SampleRateHz,
                ModelId = settings.ModelId,
                HopFrames = 1,
                SubjectId = trial.Labels.SubjectId,
                Label = $"replay {trial.Key}",
            };
            open.Channels.AddRange(ChannelSchema.InputAngles);
            await call.RequestStream.WriteAsync(new StreamRequest { Open = open }, cancellationToken).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) || call.ResponseStream.Current.KindCase != StreamResponse.KindOneofCase.Accepted)
            {
                throw new InvalidOperationException($"Session '{sessionId}': the server did not answer the open message with 'accepted'.");
            }
            SessionAccepted accepted = call.ResponseStream.Current.Accepted;
            result.Accepted = accepted;
            bool[] expected = ExpectedFrames(trial, accepted.WarmupS);
            result.WarmupFrames = expected.Count(e => !e);
            result.Expected = n - result.WarmupFrames;

            Task reader = ReadAsync(call.ResponseStream, result, sentAt, got, rejected, estimates, cancellationToken);
            try
            {
                await SendAsync(call.RequestStream, trial, sentAt, result, (int)Math.Max(1, accepted.MaxFramesPerBatch), startTimestamp, index, cancellationToken).ConfigureAwait(false);
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                await reader.ConfigureAwait(false);
            }

            for (int f = 0; f < n; f++)
            {
                bool wanted = expected[f] && !rejected[f];
                if (wanted)
                {
                    result.Missing += got[f] == 0 ? 1 : 0;
                    result.Duplicated += Math.Max(0, got[f] - 1);
                    result.Received += got[f] > 0 ? 1 : 0;
                }
                else
                {
                    result.Unexpected += got[f];
                }
            }
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            result.Failure = $"{e.StatusCode}: {e.Status.Detail}";
            result.FailureIsBadInput = e.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.Unauthenticated or StatusCode.PermissionDenied;
        }
        result.WallS = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return result;
    }

    /// <summary>
    /// Frames that get an estimate: the server's readiness rule (the oldest frame reaches back a whole window, with a
    /// microsecond of slack for timestamp rounding; see SlidingWindow.IsReady) applied to the recorded timestamps, for a
    /// stream without gaps or rejected frames.
    /// </summary>
    internal static bool[] ExpectedFrames(ReplayTrial trial, double warmupS)
    {
        double[] t = trial.TimeS;
        var expected = new bool[t.Length];
        for (int f = 0; f < t.Length; f++)
        {
            expected[f] = t[0] <= t[f] - warmupS + 1e-6;
        }
        return expected;
    }

    private async Task SendAsync(IClientStreamWriter<StreamRequest> requests, ReplayTrial trial, long[] sentAt, SessionResult result, int maxPerBatch,
        long startTimestamp, int index, CancellationToken cancellationToken)
    {
        int perMessage = Math.Min(settings.FramesPerMessage, maxPerBatch);
        var random = new Random(settings.Seed + index);
        double t0 = trial.TimeS[0];
        var held = new List<(StreamRequest Request, int First, int Count)>();
        for (int first = 0; first < trial.FrameCount; first += perMessage)
        {
            int count = Math.Min(perMessage, trial.FrameCount - first);
            var batch = new FrameBatch();
            for (int f = first; f < first + count; f++)
            {
                var frame = new Frame { Seq = (ulong)f, TimeS = trial.TimeS[f] };
                frame.AnglesDeg.AddRange(trial.AnglesDeg[f]);
                batch.Frames.Add(frame);
            }
            held.Add((new StreamRequest { Frames = batch }, first, count));
            bool lastMessage = first + count >= trial.FrameCount;
            if (held.Count < settings.Burst && !lastMessage)
            {
                continue;
            }
            if (settings.Speed is double speed)
            {
                // A message goes out when its newest frame is due: recorded time over the speed factor, plus jitter.
                double dueS = (trial.TimeS[first + count - 1] - t0) / speed;
                if (settings.JitterMs > 0)
                {
                    dueS += random.NextDouble() * settings.JitterMs / 1000.0;
                }
                TimeSpan wait = TimeSpan.FromSeconds(dueS) - Stopwatch.GetElapsedTime(startTimestamp);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (settings.JitterMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * settings.JitterMs), cancellationToken).ConfigureAwait(false);
            }
            foreach ((StreamRequest request, int from, int frames) in held)
            {
                long now = Stopwatch.GetTimestamp();
                for (int f = from; f < from + frames; f++)
                {
                    Volatile.Write(ref sentAt[f], now);
                }
                await requests.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                result.FramesSent += frames;
                live.AddFrames(frames);
            }
            held.Clear();
        }
    }

    private async Task ReadAsync(IAsyncStreamReader<StreamResponse> responses, SessionResult result, long[] sentAt, int[] got, bool[] rejected,
        float[]?[] estimates, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            StreamResponse response = responses.Current;
            long now = Stopwatch.GetTimestamp();
            switch (response.KindCase)
            {
                case StreamResponse.KindOneofCase.Estimates:
                    foreach (Estimate estimate in response.Estimates.Estimates)
                    {
                        result.EstimatesReceived++;
                        ulong seq = estimate.Seq;
                        if (seq >= (ulong)got.Length)
                        {
                            result.Unexpected++;
                            continue;
                        }
                        int f = (int)seq;
                        got[f]++;
                        if (got[f] == 1)
                        {
                            estimates[f] = [.. estimate.ValuesPerKg];
                        }
                        long sent = Volatile.Read(ref sentAt[f]);
                        if (sent != 0)
                        {
                            double ms = Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds;
                            result.LatenciesMs.Add(ms);
                            live.AddLatency(ms);
                        }
                    }
                    break;
                case StreamResponse.KindOneofCase.Warning:
                    Warning warning = response.Warning;
                    string code = warning.Code.ToString();
                    result.Warnings[code] = result.Warnings.GetValueOrDefault(code) + 1;
                    if (RejectCodes.Contains(warning.Code) && warning.Seq < (ulong)rejected.Length)
                    {
                        rejected[(int)warning.Seq] = true;
                        result.Rejected++;
                    }
                    break;
                default:
                    break;
            }
        }
    }
}
