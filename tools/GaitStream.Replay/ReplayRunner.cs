using System.Diagnostics;
using System.Text;
using Grpc.Core;
using Spectre.Console;

namespace GaitStream.Replay;

/// <summary>
/// Runs the sessions: max(concurrency, trials) sessions, trial i % trials for session i, at most
/// <see cref="ReplaySettings.Concurrency"/> open at once, with a live display of throughput and p99 latency.
/// </summary>
internal static class ReplayRunner
{
    public const string Cancelled = "Cancelled: another session failed first.";

    public static async Task<ReplayRun> RunAsync(IAnsiConsole console, Protocol.V1.GaitStream.GaitStreamClient client, IReadOnlyList<ReplayTrial> trials,
        ReplaySettings settings, Metadata? headers, CancellationToken cancellationToken)
    {
        int sessions = Math.Max(settings.Concurrency, trials.Count);
        string runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        long totalFrames = Enumerable.Range(0, sessions).Sum(i => (long)trials[i % trials.Count].FrameCount);
        var live = new LiveCounters();
        var runner = new SessionRunner(client, settings, headers, live);
        using var gate = new SemaphoreSlim(settings.Concurrency);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long started = Stopwatch.GetTimestamp();

        async Task<SessionResult> One(int i)
        {
            ReplayTrial trial = trials[i % trials.Count];
            string id = SessionId(runId, i, trial);
            try
            {
                await gate.WaitAsync(abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new SessionResult(id, trial, i) { Failure = Cancelled };
            }
            try
            {
                SessionResult result;
                try
                {
                    result = await runner.RunAsync(trial, id, i, Stopwatch.GetTimestamp(), abort.Token).ConfigureAwait(false);
                }
                catch (Exception) when (abort.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    result = new SessionResult(id, trial, i) { Failure = Cancelled };
                }
                catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException)
                {
                    result = new SessionResult(id, trial, i) { Failure = $"transport: {e.Message}" };
                }
                if (result.Failure is not null && !abort.IsCancellationRequested)
                {
                    await abort.CancelAsync().ConfigureAwait(false); // one failed session fails the run: stop the others
                }
                return result;
            }
            finally
            {
                gate.Release();
            }
        }

        Task<SessionResult[]> all = Task.WhenAll(Enumerable.Range(0, sessions).Select(i => Task.Run(() => One(i), CancellationToken.None)));
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                ProgressTask task = ctx.AddTask($"replay: {sessions} session(s)", maxValue: Math.Max(1, totalFrames));
                long lastFrames = 0;
                long lastTick = Stopwatch.GetTimestamp();
                double fps = 0;
                while (!all.IsCompleted)
                {
                    await Task.WhenAny(all, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
                    long frames = live.Frames;
                    double dt = Stopwatch.GetElapsedTime(lastTick).TotalSeconds;
                    if (dt >= 0.5)
                    {
                        fps = (frames - lastFrames) / dt;
                        lastFrames = frames;
                        lastTick = Stopwatch.GetTimestamp();
                    }
                    task.Value = frames;
                    double p99 = live.PercentileMs(99);
                    task.Description = FormattableString.Invariant($"replay: {frames}/{totalFrames} frames, {fps:0} frames/s, p99 {(double.IsNaN(p99) ? "–" : p99.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))} ms");
                }
                task.Value = live.Frames;
            }).ConfigureAwait(false);

        SessionResult[] results = await all.ConfigureAwait(false);
        return new ReplayRun(runId, results, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Unique among live sessions, within the protocol's 128 characters of [A-Za-z0-9._:-].</summary>
    internal static string SessionId(string runId, int index, ReplayTrial trial)
    {
        var text = new StringBuilder($"replay-{runId}-{index:D4}-");
        foreach (char c in trial.Key)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' ? c : '.');
        }
        return text.Length <= 128 ? text.ToString() : text.ToString(0, 128);
    }
}
