using System.Collections.Concurrent;
using GaitStream.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace GaitStream.Dashboard.Tests;

/// <summary>Follows one session over gRPC <c>Watch</c> and keeps every estimate by sequence number: the reference
/// the dashboard's values are compared with.</summary>
internal sealed class WatchRecorder : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    public WatchRecorder(Uri grpcAddress, string sessionId)
    {
        _channel = GrpcChannel.ForAddress(grpcAddress);
        var client = new Protocol.V1.GaitStream.GaitStreamClient(_channel);
        AsyncServerStreamingCall<WatchEvent> call = client.Watch(new WatchRequest { SessionId = sessionId }, cancellationToken: _stop.Token);
        _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (WatchEvent e in call.ResponseStream.ReadAllAsync(_stop.Token))
                {
                    if (e.KindCase == WatchEvent.KindOneofCase.SessionStarted)
                    {
                        Outputs = [.. e.SessionStarted.Outputs.Select(o => o.Name)];
                    }
                    else if (e.KindCase == WatchEvent.KindOneofCase.Estimates)
                    {
                        foreach (Estimate x in e.Estimates.Estimates)
                        {
                            Estimates[(long)x.Seq] = x;
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is RpcException r && r.StatusCode == StatusCode.Cancelled))
            {
            }
            finally
            {
                call.Dispose();
            }
        });
    }

    public IReadOnlyList<string> Outputs { get; private set; } = [];

    public ConcurrentDictionary<long, Estimate> Estimates { get; } = new();

    public async Task<Estimate> WaitForAsync(long seq, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Estimates.TryGetValue(seq, out Estimate? e))
            {
                return e;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"gRPC Watch never delivered seq {seq} (has {Estimates.Count} estimates).");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
        _channel.Dispose();
    }
}
