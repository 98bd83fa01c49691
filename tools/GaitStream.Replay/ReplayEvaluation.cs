using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;

namespace GaitStream.Replay;

/// <summary>
/// The protocol's metrics of the estimates the service returned: each trial's estimates matched to its reference
/// frames by sequence number, then Core's <see cref="ProtocolEvaluator"/> (per subject, condition, cohort) and, per
/// trial, the same evaluator on that trial alone. Only channels that both the model estimates and every replayed
/// trial has references for are scored; the others are listed.
/// </summary>
internal sealed record ReplayEvaluation(
    IReadOnlyList<string> Channels,
    IReadOnlyList<string> ModelOnlyChannels,
    IReadOnlyList<string> ReferenceOnlyChannels,
    MetricsReport? Metrics,
    IReadOnlyList<TrialEvaluation> Trials,
    double RepeatMaxAbsDiffPerKg)
{
    public static ReplayEvaluation Evaluate(ReplayRun run, IReadOnlyList<string> modelOutputs)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(modelOutputs);
        // The first session of each trial is scored; cycled repeats must agree with it (the models are deterministic).
        List<SessionResult> firsts = [.. run.Sessions.Where(s => s.Failure is null).GroupBy(s => s.Trial.Key, StringComparer.Ordinal).Select(g => g.OrderBy(s => s.Index).First())];
        HashSet<string> common = [.. modelOutputs];
        foreach (SessionResult s in firsts)
        {
            common.IntersectWith(s.Trial.ReferenceChannels);
        }
        string[] channels = [.. modelOutputs.Where(common.Contains)];
        string[] modelOnly = [.. modelOutputs.Where(c => !common.Contains(c))];
        string[] referenceOnly = [.. firsts.SelectMany(s => s.Trial.ReferenceChannels).Distinct(StringComparer.Ordinal).Where(c => !modelOutputs.Contains(c))];

        double repeatDiff = RepeatDifference(run, firsts);
        if (channels.Length == 0)
        {
            return new ReplayEvaluation(channels, modelOnly, referenceOnly, null, [], repeatDiff);
        }
        ChannelKind[] kinds = [.. channels.Select(ChannelSchema.KindOf)];
        int[] modelIndex = [.. channels.Select(c => modelOutputs.ToList().IndexOf(c))];
        var sets = new List<PredictionSet>();
        var trials = new List<TrialEvaluation>();
        foreach (SessionResult s in firsts.OrderBy(s => s.Trial.Key, StringComparer.Ordinal))
        {
            ReplayTrial trial = s.Trial;
            int[] frames = [.. Enumerable.Range(0, trial.FrameCount).Where(f => s.EstimatesPerKg[f] is not null && trial.HasReference[f])];
            if (frames.Length == 0)
            {
                trials.Add(new TrialEvaluation(trial, s.SessionId, 0, null));
                continue;
            }
            var reference = new double[channels.Length][];
            var predicted = new double[channels.Length][];
            for (int c = 0; c < channels.Length; c++)
            {
                double[] r = trial.Reference(channels[c]);
                reference[c] = [.. frames.Select(f => r[f])];
                predicted[c] = [.. frames.Select(f => (double)s.EstimatesPerKg[f]![modelIndex[c]])];
            }
            var set = new PredictionSet(trial.Labels.SubjectId, trial.Labels.Cohort, trial.Labels.Condition, trial.Labels.TrialId, channels, kinds, reference, predicted);
            sets.Add(set);
            SubjectMetrics alone = ProtocolEvaluator.Evaluate([set]).PerSubject[trial.Labels.SubjectId];
            trials.Add(new TrialEvaluation(trial, s.SessionId, frames.Length, alone));
        }
        MetricsReport? metrics = sets.Count == 0 ? null : ProtocolEvaluator.Evaluate(sets);
        return new ReplayEvaluation(channels, modelOnly, referenceOnly, metrics, trials, repeatDiff);
    }

    /// <summary>Largest |difference| between a cycled repeat's estimate and the first session's for the same frame (0 without repeats).</summary>
    private static double RepeatDifference(ReplayRun run, List<SessionResult> firsts)
    {
        var firstOf = firsts.ToDictionary(s => s.Trial.Key, StringComparer.Ordinal);
        double max = 0;
        foreach (SessionResult s in run.Sessions.Where(s => s.Failure is null && !firsts.Contains(s)))
        {
            SessionResult first = firstOf[s.Trial.Key];
            for (int f = 0; f < s.EstimatesPerKg.Length; f++)
            {
                if (s.EstimatesPerKg[f] is float[] a && first.EstimatesPerKg[f] is float[] b)
                {
                    for (int c = 0; c < a.Length; c++)
                    {
                        max = Math.Max(max, Math.Abs(a[c] - b[c]));
                    }
                }
            }
        }
        return max;
    }
}
