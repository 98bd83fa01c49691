using GaitStream.Core.Protocol;

namespace GaitStream.Replay;

/// <summary>One trial's metrics (null when no estimated frame has a reference).</summary>
internal sealed record TrialEvaluation(ReplayTrial Trial, string SessionId, int EvaluatedFrames, SubjectMetrics? Metrics);
