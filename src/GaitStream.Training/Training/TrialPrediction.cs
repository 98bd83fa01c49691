using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;

namespace GaitStream.Training.Training;

/// <summary>
/// A model's estimates for one trial in physical units beside the trial's reference, at the target frame of every
/// window, channel-major (<c>Predicted[channel][i]</c> estimates frame <c>TargetFrames[i]</c>).
/// </summary>
/// <param name="Trial">The trial.</param>
/// <param name="TargetFrames">Frame index of each estimate (each window's last frame), ascending.</param>
/// <param name="Reference">K × n reference values at those frames, copied exactly from <see cref="PreparedTrial.Outputs"/>.</param>
/// <param name="Predicted">K × n estimates, de-standardised with the training subjects' output statistics.</param>
public sealed record TrialPrediction(PreparedTrial Trial, int[] TargetFrames, double[][] Reference, double[][] Predicted)
{
    /// <summary>The estimates as the protocol evaluator takes them (channel kinds from the channel schema).</summary>
    public PredictionSet ToPredictionSet() => new(
        Trial.Labels.SubjectId,
        Trial.Labels.Cohort,
        Trial.Labels.Condition,
        Trial.Labels.TrialId,
        Trial.OutputChannels,
        [.. Trial.OutputChannels.Select(ChannelSchema.KindOf)],
        Reference,
        Predicted);
}
