using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;

namespace GaitStream.Trainer;

/// <summary>A dataset's trials at one model rate, grouped by the split role of their subject.</summary>
/// <param name="Split">Who is in which role.</param>
/// <param name="Preprocessing">How every trial was put on the model grid.</param>
/// <param name="Train">Trials of the training subjects (the z-score statistics come from these alone).</param>
/// <param name="Validation">Trials of the validation subjects (early stopping, model selection).</param>
/// <param name="Test">Trials of the test subjects (the reported metrics).</param>
/// <param name="External">Trials of the held-out cohorts (zero-shot).</param>
internal sealed record ExperimentData(
    SubjectSplit Split,
    PreprocessingOptions Preprocessing,
    IReadOnlyList<PreparedTrial> Train,
    IReadOnlyList<PreparedTrial> Validation,
    IReadOnlyList<PreparedTrial> Test,
    IReadOnlyList<PreparedTrial> External)
{
    /// <summary>The protocol's subject split; an unknown external cohort is bad input, not an empty list.</summary>
    public static SubjectSplit SplitSubjects(Dataset dataset, SplitFractions fractions, int seed, IReadOnlyList<string> externalCohorts)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        foreach (string cohort in externalCohorts.Where(c => !dataset.Cohorts.Contains(c, StringComparer.Ordinal)))
        {
            throw new ArgumentException($"--external-cohort '{cohort}' is not a cohort of dataset '{dataset.Manifest.Name}' (cohorts: {string.Join(", ", dataset.Cohorts)}).");
        }
        return SubjectSplitter.Split(
            [.. dataset.Subjects.Select(s => new SubjectRef(s.SubjectId, s.Cohort))],
            fractions, seed, externalCohorts.Count == 0 ? null : externalCohorts.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Loads and prepares every trial of <paramref name="dataset"/>; a trial that cannot be prepared is bad input naming it.</summary>
    public static ExperimentData Prepare(Dataset dataset, SubjectSplit split, PreprocessingOptions preprocessing)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(split);
        preprocessing.Validate();
        var byRole = new Dictionary<string, List<PreparedTrial>>(StringComparer.Ordinal);
        var roleOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((IReadOnlyList<string> ids, string role) in new[] { (split.Train, "train"), (split.Validation, "validation"), (split.Test, "test"), (split.External, "external") })
        {
            byRole[role] = [];
            foreach (string id in ids)
            {
                roleOf[id] = role;
            }
        }
        foreach (TrialInfo info in dataset.Trials)
        {
            byRole[roleOf[info.SubjectId]].Add(PrepareOne(dataset, info, preprocessing));
        }
        return new ExperimentData(split, preprocessing, byRole["train"], byRole["validation"], byRole["test"], byRole["external"]);
    }

    public static PreparedTrial PrepareOne(Dataset dataset, TrialInfo info, PreprocessingOptions preprocessing)
    {
        try
        {
            return TrialPreprocessor.Prepare(dataset.LoadTrial(info), preprocessing);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Trial {info.SubjectId}/{info.Condition}/{info.TrialId} could not be prepared: {e.Message}", e);
        }
    }
}
