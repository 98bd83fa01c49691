using GaitStream.Protocol.V1;

namespace GaitStream.Server.Sessions;

/// <summary>One item a session has for its transport: an estimate (with when its frame arrived) or a warning.</summary>
internal readonly record struct SessionOutput(Estimate? Estimate, Warning? Warning, long ReceivedTimestamp);
