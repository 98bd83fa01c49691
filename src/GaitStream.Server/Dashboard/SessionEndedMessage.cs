namespace GaitStream.Server.Dashboard;

/// <summary>The SSE <c>ended</c> event: the gRPC status name the session ended with and its sentence.</summary>
public sealed record SessionEndedMessage(string SessionId, string Status, string Detail);
