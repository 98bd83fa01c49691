using GaitStream.Core.Schema;

namespace GaitStream.Core.Protocol;

/// <summary>One test subject's metrics over all of its frames (its trials concatenated).</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="Cohort">The subject's cohort.</param>
/// <param name="Frames">Frames per channel, summed over the subject's trials.</param>
/// <param name="Conditions">Conditions the subject's trials were recorded under, sorted.</param>
/// <param name="PerKind">Channel kind → metrics averaged over that kind's channels.</param>
/// <param name="PerChannel">Channel name → that channel's metrics.</param>
public sealed record SubjectMetrics(
    string SubjectId,
    string Cohort,
    int Frames,
    IReadOnlyList<string> Conditions,
    IReadOnlyDictionary<ChannelKind, KindMetrics> PerKind,
    IReadOnlyDictionary<string, ChannelMetrics> PerChannel);
