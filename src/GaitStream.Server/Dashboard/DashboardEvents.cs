using System.Net.ServerSentEvents;
using System.Text.Json;
using GaitStream.Protocol.V1;

namespace GaitStream.Server.Dashboard;

/// <summary>
/// Turns the hub's <see cref="WatchEvent"/>s (the gRPC <c>Watch</c> feed) into the dashboard's server-sent events and
/// JSON: <c>sessions</c>, <c>session</c>, <c>estimates</c>, <c>warning</c>, <c>ended</c>. Pure functions, so the wire
/// format is tested without a server.
/// </summary>
public static class DashboardEvents
{
    public const string Sessions = "sessions";
    public const string Session = "session";
    public const string Estimates = "estimates";
    public const string Warning = "warning";
    public const string Ended = "ended";

    public static SessionSummary Summarize(SessionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new SessionSummary(
            info.SessionId, info.SubjectId, info.Label, info.ModelId, info.Transport, info.BodyMassKg, info.SampleRateHz,
            (int)info.HopFrames, info.StartedUnixS, (long)info.FramesReceived, (long)info.FramesRejected, (long)info.EstimatesSent,
            info.FramesPerS, (int)info.InFlight,
            [.. info.Outputs.Select(c => new ChannelSummary(c.Name, c.Unit, PerKg(c.Unit), c.Kind))]);
    }

    public static SessionsSnapshot Snapshot(IEnumerable<SessionInfo> sessions, DateTimeOffset now) =>
        new(now.ToUnixTimeMilliseconds() / 1000.0, [.. sessions.OrderBy(s => s.StartedUnixS).ThenBy(s => s.SessionId, StringComparer.Ordinal).Select(Summarize)]);

    public static SseItem<string> SessionsEvent(SessionsSnapshot snapshot) =>
        new(JsonSerializer.Serialize(snapshot, DashboardJsonContext.Default.SessionsSnapshot), Sessions);

    public static SseItem<string> SessionEvent(SessionInfo info) =>
        new(JsonSerializer.Serialize(Summarize(info), DashboardJsonContext.Default.SessionSummary), Session);

    /// <summary>The event for one hub event; null for kinds the dashboard does not show.</summary>
    public static SseItem<string>? From(WatchEvent e, long dropped)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e.KindCase)
        {
            case WatchEvent.KindOneofCase.SessionStarted:
                return SessionEvent(e.SessionStarted);
            case WatchEvent.KindOneofCase.Estimates:
                var points = new EstimatePoint[e.Estimates.Estimates.Count];
                for (int i = 0; i < points.Length; i++)
                {
                    Estimate x = e.Estimates.Estimates[i];
                    points[i] = new EstimatePoint((long)x.Seq, x.TimeS, [.. x.Values], [.. x.ValuesPerKg], x.ServerLatencyMs);
                }
                var message = new EstimatesMessage(e.Estimates.SessionId, points, dropped);
                return new SseItem<string>(JsonSerializer.Serialize(message, DashboardJsonContext.Default.EstimatesMessage), Estimates);
            case WatchEvent.KindOneofCase.Warning:
                Protocol.V1.Warning w = e.Warning.Warning;
                var warning = new SessionWarningMessage(e.Warning.SessionId, WireName(w.Code), (long)w.Seq, w.Message, (long)w.Count);
                return new SseItem<string>(JsonSerializer.Serialize(warning, DashboardJsonContext.Default.SessionWarningMessage), Warning);
            case WatchEvent.KindOneofCase.SessionEnded:
                var ended = new SessionEndedMessage(e.SessionEnded.SessionId, e.SessionEnded.Status, e.SessionEnded.Detail);
                return new SseItem<string>(JsonSerializer.Serialize(ended, DashboardJsonContext.Default.SessionEndedMessage), Ended);
            default:
                return null;
        }
    }

    /// <summary>The enum value's name in the .proto (<c>GAP</c>), as gRPC clients see it.</summary>
    private static string WireName(WarningCode code) =>
        Protocol.V1.Warning.Descriptor.FindFieldByNumber(Protocol.V1.Warning.CodeFieldNumber).EnumType.FindValueByNumber((int)code)?.Name ?? code.ToString();

    private static string PerKg(string unit) => unit is "N·m" or "N" ? unit + "/kg" : unit;
}
