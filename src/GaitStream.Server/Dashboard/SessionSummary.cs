namespace GaitStream.Server.Dashboard;

/// <summary>A live session as the dashboard lists it (the JSON of <c>/api/sessions</c> and of SSE <c>sessions</c> events).</summary>
/// <param name="InFlight">Lag: frames received whose estimate is not yet written.</param>
public sealed record SessionSummary(
    string SessionId,
    string SubjectId,
    string Label,
    string ModelId,
    string Transport,
    double BodyMassKg,
    double SampleRateHz,
    int HopFrames,
    double StartedUnixS,
    long FramesReceived,
    long FramesRejected,
    long EstimatesSent,
    double FramesPerS,
    int InFlight,
    IReadOnlyList<ChannelSummary> Outputs);
