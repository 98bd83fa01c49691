namespace GaitStream.Core.Datasets;

/// <summary>
/// A validated dataset folder (ARCHITECTURE.md, "Dataset layout"): manifest, subjects and trials with absolute
/// file paths. Loading a trial's signals is <see cref="LoadTrial"/>; everything else is already in memory.
/// </summary>
public sealed class Dataset
{
    private readonly Dictionary<string, SubjectInfo> _subjects;

    internal Dataset(string root, DatasetManifest manifest, IReadOnlyList<SubjectInfo> subjects, IReadOnlyList<TrialInfo> trials)
    {
        Root = root;
        Manifest = manifest;
        Subjects = subjects;
        Trials = trials;
        _subjects = subjects.ToDictionary(s => s.SubjectId, StringComparer.Ordinal);
    }

    /// <summary>Absolute path of the dataset folder.</summary>
    public string Root { get; }

    public DatasetManifest Manifest { get; }

    public IReadOnlyList<SubjectInfo> Subjects { get; }

    public IReadOnlyList<TrialInfo> Trials { get; }

    public IReadOnlyList<string> Cohorts => [.. Subjects.Select(s => s.Cohort).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> Conditions => [.. Trials.Select(t => t.Condition).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public SubjectInfo Subject(string subjectId) =>
        _subjects.TryGetValue(subjectId, out SubjectInfo? s) ? s : throw new KeyNotFoundException($"Dataset '{Manifest.Name}' has no subject '{subjectId}'.");

    public IEnumerable<TrialInfo> TrialsOf(string subjectId) => Trials.Where(t => t.SubjectId == subjectId);

    /// <summary>Reads a trial's IK (and ID / force files when listed) and normalises the references by body mass.</summary>
    public TrialData LoadTrial(TrialInfo trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        SubjectInfo subject = Subject(trial.SubjectId);
        return TrialLoader.Load(
            trial.IkPath, trial.IdPath, trial.ForcesPath, subject.BodyMassKg,
            new TrialLabels(subject.SubjectId, subject.Cohort, trial.Condition, trial.TrialId, trial.CadenceSpm));
    }
}
