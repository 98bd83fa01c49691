using GaitStream.Core.Schema;

namespace GaitStream.Core.Protocol;

/// <summary>
/// A model's predictions for one trial beside the reference, channel-major: <c>Reference[channel][frame]</c>.
/// </summary>
/// <param name="SubjectId">The test subject.</param>
/// <param name="Cohort">The subject's cohort (the same in every set of the subject).</param>
/// <param name="Condition">Recording condition, e.g. a cadence such as <c>cadence_100</c>.</param>
/// <param name="TrialId">Trial id, unique within (subject, condition).</param>
/// <param name="ChannelNames">Output channel names, in row order of the arrays.</param>
/// <param name="ChannelKinds">Kind of each channel (force, moment), same order.</param>
/// <param name="Reference">channels × frames reference values (OpenSim-derived labels).</param>
/// <param name="Predicted">channels × frames model estimates, same shape.</param>
public sealed record PredictionSet(
    string SubjectId,
    string Cohort,
    string Condition,
    string TrialId,
    IReadOnlyList<string> ChannelNames,
    IReadOnlyList<ChannelKind> ChannelKinds,
    double[][] Reference,
    double[][] Predicted);
