namespace GaitStream.Core.Protocol;

/// <summary>Mean ± SD over subjects of the per-subject <see cref="KindMetrics"/> of one channel kind.</summary>
public sealed record KindSummary(MeanSd Rmse, MeanSd Mae, MeanSd R2);
