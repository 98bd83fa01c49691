namespace GaitStream.Server.Dashboard;

/// <summary>The SSE <c>estimates</c> event: estimates of one session in stream order, plus the observer's lost-event count.</summary>
public sealed record EstimatesMessage(string SessionId, IReadOnlyList<EstimatePoint> Estimates, long Dropped);
