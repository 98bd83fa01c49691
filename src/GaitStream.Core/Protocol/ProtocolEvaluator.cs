using GaitStream.Core.Schema;

namespace GaitStream.Core.Protocol;

/// <summary>
/// Turns a model's predictions on test (or external) subjects into the benchmark's metrics. Owns the protocol's
/// aggregation order, which changes the numbers if done differently:
/// <list type="number">
/// <item>per subject and channel: RMSE, MAE, R² over all of the subject's frames, its trials concatenated
/// (not averaged per trial: R² about a per-trial mean would ignore between-trial variance);</item>
/// <item>per subject and kind: the mean over the kind's channels (R² over the channels where it is defined);</item>
/// <item>per kind: mean ± sample SD over subjects.</item>
/// </list>
/// The condition breakdown repeats all three steps on each condition's frames; the cohort breakdown repeats
/// step 3 on each cohort's subjects.
/// </summary>
public static class ProtocolEvaluator
{
    /// <exception cref="ArgumentException">No sets; channel lists that differ between sets; arrays whose shape
    /// does not match the channel list; empty trials; NaN or infinite values; a subject given two cohorts; or the
    /// same (subject, condition, trial) twice.</exception>
    public static MetricsReport Evaluate(IEnumerable<PredictionSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        List<PredictionSet> all = [.. sets];
        if (all.Count == 0)
        {
            throw new ArgumentException("Nothing to evaluate: no prediction sets.", nameof(sets));
        }
        if (all.Contains(null!))
        {
            throw new ArgumentException("A prediction set is null.", nameof(sets));
        }
        IReadOnlyList<string> names = all[0].ChannelNames ?? throw new ArgumentException("The first prediction set has no channel names.", nameof(sets));
        IReadOnlyList<ChannelKind> kinds = all[0].ChannelKinds ?? throw new ArgumentException("The first prediction set has no channel kinds.", nameof(sets));
        Validate(all, names, kinds);

        // Ordinal order everywhere, so the report (and its floating-point sums) never depends on input order.
        List<IGrouping<string, PredictionSet>> bySubject = [.. all
            .OrderBy(s => s.SubjectId, StringComparer.Ordinal)
            .ThenBy(s => s.Condition, StringComparer.Ordinal)
            .ThenBy(s => s.TrialId, StringComparer.Ordinal)
            .GroupBy(s => s.SubjectId, StringComparer.Ordinal)];

        SortedDictionary<string, SubjectMetrics> perSubject = new(StringComparer.Ordinal);
        foreach (IGrouping<string, PredictionSet> subject in bySubject)
        {
            List<PredictionSet> trials = [.. subject];
            ChannelMetrics[] channels = ChannelMetricsOver(trials, names.Count);
            SortedDictionary<string, ChannelMetrics> perChannel = new(StringComparer.Ordinal);
            for (int c = 0; c < names.Count; c++)
            {
                perChannel.Add(names[c], channels[c]);
            }
            perSubject.Add(subject.Key, new SubjectMetrics(
                subject.Key,
                trials[0].Cohort,
                trials.Sum(t => t.Reference[0].Length),
                [.. trials.Select(t => t.Condition).Distinct(StringComparer.Ordinal)],
                AverageByKind(channels, kinds),
                perChannel));
        }

        IReadOnlyDictionary<ChannelKind, KindSummary> overall = Summarise(perSubject.Values.Select(s => s.PerKind).ToList(), kinds);

        SortedDictionary<string, IReadOnlyDictionary<ChannelKind, KindSummary>> perCondition = new(StringComparer.Ordinal);
        foreach (string condition in all.Select(s => s.Condition).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            List<IReadOnlyDictionary<ChannelKind, KindMetrics>> subjects = [];
            foreach (IGrouping<string, PredictionSet> subject in bySubject)
            {
                List<PredictionSet> trials = [.. subject.Where(s => s.Condition == condition)];
                if (trials.Count > 0)
                {
                    subjects.Add(AverageByKind(ChannelMetricsOver(trials, names.Count), kinds));
                }
            }
            perCondition.Add(condition, Summarise(subjects, kinds));
        }

        SortedDictionary<string, IReadOnlyDictionary<ChannelKind, KindSummary>> perCohort = new(StringComparer.Ordinal);
        foreach (IGrouping<string, SubjectMetrics> cohort in perSubject.Values.GroupBy(s => s.Cohort, StringComparer.Ordinal))
        {
            perCohort.Add(cohort.Key, Summarise(cohort.Select(s => s.PerKind).ToList(), kinds));
        }

        return new MetricsReport([.. names], [.. kinds], overall, perSubject, perCondition, perCohort);
    }

    /// <summary>Per channel: metrics over the given trials' frames, concatenated in the given order.</summary>
    private static ChannelMetrics[] ChannelMetricsOver(List<PredictionSet> trials, int channelCount)
    {
        int frames = trials.Sum(t => t.Reference[0].Length);
        double[] reference = new double[frames];
        double[] predicted = new double[frames];
        ChannelMetrics[] result = new ChannelMetrics[channelCount];
        for (int c = 0; c < channelCount; c++)
        {
            int offset = 0;
            foreach (PredictionSet trial in trials)
            {
                trial.Reference[c].CopyTo(reference, offset);
                trial.Predicted[c].CopyTo(predicted, offset);
                offset += trial.Reference[c].Length;
            }
            result[c] = RegressionMetrics.Compute(reference, predicted);
        }
        return result;
    }

    private static SortedDictionary<ChannelKind, KindMetrics> AverageByKind(ChannelMetrics[] channels, IReadOnlyList<ChannelKind> kinds)
    {
        SortedDictionary<ChannelKind, KindMetrics> result = [];
        foreach (ChannelKind kind in kinds.Distinct())
        {
            ChannelMetrics[] ofKind = [.. channels.Where((_, c) => kinds[c] == kind)];
            double[] r2 = [.. ofKind.Select(m => m.R2).Where(v => !double.IsNaN(v))];
            result.Add(kind, new KindMetrics(
                Rmse: ofKind.Average(m => m.Rmse),
                Mae: ofKind.Average(m => m.Mae),
                R2: r2.Length == 0 ? double.NaN : r2.Average(),
                Channels: ofKind.Length,
                R2Channels: r2.Length));
        }
        return result;
    }

    private static SortedDictionary<ChannelKind, KindSummary> Summarise(
        List<IReadOnlyDictionary<ChannelKind, KindMetrics>> subjects,
        IReadOnlyList<ChannelKind> kinds)
    {
        SortedDictionary<ChannelKind, KindSummary> result = [];
        foreach (ChannelKind kind in kinds.Distinct())
        {
            KindMetrics[] values = [.. subjects.Select(s => s[kind])];
            result.Add(kind, new KindSummary(
                MeanSd.Of([.. values.Select(v => v.Rmse)]),
                MeanSd.Of([.. values.Select(v => v.Mae)]),
                MeanSd.Of([.. values.Select(v => v.R2)])));
        }
        return result;
    }

    private static void Validate(List<PredictionSet> sets, IReadOnlyList<string> names, IReadOnlyList<ChannelKind> kinds)
    {
        if (names.Count == 0)
        {
            throw new ArgumentException("Prediction sets have no channels.", nameof(sets));
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"Channel names must be unique; got [{string.Join(", ", names)}].", nameof(sets));
        }
        Dictionary<string, string> cohortOf = new(StringComparer.Ordinal);
        HashSet<(string, string, string)> seen = [];
        foreach (PredictionSet set in sets)
        {
            string where = $"prediction set (subject '{set.SubjectId}', condition '{set.Condition}', trial '{set.TrialId}')";
            if (string.IsNullOrWhiteSpace(set.SubjectId) || string.IsNullOrWhiteSpace(set.Cohort)
                || string.IsNullOrWhiteSpace(set.Condition) || string.IsNullOrWhiteSpace(set.TrialId))
            {
                throw new ArgumentException($"The {where} has a blank subject, cohort, condition or trial id (cohort '{set.Cohort}').", nameof(sets));
            }
            if (set.ChannelNames is null || !set.ChannelNames.SequenceEqual(names, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"The {where} has channels [{string.Join(", ", set.ChannelNames ?? [])}] but the first set has [{string.Join(", ", names)}]; all sets of one evaluation must have the same channels in the same order.",
                    nameof(sets));
            }
            if (set.ChannelKinds is null || !set.ChannelKinds.SequenceEqual(kinds))
            {
                throw new ArgumentException(
                    $"The {where} has channel kinds [{string.Join(", ", set.ChannelKinds ?? [])}] but the first set has [{string.Join(", ", kinds)}].",
                    nameof(sets));
            }
            if (!seen.Add((set.SubjectId, set.Condition, set.TrialId)))
            {
                throw new ArgumentException($"The {where} appears twice; each trial may be evaluated once.", nameof(sets));
            }
            if (cohortOf.TryGetValue(set.SubjectId, out string? cohort) && cohort != set.Cohort)
            {
                throw new ArgumentException($"Subject '{set.SubjectId}' is given cohorts '{cohort}' and '{set.Cohort}'; a subject belongs to one cohort.", nameof(sets));
            }
            cohortOf[set.SubjectId] = set.Cohort;
            if (ShapeProblem(set, names) is string problem)
            {
                throw new ArgumentException($"The {where}: {problem}", nameof(sets));
            }
        }
    }

    /// <summary>What is wrong with a set's arrays, or null when they are channels × frames and finite.</summary>
    private static string? ShapeProblem(PredictionSet set, IReadOnlyList<string> names)
    {
        if (set.Reference is null || set.Predicted is null || set.Reference.Length != names.Count || set.Predicted.Length != names.Count)
        {
            return FormattableString.Invariant(
                $"expected {names.Count} reference and {names.Count} predicted channel rows (channels × frames); got {set.Reference?.Length} and {set.Predicted?.Length}.");
        }
        int frames = set.Reference[0]?.Length ?? 0;
        if (frames == 0)
        {
            return "no frames.";
        }
        for (int c = 0; c < names.Count; c++)
        {
            double[]? reference = set.Reference[c];
            double[]? predicted = set.Predicted[c];
            if (reference is null || predicted is null || reference.Length != frames || predicted.Length != frames)
            {
                return FormattableString.Invariant(
                    $"channel '{names[c]}' must have {frames} reference and predicted frames like the first channel; got {reference?.Length} and {predicted?.Length}.");
            }
            for (int f = 0; f < frames; f++)
            {
                if (!double.IsFinite(reference[f]) || !double.IsFinite(predicted[f]))
                {
                    return FormattableString.Invariant(
                        $"channel '{names[c]}' frame {f} is not finite (reference {reference[f]}, predicted {predicted[f]}).");
                }
            }
        }
        return null;
    }
}
