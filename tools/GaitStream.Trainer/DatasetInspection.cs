using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;

namespace GaitStream.Trainer;

/// <summary>
/// The benchmark protocol's data steps on one dataset, without a model: validate the catalog, put every trial on
/// the model grid, split subjects, fit z-score statistics on the training subjects only, and count the causal
/// windows each trial yields. What the trainer will do before its first epoch, as a report a lab can read.
/// </summary>
public static class DatasetInspection
{
    public static InspectionReport Run(Dataset dataset, InspectOptions options, IProgress<(int Done, int Total)>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Preprocessing.Validate();
        WindowSpec window = WindowSpec.FromSeconds(options.WindowS, options.StrideFrames / options.Preprocessing.SampleRateHz, options.Preprocessing.SampleRateHz);

        SubjectSplit split = SubjectSplitter.Split(
            [.. dataset.Subjects.Select(s => new SubjectRef(s.SubjectId, s.Cohort))],
            options.Fractions, options.Seed, options.ExternalCohorts.Count == 0 ? null : options.ExternalCohorts.ToHashSet(StringComparer.Ordinal));
        var role = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((IReadOnlyList<string> ids, string name) in new[] { (split.Train, "train"), (split.Validation, "validation"), (split.Test, "test"), (split.External, "external") })
        {
            foreach (string id in ids)
            {
                role[id] = name;
            }
        }

        var rows = new List<TrialSummary>();
        var trainInputs = new List<IReadOnlyList<double[]>>();
        for (int i = 0; i < dataset.Trials.Count; i++)
        {
            TrialInfo info = dataset.Trials[i];
            SubjectInfo subject = dataset.Subject(info.SubjectId);
            try
            {
                TrialData trial = dataset.LoadTrial(info);
                PreparedTrial prepared = TrialPreprocessor.Prepare(trial, options.Preprocessing);
                rows.Add(new TrialSummary(
                    info.SubjectId, subject.Cohort, role[info.SubjectId], subject.BodyMassKg, info.Condition, info.TrialId, info.CadenceSpm,
                    Math.Round(Resampler.MedianRateHz(trial.Angles.Time), 3), prepared.TimeS[0], prepared.TimeS[^1], prepared.FrameCount,
                    window.Count(prepared.FrameCount), prepared.OutputChannels,
                    [.. trial.MissingForceMembers.Where(kv => options.Preprocessing.IncludeForces).SelectMany(kv => kv.Value)],
                    Error: null));
                if (role[info.SubjectId] == "train")
                {
                    trainInputs.Add(prepared.Inputs);
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IOException or ArgumentException)
            {
                // One broken trial is reported in its row; the others are still inspected.
                rows.Add(new TrialSummary(info.SubjectId, subject.Cohort, role[info.SubjectId], subject.BodyMassKg, info.Condition, info.TrialId,
                    info.CadenceSpm, double.NaN, double.NaN, double.NaN, 0, 0, [], [], e.Message));
            }
            progress?.Report((i + 1, dataset.Trials.Count));
        }

        ZScoreStatistics? zscore = trainInputs.Count > 0 ? ZScoreStatistics.Fit(Core.Schema.ChannelSchema.InputAngles, trainInputs) : null;
        return new InspectionReport(dataset.Manifest.Name, dataset.Root, options.Preprocessing.SampleRateHz, window.LengthFrames, window.StrideFrames,
            options.Preprocessing.AngleLowPassHz, split, zscore, rows);
    }
}
