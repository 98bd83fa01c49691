namespace GaitStream.Server.Dashboard;

/// <summary>Every live session, oldest first, at <see cref="ServerUnixS"/>.</summary>
public sealed record SessionsSnapshot(double ServerUnixS, IReadOnlyList<SessionSummary> Sessions);
