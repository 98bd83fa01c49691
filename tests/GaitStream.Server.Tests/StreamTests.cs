using GaitStream.Protocol.V1;
using Grpc.Core;

namespace GaitStream.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class StreamTests(ServerModelFixture model)
{
    private List<Frame> TrialFrames(int count, double rateHz = 100, ulong firstSeq = 0) =>
        [.. Enumerable.Range(0, count).Select(i => TestServer.Frame(firstSeq + (ulong)i, i / rateHz, model.Frames[i]))];

    [Fact]
    public async Task A_real_trial_streamed_gets_an_estimate_per_frame_equal_to_the_offline_model()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        int n = 300;
        SessionResult result = await server.RunAsync(server.Open(model, "real-trial"), TrialFrames(n), perMessage: 7);

        Assert.Equal(StatusCode.OK, result.Status.StatusCode);
        Assert.NotNull(result.Accepted);
        Assert.Equal(ServerModelFixture.ModelName, result.Accepted.Model.Id);
        Assert.Equal((uint)model.WindowFrames, result.Accepted.WindowFrames);
        // At full speed the client outruns the model, so LAG warnings may come; nothing else may.
        Assert.All(result.Warnings, w => Assert.Equal(WarningCode.Lag, w.Code));
        // One estimate for every frame with a whole window behind it, in order, keyed by the frame's seq.
        Assert.Equal(n - model.WindowFrames + 1, result.Estimates.Count);
        double worst = 0;
        for (int i = 0; i < result.Estimates.Count; i++)
        {
            Estimate e = result.Estimates[i];
            int frame = model.WindowFrames - 1 + i;
            Assert.Equal((ulong)frame, e.Seq);
            Assert.Equal(frame / 100.0, e.TimeS, 12);
            float[] offline = model.OfflineEstimate(model.Frames, frame);
            Assert.Equal(offline.Length, e.ValuesPerKg.Count);
            for (int k = 0; k < offline.Length; k++)
            {
                worst = Math.Max(worst, Math.Abs(offline[k] - e.ValuesPerKg[k]));
                Assert.Equal(e.ValuesPerKg[k] * model.BodyMassKg, e.Values[k], 1e-3 * Math.Max(1, Math.Abs(e.Values[k])));
            }
            Assert.True(e.ServerLatencyMs >= 0);
        }
        Assert.True(worst <= 1e-4, $"largest |service − offline| = {worst:E2} N·m/kg");
    }

    [Fact]
    public async Task Hop_frames_space_the_estimates()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        SessionOpen open = server.Open(model, "hop");
        open.HopFrames = 5;
        SessionResult result = await server.RunAsync(open, TrialFrames(200));
        Assert.Equal(StatusCode.OK, result.Status.StatusCode);
        Assert.Equal(5u, result.Accepted!.HopFrames);
        Assert.Equal(99UL, result.Estimates[0].Seq);
        Assert.All(result.Estimates.Zip(result.Estimates.Skip(1)), p => Assert.Equal(5UL, p.Second.Seq - p.First.Seq));
    }

    [Fact]
    public async Task A_device_at_another_rate_is_resampled_online_to_the_model_rate()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        // The 100 Hz trial decimated to 50 frames at 60 Hz would alias; instead sample it at 60 Hz by linear interpolation.
        double deviceHz = 60;
        int n = 150;
        var device = new float[n][];
        for (int i = 0; i < n; i++)
        {
            double at = i / deviceHz * 100; // position in 100 Hz frames
            int j = (int)Math.Floor(at);
            double w = at - j;
            device[i] = [.. model.Frames[j].Zip(model.Frames[j + 1], (a, b) => (float)(a + (w * (b - a))))];
        }
        List<Frame> frames = [.. Enumerable.Range(0, n).Select(i => TestServer.Frame((ulong)i, i / deviceHz, device[i]))];
        SessionResult result = await server.RunAsync(server.Open(model, "sixty-hz", deviceHz), frames);

        Assert.Equal(StatusCode.OK, result.Status.StatusCode);
        Warning resampling = Assert.Single(result.Warnings, w => w.Code != WarningCode.Lag);
        Assert.Equal(WarningCode.Resampling, resampling.Code);
        Assert.Contains("60 Hz", resampling.Message, StringComparison.Ordinal);
        // The window spans 0.99 s, so the first estimate is at the first 60 Hz frame at or after 0.99 s (frame 60 at 1.0 s).
        Assert.Equal(60UL, result.Estimates[0].Seq);
        Assert.Equal(n - 60, result.Estimates.Count);
        // Independently: the window at model instants ending on each device frame, linearly interpolated from the device frames.
        double worst = 0;
        foreach (Estimate e in result.Estimates)
        {
            float[][] window = new float[model.WindowFrames][];
            for (int k = 0; k < model.WindowFrames; k++)
            {
                double t = e.TimeS - ((model.WindowFrames - 1 - k) / 100.0);
                double at = Math.Max(0, t * deviceHz);
                int j = Math.Min((int)Math.Floor(at + 1e-9), n - 2);
                double w = Math.Clamp(at - j, 0, 1);
                window[k] = [.. device[j].Zip(device[j + 1], (a, b) => (float)(a + (w * (b - a))))];
            }
            float[] offline = model.OfflineEstimate(window, model.WindowFrames - 1);
            for (int k = 0; k < offline.Length; k++)
            {
                worst = Math.Max(worst, Math.Abs(offline[k] - e.ValuesPerKg[k]));
            }
        }
        Assert.True(worst <= 1e-4, $"largest |service − offline| = {worst:E2}");
    }

    [Fact]
    public async Task Bad_frames_are_answered_with_warnings_and_the_session_goes_on()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        List<Frame> frames = TrialFrames(150);
        float[] good = model.Frames[120];
        // Replace frames 110–114 with one bad frame of each kind, and skip seq 130–131 (a gap).
        frames[110] = TestServer.Frame(110, 1.10, good.Take(9));                                            // 9 angles
        frames[111] = TestServer.Frame(111, 1.11, good.Select((v, i) => i == 3 ? float.NaN : v));           // NaN knee
        frames[112] = TestServer.Frame(112, 1.12, good.Select((v, i) => i == 0 ? 1.9f * 180 : v));          // 342° hip flexion
        frames[113] = TestServer.Frame(113, 1.05, good);                                                     // time goes back
        frames[114] = TestServer.Frame(109, 1.14, good);                                                     // seq goes back
        frames.RemoveRange(130, 2);
        SessionResult result = await server.RunAsync(server.Open(model, "bad-frames"), frames);

        Assert.Equal(StatusCode.OK, result.Status.StatusCode);
        Assert.Equal(
            [(WarningCode.ChannelCount, 110UL), (WarningCode.NonFinite, 111UL), (WarningCode.OutOfRange, 112UL),
             (WarningCode.TimestampNotIncreasing, 113UL), (WarningCode.SequenceNotIncreasing, 109UL),
             (WarningCode.Gap, 115UL), (WarningCode.Gap, 132UL)], // seq 114 was never sent (its frame carried 109)
            result.Warnings.Where(w => w.Code != WarningCode.Lag).Select(w => (w.Code, w.Seq)).ToList());
        Assert.Equal(2UL, result.Warnings.Last(w => w.Code == WarningCode.Gap).Count);
        Assert.Contains("hip_flexion_r", result.Warnings.Single(w => w.Code == WarningCode.OutOfRange).Message, StringComparison.Ordinal);
        // Every accepted frame from 99 on still has its estimate; the rejected ones have none.
        ulong[] expected = [.. Enumerable.Range(99, 51).Select(i => (ulong)i).Where(s => s is < 110 or > 114 and not 130 and not 131)];
        Assert.Equal(expected, result.Estimates.Select(e => e.Seq).ToArray());
    }

    [Fact]
    public async Task A_long_gap_restarts_the_window()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        List<Frame> frames = TrialFrames(250);
        for (int i = 150; i < frames.Count; i++)
        {
            frames[i].TimeS += 0.5; // half a second without frames before frame 150
        }
        SessionResult result = await server.RunAsync(server.Open(model, "long-gap"), frames);
        Assert.Equal(StatusCode.OK, result.Status.StatusCode);
        Warning reset = Assert.Single(result.Warnings, w => w.Code != WarningCode.Lag);
        Assert.Equal(WarningCode.WindowReset, reset.Code);
        Assert.Equal(150UL, reset.Seq);
        // Estimates 99–149, then none until a new window has filled (frames 150–248 → first at 249).
        Assert.Equal([.. Enumerable.Range(99, 51).Select(i => (ulong)i), 249UL], result.Estimates.Select(e => e.Seq).ToArray());
    }
}
