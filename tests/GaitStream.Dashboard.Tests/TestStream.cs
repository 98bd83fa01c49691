using GaitStream.Core.Schema;
using GaitStream.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace GaitStream.Dashboard.Tests;

/// <summary>
/// A device session the test controls: frames of a smooth synthetic gait-like pattern at 100 Hz, sent on demand, so
/// a test can stop sending (the session stays open: "stalled") or end the call ("ended").
/// </summary>
internal sealed class TestStream : IAsyncDisposable
{
    public const double RateHz = 100;

    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<StreamRequest, StreamResponse> _call;
    private readonly Task _drain;
    private ulong _seq;

    private TestStream(GrpcChannel channel, AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call)
    {
        _channel = channel;
        _call = call;
        _drain = Task.Run(async () =>
        {
            try
            {
                await foreach (StreamResponse r in _call.ResponseStream.ReadAllAsync())
                {
                    if (r.KindCase == StreamResponse.KindOneofCase.Estimates)
                    {
                        Interlocked.Add(ref _estimates, r.Estimates.Estimates.Count);
                    }
                }
            }
            catch (RpcException)
            {
            }
        });
    }

    private long _estimates;

    public long EstimatesReceived => Interlocked.Read(ref _estimates);

    public static async Task<TestStream> OpenAsync(Uri grpcAddress, string sessionId)
    {
        var channel = GrpcChannel.ForAddress(grpcAddress);
        var client = new Protocol.V1.GaitStream.GaitStreamClient(channel);
        AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = client.Stream();
        var open = new SessionOpen { SessionId = sessionId, BodyMassKg = 70, SampleRateHz = RateHz, SubjectId = "S-test", Label = "test device" };
        open.Channels.AddRange(ChannelSchema.InputAngles);
        await call.RequestStream.WriteAsync(new StreamRequest { Open = open });
        return new TestStream(channel, call);
    }

    /// <summary>Sends <paramref name="seconds"/> of frames in real time (10 frames every 0.1 s).</summary>
    public async Task SendAsync(double seconds)
    {
        int batches = (int)Math.Round(seconds * RateHz / 10);
        for (int b = 0; b < batches; b++)
        {
            var batch = new FrameBatch();
            for (int i = 0; i < 10; i++, _seq++)
            {
                double t = _seq / RateHz, phase = 2 * Math.PI * t / 1.1;
                var frame = new Frame { Seq = _seq, TimeS = t };
                frame.AnglesDeg.AddRange([
                    (float)(10 + 25 * Math.Sin(phase)), (float)(3 * Math.Sin(phase)), (float)(2 * Math.Cos(phase)),
                    (float)(-30 + 30 * Math.Sin(phase - 1)), (float)(5 * Math.Sin(phase + 1)),
                    (float)(10 + 25 * Math.Sin(phase + Math.PI)), (float)(3 * Math.Sin(phase + Math.PI)), (float)(2 * Math.Cos(phase + Math.PI)),
                    (float)(-30 + 30 * Math.Sin(phase + Math.PI - 1)), (float)(5 * Math.Sin(phase + Math.PI + 1)),
                ]);
                batch.Frames.Add(frame);
            }
            await _call.RequestStream.WriteAsync(new StreamRequest { Frames = batch });
            await Task.Delay(100);
        }
    }

    /// <summary>Half-closes the call: the session ends OK once its estimates are written.</summary>
    public async Task CompleteAsync()
    {
        await _call.RequestStream.CompleteAsync();
        await _drain;
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        try
        {
            await _drain;
        }
        catch (OperationCanceledException)
        {
        }
        _channel.Dispose();
    }
}
