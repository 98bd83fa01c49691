using System.Diagnostics;
using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using GaitStream.Server.Models;
using GaitStream.Server.Sessions;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace GaitStream.Server.Grpc;

/// <summary>
/// The gRPC face of the service (thin: sessions, models and observers live in <see cref="SessionHub"/> and
/// <see cref="ModelCatalog"/>). Every refusal is an <see cref="RpcException"/> with its status and a sentence.
/// </summary>
public sealed class GaitStreamService(SessionHub hub, ModelCatalog models, IOptions<GaitStreamServerOptions> options)
    : Protocol.V1.GaitStream.GaitStreamBase
{
    private readonly SessionLimits _limits = options.Value.Limits;

    public override async Task Stream(IAsyncStreamReader<StreamRequest> requestStream, IServerStreamWriter<StreamResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        CancellationToken cancel = context.CancellationToken;
        StreamRequest? first = await ReadAsync(requestStream, null, cancel).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "The stream ended before its 'open' message (session id, body mass, sample rate, channels, model)."));
        if (first.KindCase != StreamRequest.KindOneofCase.Open)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"The first message of a Stream call must be 'open' (session id, body mass, sample rate, channels, model); got '{first.KindCase}'."));
        }
        StreamSession session;
        try
        {
            session = hub.Open(first.Open, "grpc");
        }
        catch (SessionRejectedException e)
        {
            throw e.ToRpcException();
        }
        StatusCode outcome = StatusCode.Cancelled;
        string detail = "The client cancelled or disconnected.";
        using var pumpCancel = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task pump = Task.CompletedTask;
        try
        {
            await responseStream.WriteAsync(new StreamResponse { Accepted = session.Accepted }, cancel).ConfigureAwait(false);
            pump = session.PumpAsync((r, ct) => responseStream.WriteAsync(r, ct), pumpCancel.Token);
            while (await ReadAsync(requestStream, session, cancel).ConfigureAwait(false) is { } request)
            {
                if (request.KindCase != StreamRequest.KindOneofCase.Frames)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument,
                        $"Session '{session.Id}' is already open: after the first message only 'frames' may follow (got '{request.KindCase}')."));
                }
                await IngestAsync(session, request.Frames, cancel).ConfigureAwait(false);
                if (pump.IsFaulted)
                {
                    break; // writing failed: the call is gone; the pump's exception says why
                }
            }
            session.Complete();
            await pump.ConfigureAwait(false);
            outcome = StatusCode.OK;
            detail = "The client closed the stream; every estimate was written.";
        }
        catch (RpcException e)
        {
            outcome = e.StatusCode;
            detail = e.Status.Detail;
            throw;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // the client went away: nothing to answer
        }
        catch (IOException) when (cancel.IsCancellationRequested)
        {
        }
        finally
        {
            session.Abort();
            await pumpCancel.CancelAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
            }
            hub.Close(session, outcome, detail);
        }
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        string? id = string.IsNullOrEmpty(request.SessionId) ? null : request.SessionId;
        if (id is not null && !hub.TryGet(id, out _))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No live session '{id}'; ListSessions lists the live ones (or watch with an empty session_id for every session)."));
        }
        using WatchSubscription subscription = hub.Subscribe(id);
        foreach (StreamSession s in hub.Sessions.Where(s => id is null || s.Id == id))
        {
            await responseStream.WriteAsync(new WatchEvent { SessionStarted = s.ToInfo() }, context.CancellationToken).ConfigureAwait(false);
        }
        try
        {
            await foreach (WatchEvent e in subscription.Events.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                WatchEvent outgoing = e.Clone();
                outgoing.Dropped = (ulong)subscription.Dropped;
                await responseStream.WriteAsync(outgoing, context.CancellationToken).ConfigureAwait(false);
                if (id is not null && e.KindCase == WatchEvent.KindOneofCase.SessionEnded)
                {
                    return; // the watched session is over
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
    }

    public override Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var response = new ListSessionsResponse();
        response.Sessions.AddRange(hub.Sessions.OrderBy(s => s.StartedUnixS).Select(s => s.ToInfo()));
        return Task.FromResult(response);
    }

    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context)
    {
        var response = new ListModelsResponse { DefaultModelId = models.DefaultModelId };
        foreach (Inference.Cards.ModelCard card in models.Cards)
        {
            // Loaded models report their backend; the others are described from their card.
            ModelInfo info = models.Loaded.FirstOrDefault(m => m.Id == card.Name)?.Info ?? ModelRuntime.Describe(card, backend: "not loaded");
            response.Models.Add(info);
        }
        return Task.FromResult(response);
    }

    private async Task IngestAsync(StreamSession session, FrameBatch batch, CancellationToken cancel)
    {
        int n = batch.Frames.Count;
        if (n > _limits.MaxFramesPerBatch)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"A frames message holds {n} frames; this server takes at most {_limits.MaxFramesPerBatch} per message (SessionAccepted.max_frames_per_batch). Split it."));
        }
        await session.ThrottleAsync(n, cancel).ConfigureAwait(false);
        long received = Stopwatch.GetTimestamp();
        float[] scratch = session.InputScratch;
        foreach (Frame frame in batch.Frames)
        {
            int count = frame.AnglesDeg.Count;
            if (count == scratch.Length)
            {
                frame.AnglesDeg.CopyTo(scratch, 0);
                session.Accept(frame.Seq, frame.TimeS, scratch, received);
            }
            else
            {
                session.Accept(frame.Seq, frame.TimeS, new float[count], received); // rejected for its count, whatever it holds
            }
            await session.FlushAsync(cancel).ConfigureAwait(false);
        }
    }

    /// <summary>The next request, or null when the client half-closed; DEADLINE_EXCEEDED after the idle timeout.</summary>
    private async Task<StreamRequest?> ReadAsync(IAsyncStreamReader<StreamRequest> requests, StreamSession? session, CancellationToken cancel)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        idle.CancelAfter(TimeSpan.FromSeconds(_limits.IdleTimeoutS));
        try
        {
            return await requests.MoveNext(idle.Token).ConfigureAwait(false) ? requests.Current : null;
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            string who = session is null ? "The call" : $"Session '{session.Id}'";
            throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                $"{who} sent nothing for {_limits.IdleTimeoutS:0.#} s ({GaitStreamServerOptions.Section}:Limits:IdleTimeoutS) and was closed; keep frames coming or close the stream."));
        }
    }
}
