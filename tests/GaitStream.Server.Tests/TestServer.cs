using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using GaitStream.Server.Sessions;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GaitStream.Server.Tests;

/// <summary>The real service on free loopback ports, with a gRPC client.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, ServerEndpoints endpoints, GrpcChannel channel)
    {
        App = app;
        Endpoints = endpoints;
        Channel = channel;
        Client = new Protocol.V1.GaitStream.GaitStreamClient(channel);
    }

    public WebApplication App { get; }

    public ServerEndpoints Endpoints { get; }

    public GrpcChannel Channel { get; }

    public Protocol.V1.GaitStream.GaitStreamClient Client { get; }

    public SessionHub Hub => App.Services.GetRequiredService<SessionHub>();

    public static async Task<TestServer> StartAsync(ServerModelFixture model, Action<GaitStreamServerOptions>? configure = null, Func<GrpcChannelOptions>? channelOptions = null)
    {
        (WebApplication app, ServerEndpoints endpoints) = await ServerApp.StartAsync(
            ["--Logging:LogLevel:Default=Warning"],
            o =>
            {
                o.ModelsDirectory = model.ModelsDir;
                o.GrpcPort = 0;
                o.HttpPort = 0;
                o.TcpPort = 0;
                o.Inference.IntraOpThreads = 1;
                configure?.Invoke(o);
            },
            b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        GrpcChannel channel = GrpcChannel.ForAddress(endpoints.GrpcAddress, channelOptions?.Invoke() ?? new GrpcChannelOptions());
        return new TestServer(app, endpoints, channel);
    }

    public SessionOpen Open(ServerModelFixture model, string id, double rateHz = 100) => Open(id, model.BodyMassKg, rateHz, model.Channels);

    public static SessionOpen Open(string id, double massKg, double rateHz, IEnumerable<string> channels)
    {
        var open = new SessionOpen { SessionId = id, BodyMassKg = massKg, SampleRateHz = rateHz, SubjectId = "s01" };
        open.Channels.AddRange(channels);
        return open;
    }

    public static Frame Frame(ulong seq, double timeS, IEnumerable<float> angles)
    {
        var frame = new Frame { Seq = seq, TimeS = timeS };
        frame.AnglesDeg.AddRange(angles);
        return frame;
    }

    /// <summary>
    /// Streams <paramref name="frames"/> (already built) in messages of <paramref name="perMessage"/>, half-closes and
    /// collects every response until the call ends. Returns the responses and the final status.
    /// </summary>
    public async Task<SessionResult> RunAsync(SessionOpen open, IReadOnlyList<Frame> frames, int perMessage = 10, Metadata? headers = null, CancellationToken cancellationToken = default)
    {
        using AsyncDuplexStreamingCall<StreamRequest, StreamResponse> call = Client.Stream(headers, cancellationToken: cancellationToken);
        var result = new SessionResult();
        Task reader = Task.Run(async () =>
        {
            try
            {
                await foreach (StreamResponse r in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    result.Add(r);
                }
                result.Status = call.GetStatus();
            }
            catch (RpcException e)
            {
                result.Status = e.Status;
            }
        }, cancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(new StreamRequest { Open = open }, cancellationToken);
            for (int i = 0; i < frames.Count; i += perMessage)
            {
                var batch = new FrameBatch();
                batch.Frames.AddRange(frames.Skip(i).Take(perMessage));
                await call.RequestStream.WriteAsync(new StreamRequest { Frames = batch }, cancellationToken);
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // the server ended the call early; the reader has its status
        }
        catch (InvalidOperationException)
        {
            // writing after the call completed
        }
        await reader;
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Everything a session got back.</summary>
public sealed class SessionResult
{
    public SessionAccepted? Accepted { get; private set; }

    public List<Estimate> Estimates { get; } = [];

    public List<Warning> Warnings { get; } = [];

    public Status Status { get; set; }

    public void Add(StreamResponse r)
    {
        switch (r.KindCase)
        {
            case StreamResponse.KindOneofCase.Accepted:
                Accepted = r.Accepted;
                break;
            case StreamResponse.KindOneofCase.Estimates:
                Estimates.AddRange(r.Estimates.Estimates);
                break;
            case StreamResponse.KindOneofCase.Warning:
                Warnings.Add(r.Warning);
                break;
            default:
                break;
        }
    }
}
