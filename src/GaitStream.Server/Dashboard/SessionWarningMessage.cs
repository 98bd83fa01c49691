namespace GaitStream.Server.Dashboard;

/// <summary>The SSE <c>warning</c> event: a session warning (gap, lag, rejected frames …) for people.</summary>
public sealed record SessionWarningMessage(string SessionId, string Code, long Seq, string Message, long Count);
