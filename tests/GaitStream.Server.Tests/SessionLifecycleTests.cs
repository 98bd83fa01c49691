using GaitStream.Protocol.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace GaitStream.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SessionLifecycleTests(ServerModelFixture model)
{
    private List<Frame> TrialFrames(int count, ulong firstSeq = 0) =>
        [.. Enumerable.Range(0, count).Select(i => TestServer.Frame(firstSeq + (ulong)i, i / 100.0, model.Frames[i]))];

    /// <summary>After a refusal the server still serves: a good session gets all its estimates.</summary>
    private async Task AssertStillServesAsync(TestServer server)
    {
        SessionResult ok = await server.RunAsync(server.Open(model, $"after-{Guid.NewGuid():N}"), TrialFrames(120));
        Assert.Equal(StatusCode.OK, ok.Status.StatusCode);
        Assert.Equal(21, ok.Estimates.Count);
    }

    public static TheoryData<string, StatusCode, string> BadOpens => new()
    {
        { "frames-first", StatusCode.InvalidArgument, "first message" },
        { "mass", StatusCode.InvalidArgument, "body_mass_kg must be 1–500 kg; got 0" },
        { "rate", StatusCode.InvalidArgument, "sample_rate_hz must be 60–240 Hz; got 1000" },
        { "model", StatusCode.NotFound, "Model 'nope' is not served here" },
        { "channels", StatusCode.InvalidArgument, "lacks knee_angle_l" },
        { "duplicate-channel", StatusCode.InvalidArgument, "appears twice" },
        { "id", StatusCode.InvalidArgument, "session_id must be" },
        { "hop", StatusCode.InvalidArgument, "hop_frames" },
    };

    [Theory]
    [MemberData(nameof(BadOpens))]
    public async Task A_bad_open_message_ends_the_call_with_a_precise_status_and_the_server_still_serves(string what, StatusCode code, string message)
    {
        await using TestServer server = await TestServer.StartAsync(model);
        SessionOpen open = server.Open(model, "bad-open");
        switch (what)
        {
            case "mass": open.BodyMassKg = 0; break;
            case "rate": open.SampleRateHz = 1000; break;
            case "model": open.ModelId = "nope"; break;
            case "channels": open.Channels.Remove("knee_angle_l"); break;
            case "duplicate-channel": open.Channels.Add("hip_flexion_r"); break;
            case "id": open.SessionId = "has space"; break;
            case "hop": open.HopFrames = 5000; break;
            default: break;
        }
        SessionResult result;
        if (what == "frames-first")
        {
            using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = server.Client.Stream();
            var batch = new FrameBatch();
            batch.Frames.Add(TrialFrames(1)[0]);
            await call.RequestStream.WriteAsync(new StreamRequest { Frames = batch });
            RpcException e = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
            result = new SessionResult { Status = e.Status };
        }
        else
        {
            result = await server.RunAsync(open, TrialFrames(10));
        }
        Assert.Equal(code, result.Status.StatusCode);
        Assert.Contains(message, result.Status.Detail, StringComparison.Ordinal);
        Assert.Null(result.Accepted);
        await AssertStillServesAsync(server);
    }

    [Fact]
    public async Task A_live_session_id_cannot_be_opened_twice()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> first = server.Client.Stream();
        await first.RequestStream.WriteAsync(new StreamRequest { Open = server.Open(model, "twice") });
        Assert.True(await first.ResponseStream.MoveNext());
        SessionResult second = await server.RunAsync(server.Open(model, "twice"), TrialFrames(5));
        Assert.Equal(StatusCode.AlreadyExists, second.Status.StatusCode);
        await first.RequestStream.CompleteAsync();
        while (await first.ResponseStream.MoveNext())
        {
        }
        Assert.Equal(StatusCode.OK, first.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Limits_on_sessions_frames_per_message_and_message_size_answer_resource_exhausted()
    {
        await using TestServer server = await TestServer.StartAsync(model, o =>
        {
            o.Limits.MaxSessions = 2;
            o.Limits.MaxFramesPerBatch = 20;
            o.Limits.MaxMessageBytes = 8 * 1024;
        });
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> a = server.Client.Stream();
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> b = server.Client.Stream();
        await a.RequestStream.WriteAsync(new StreamRequest { Open = server.Open(model, "a") });
        await b.RequestStream.WriteAsync(new StreamRequest { Open = server.Open(model, "b") });
        Assert.True(await a.ResponseStream.MoveNext());
        Assert.True(await b.ResponseStream.MoveNext());
        SessionResult third = await server.RunAsync(server.Open(model, "c"), TrialFrames(5));
        Assert.Equal(StatusCode.ResourceExhausted, third.Status.StatusCode);
        Assert.Contains("limit of 2 sessions", third.Status.Detail, StringComparison.Ordinal);
        await a.RequestStream.CompleteAsync();
        await b.RequestStream.CompleteAsync();
        while (await a.ResponseStream.MoveNext() || await b.ResponseStream.MoveNext())
        {
        }

        SessionResult big = await server.RunAsync(server.Open(model, "big-batch"), TrialFrames(25), perMessage: 25);
        Assert.Equal(StatusCode.ResourceExhausted, big.Status.StatusCode);
        Assert.Contains("at most 20 per message", big.Status.Detail, StringComparison.Ordinal);

        var open = server.Open(model, "huge-message");
        open.Label = new string('x', 10_000);
        SessionResult huge = await server.RunAsync(open, TrialFrames(5));
        Assert.Equal(StatusCode.ResourceExhausted, huge.Status.StatusCode);

        await AssertStillServesAsync(server);
    }

    [Fact]
    public async Task An_idle_session_is_closed_with_deadline_exceeded()
    {
        await using TestServer server = await TestServer.StartAsync(model, o => o.Limits.IdleTimeoutS = 0.5);
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = server.Client.Stream();
        await call.RequestStream.WriteAsync(new StreamRequest { Open = server.Open(model, "idle") });
        Assert.True(await call.ResponseStream.MoveNext());
        RpcException e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        });
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Contains("sent nothing for 0.5 s", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(server.Hub.Sessions);
        await AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Many_concurrent_sessions_each_get_exactly_their_own_estimates()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        const int sessions = 24;
        // Each session streams a different stretch of the trial, so a mix-up between sessions would show.
        Task<SessionResult>[] runs = [.. Enumerable.Range(0, sessions).Select(s => Task.Run(() =>
        {
            List<Frame> frames = [.. Enumerable.Range(0, 200).Select(i => TestServer.Frame((ulong)i, i / 100.0, model.Frames[(s * 10) + i]))];
            return server.RunAsync(server.Open(model, $"many-{s}"), frames, perMessage: 1 + (s % 5));
        }))];
        SessionResult[] results = await Task.WhenAll(runs);
        for (int s = 0; s < sessions; s++)
        {
            SessionResult r = results[s];
            Assert.Equal(StatusCode.OK, r.Status.StatusCode);
            Assert.Equal(101, r.Estimates.Count);
            foreach (int i in new[] { 0, 50, 100 })
            {
                Estimate e = r.Estimates[i];
                float[] offline = model.OfflineEstimate(model.Frames, (s * 10) + (int)e.Seq);
                Assert.Equal(offline[0], e.ValuesPerKg[0], 1e-4);
            }
        }
        Assert.Empty(server.Hub.Sessions);
    }

    [Fact]
    public async Task A_cancelled_call_is_cleaned_up_and_observers_hear_it_ended()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        using var cts = new CancellationTokenSource();
        AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = server.Client.Stream(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new StreamRequest { Open = server.Open(model, "cancel-me") });
        Assert.True(await call.ResponseStream.MoveNext()); // accepted
        // Watch the live session; its first event (the session as it is) proves the observer is subscribed.
        using var watch = server.Client.Watch(new WatchRequest { SessionId = "cancel-me" });
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(WatchEvent.KindOneofCase.SessionStarted, watch.ResponseStream.Current.KindCase);
        var batch = new FrameBatch();
        batch.Frames.AddRange(TrialFrames(150));
        await call.RequestStream.WriteAsync(new StreamRequest { Frames = batch });
        await cts.CancelAsync();
        call.Dispose();

        SessionEnded? ended = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (ended is null && await watch.ResponseStream.MoveNext(timeout.Token))
        {
            if (watch.ResponseStream.Current.KindCase == WatchEvent.KindOneofCase.SessionEnded)
            {
                ended = watch.ResponseStream.Current.SessionEnded;
            }
        }
        Assert.NotNull(ended);
        Assert.Equal("cancel-me", ended.SessionId);
        Assert.Equal("CANCELLED", ended.Status);
        Assert.Empty(server.Hub.Sessions);
        await AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Watch_sees_the_same_estimates_as_the_device_and_list_calls_describe_sessions_and_models()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = server.Client.Stream();
        await call.RequestStream.WriteAsync(new StreamRequest { Open = server.Open(model, "watched") });
        Assert.True(await call.ResponseStream.MoveNext());

        ListSessionsResponse sessions = await server.Client.ListSessionsAsync(new ListSessionsRequest());
        SessionInfo info = Assert.Single(sessions.Sessions);
        Assert.Equal("watched", info.SessionId);
        Assert.Equal("grpc", info.Transport);
        Assert.Equal(100, info.SampleRateHz);
        Assert.Equal(model.Card.Outputs.Select(o => o.Name), info.Outputs.Select(o => o.Name));
        Assert.Equal("N·m", info.Outputs[0].Unit);

        using var watch = server.Client.Watch(new WatchRequest { SessionId = "watched" });
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(WatchEvent.KindOneofCase.SessionStarted, watch.ResponseStream.Current.KindCase);

        var batch = new FrameBatch();
        batch.Frames.AddRange(TrialFrames(130));
        await call.RequestStream.WriteAsync(new StreamRequest { Frames = batch });
        await call.RequestStream.CompleteAsync();
        var device = new List<Estimate>();
        while (await call.ResponseStream.MoveNext())
        {
            if (call.ResponseStream.Current.KindCase == StreamResponse.KindOneofCase.Estimates)
            {
                device.AddRange(call.ResponseStream.Current.Estimates.Estimates);
            }
        }
        var watched = new List<Estimate>();
        while (await watch.ResponseStream.MoveNext())
        {
            WatchEvent e = watch.ResponseStream.Current;
            if (e.KindCase == WatchEvent.KindOneofCase.Estimates)
            {
                watched.AddRange(e.Estimates.Estimates);
            }
            Assert.Equal(0UL, e.Dropped);
        }
        Assert.Equal(31, device.Count);
        Assert.Equal(device.Select(e => (e.Seq, e.Values[0])), watched.Select(e => (e.Seq, e.Values[0])));

        ListModelsResponse models = await server.Client.ListModelsAsync(new ListModelsRequest());
        Assert.Equal(ServerModelFixture.ModelName, models.DefaultModelId);
        ModelInfo m = Assert.Single(models.Models);
        Assert.Equal("lstm", m.Architecture, ignoreCase: true);
        Assert.Equal(10, m.Inputs.Count);
        Assert.Equal(model.Card.OnnxSha256, m.OnnxSha256);
        Assert.StartsWith("onnxruntime/CPUExecutionProvider", m.Backend, StringComparison.Ordinal);

        RpcException unknown = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var w = server.Client.Watch(new WatchRequest { SessionId = "nobody" });
            await w.ResponseStream.MoveNext();
        });
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Health_is_served_over_grpc_and_http_and_metrics_count_what_happened()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        var health = new Health.HealthClient(server.Channel);
        HealthCheckResponse status = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, status.Status);

        List<Frame> frames = TrialFrames(120);
        frames[110] = TestServer.Frame(110, 1.10, model.Frames[110].Select(_ => float.PositiveInfinity));
        await server.RunAsync(server.Open(model, "metered"), frames);

        using var http = new HttpClient { BaseAddress = server.Endpoints.HttpAddress };
        Assert.Equal("Healthy", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        string metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("gaitstream_frames_received_total{transport=\"grpc\"} 120", metrics, StringComparison.Ordinal);
        Assert.Contains("gaitstream_frames_rejected_total{reason=\"NonFinite\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("gaitstream_estimates_sent_total{transport=\"grpc\"} 20", metrics, StringComparison.Ordinal);
        Assert.Contains("gaitstream_sessions_total{transport=\"grpc\",status=\"OK\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("gaitstream_batch_size_count{model=\"lstm-running\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("gaitstream_end_to_end_seconds_count{transport=\"grpc\"} 20", metrics, StringComparison.Ordinal);
        Assert.Contains("gaitstream_inference_seconds_bucket", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_stops_reading_slows_itself_by_flow_control_and_loses_nothing()
    {
        await using TestServer server = await TestServer.StartAsync(model, o => o.Limits.MaxInFlightPerSession = 16);
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = server.Client.Stream();
        SessionOpen open = server.Open(model, "slow-reader");
        open.HopFrames = 10;
        await call.RequestStream.WriteAsync(new StreamRequest { Open = open });
        // 30 000 frames (about 1.7 MB, more than HTTP/2's windows and Kestrel's buffers hold), written without reading a
        // single response: once the estimates back up, the session stops reading and the writes must block.
        const int total = 30_000;
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < total; i += 100)
            {
                var batch = new FrameBatch();
                batch.Frames.AddRange(Enumerable.Range(i, 100).Select(k => TestServer.Frame((ulong)k, k / 100.0, model.Frames[k % 600])));
                await call.RequestStream.WriteAsync(new StreamRequest { Frames = batch });
            }
            await call.RequestStream.CompleteAsync();
        });
        await Task.WhenAny(writer, Task.Delay(2000));
        Assert.False(writer.IsCompleted, "the client finished writing although nobody read the estimates: no back-pressure");
        Assert.True(server.Hub.TryGet("slow-reader", out var session));
        Assert.InRange(session!.InFlight, 0, 16);
        var seqs = new List<ulong>();
        while (await call.ResponseStream.MoveNext())
        {
            if (call.ResponseStream.Current.KindCase == StreamResponse.KindOneofCase.Estimates)
            {
                seqs.AddRange(call.ResponseStream.Current.Estimates.Estimates.Select(e => e.Seq));
            }
            Assert.InRange(session.InFlight, 0, 16);
        }
        await writer;
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(Enumerable.Range(0, (total - 99 + 9) / 10).Select(i => (ulong)(99 + (10 * i))), seqs);
    }
}
