using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using GaitStream.Server.Observability;
using GaitStream.Server.Security;
using GaitStream.Server.Sessions;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace GaitStream.Server.Tcp;

/// <summary>
/// The TCP bridge: one connection is one session in <see cref="LineProtocol"/>, read and written with
/// System.IO.Pipelines, and served by the same <see cref="StreamSession"/> as gRPC (same validation, same estimates).
/// </summary>
/// <remarks>
/// Back-pressure works as on gRPC: while the session has no free slot the handler stops reading the pipe, the socket's
/// receive window fills and TCP slows the device.
/// </remarks>
public sealed partial class TcpBridgeHandler(
    SessionHub hub, ApiKeyValidator keys, ServerMetrics metrics, IOptions<GaitStreamServerOptions> options, ILogger<TcpBridgeHandler> logger)
    : ConnectionHandler
{
    private readonly SessionLimits _limits = options.Value.Limits;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        PipeReader input = connection.Transport.Input;
        PipeWriter output = connection.Transport.Output;
        CancellationToken closed = connection.ConnectionClosed;
        using var writeGate = new SemaphoreSlim(1, 1);
        StreamSession? session = null;
        StatusCode outcome = StatusCode.Cancelled;
        string detail = "The device disconnected.";
        using var pumpCancel = CancellationTokenSource.CreateLinkedTokenSource(closed);
        Task pump = Task.CompletedTask;
        try
        {
            string? openLine = await ReadOpenLineAsync(input, closed).ConfigureAwait(false);
            if (openLine is null)
            {
                return;
            }
            SessionOpen open;
            string? apiKey;
            try
            {
                (open, apiKey) = LineProtocol.ParseOpen(openLine);
            }
            catch (FormatException e)
            {
                await WriteAsync(output, writeGate, LineProtocol.FormatError(StatusCode.InvalidArgument, e.Message), closed).ConfigureAwait(false);
                return;
            }
            if (keys.Required && keys.Authenticate(apiKey) is null)
            {
                metrics.Unauthenticated.WithLabels("tcp").Inc();
                await WriteAsync(output, writeGate, LineProtocol.FormatError(StatusCode.Unauthenticated,
                    apiKey is null ? "This server requires an API key: add api_key=KEY to the OPEN line." : "api_key does not match any configured device key."), closed).ConfigureAwait(false);
                return;
            }
            try
            {
                session = hub.Open(open, "tcp");
            }
            catch (SessionRejectedException e)
            {
                await WriteAsync(output, writeGate, LineProtocol.FormatError(e.Code, e.Message), closed).ConfigureAwait(false);
                return;
            }
            await WriteAsync(output, writeGate, LineProtocol.FormatAccepted(session.Accepted), closed).ConfigureAwait(false);
            var text = new StringBuilder();
            pump = session.PumpAsync(async (response, ct) =>
            {
                text.Clear();
                LineProtocol.Format(response, text);
                await WriteAsync(output, writeGate, text.ToString(), ct).ConfigureAwait(false);
            }, pumpCancel.Token);
            bool ended = await ReadFramesAsync(input, session, closed).ConfigureAwait(false);
            session.Complete();
            await pump.ConfigureAwait(false);
            if (ended)
            {
                await WriteAsync(output, writeGate, $"BYE OK {session.FramesReceived} {session.EstimatesSent}\n", closed).ConfigureAwait(false);
            }
            outcome = StatusCode.OK;
            detail = ended ? "The device sent END; every estimate was written." : "The device closed its side; every estimate was written.";
        }
        catch (SessionRejectedException e)
        {
            outcome = e.Code;
            detail = e.Message;
            await TryWriteAsync(output, writeGate, LineProtocol.FormatError(e.Code, e.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            // the device went away
        }
        finally
        {
            if (session is not null)
            {
                session.Abort();
                await pumpCancel.CancelAsync().ConfigureAwait(false);
                try
                {
                    await pump.ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ConnectionResetException)
                {
                }
                hub.Close(session, outcome, detail);
            }
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads frame lines until END (true) or the device closes its side (false).</summary>
    private async Task<bool> ReadFramesAsync(PipeReader input, StreamSession session, CancellationToken closed)
    {
        float[] oversized = [];
        while (true)
        {
            ReadResult read = await ReadWithIdleAsync(input, session.Id, closed).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            long received = Stopwatch.GetTimestamp();
            int frames = 0;
            try
            {
                while (LineProtocol.TryReadLine(ref buffer, out ReadOnlySequence<byte> line))
                {
                    if (line.Length > LineProtocol.MaxLineBytes)
                    {
                        throw new SessionRejectedException(StatusCode.ResourceExhausted, $"A line of {line.Length} bytes exceeds the bridge's {LineProtocol.MaxLineBytes}-byte limit.");
                    }
                    if (line.Length == 0)
                    {
                        continue;
                    }
                    if (IsEnd(line))
                    {
                        return true;
                    }
                    frames++;
                    if (frames % 64 == 0)
                    {
                        await session.ThrottleAsync(64, closed).ConfigureAwait(false);
                    }
                    AcceptLine(session, line, received, ref oversized);
                    await session.FlushAsync(closed).ConfigureAwait(false);
                }
                if (buffer.Length > LineProtocol.MaxLineBytes)
                {
                    throw new SessionRejectedException(StatusCode.ResourceExhausted, $"No line end within {LineProtocol.MaxLineBytes} bytes: lines end with \\n.");
                }
                if (read.IsCompleted)
                {
                    return false;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private static bool IsEnd(ReadOnlySequence<byte> line) => line.Length == 3 && (line.IsSingleSegment ? line.FirstSpan : line.ToArray()).SequenceEqual("END"u8);

    /// <summary>Parses one frame line and gives it to the session (which rejects it with a warning if it is bad).</summary>
    private static void AcceptLine(StreamSession session, ReadOnlySequence<byte> line, long received, ref float[] oversized)
    {
        ReadOnlySpan<byte> span = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        float[] angles = session.InputScratch;
        if (!LineProtocol.TryParseFrame(span, angles, out ulong? seq, out double timeS, out int count, out string? problem))
        {
            session.RejectMalformed(seq, $"Line '{Encoding.UTF8.GetString(span[..Math.Min(span.Length, 64)])}' is not a frame: {problem}. Frame rejected.");
        }
        else if (count == angles.Length)
        {
            session.Accept(seq!.Value, timeS, angles, received);
        }
        else
        {
            if (oversized.Length < count)
            {
                oversized = new float[count];
            }
            session.Accept(seq!.Value, timeS, oversized.AsSpan(0, count), received); // rejected for its count
        }
    }

    private async Task<string?> ReadOpenLineAsync(PipeReader input, CancellationToken closed)
    {
        while (true)
        {
            ReadResult read = await ReadWithIdleAsync(input, null, closed).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (LineProtocol.TryReadLine(ref buffer, out ReadOnlySequence<byte> line))
            {
                string text = Encoding.UTF8.GetString(line);
                input.AdvanceTo(buffer.Start);
                return text;
            }
            if (buffer.Length > LineProtocol.MaxLineBytes || read.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return null;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async Task<ReadResult> ReadWithIdleAsync(PipeReader input, string? sessionId, CancellationToken closed)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(closed);
        idle.CancelAfter(TimeSpan.FromSeconds(_limits.IdleTimeoutS));
        try
        {
            return await input.ReadAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !closed.IsCancellationRequested)
        {
            LogIdle(logger, sessionId ?? "(not opened)", _limits.IdleTimeoutS);
            throw new SessionRejectedException(StatusCode.DeadlineExceeded,
                $"Nothing received for {_limits.IdleTimeoutS:0.#} s ({GaitStreamServerOptions.Section}:Limits:IdleTimeoutS); the session was closed.");
        }
    }

    private static async Task WriteAsync(PipeWriter output, SemaphoreSlim gate, string text, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Encoding.UTF8.GetBytes(text, output);
            FlushResult flushed = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                throw new IOException("The device closed the connection.");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task TryWriteAsync(PipeWriter output, SemaphoreSlim gate, string text)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await WriteAsync(output, gate, text, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "TCP bridge session {Session}: idle for {IdleS} s, closing")]
    private static partial void LogIdle(ILogger logger, string session, double idleS);
}
