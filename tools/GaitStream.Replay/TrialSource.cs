using GaitStream.Core.Datasets;

namespace GaitStream.Replay;

/// <summary>
/// Where the replayed trials come from: a dataset folder narrowed by subjects, cohorts, conditions and trial ids, or
/// one bare OpenSim trial (IK, optional ID / muscle forces, body mass). Every mistake is a <see cref="ReplayInputException"/>.
/// </summary>
internal sealed record TrialSource(
    string? DatasetDir,
    IReadOnlyList<string> Subjects,
    IReadOnlyList<string> Cohorts,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Trials,
    string? IkPath,
    string? IdPath,
    string? ForcesPath,
    double? BodyMassKg)
{
    public string Describe() => DatasetDir is not null ? $"dataset {Path.GetFullPath(DatasetDir)}" : $"trial {Path.GetFullPath(IkPath!)}";

    public IReadOnlyList<ReplayTrial> Load()
    {
        if ((IkPath is null) == (DatasetDir is null))
        {
            throw new ReplayInputException("Pass either --dataset DIR or --ik FILE (with optional --id / --forces, and --body-mass), not both and not neither.");
        }
        if (DatasetDir is null)
        {
            if (Subjects.Count + Cohorts.Count + Conditions.Count + Trials.Count > 0)
            {
                throw new ReplayInputException("--subjects, --cohorts, --conditions and --trials select from a --dataset; a bare --ik trial is the only trial.");
            }
            if (BodyMassKg is null)
            {
                throw new ReplayInputException("--ik needs --body-mass KG (the service returns estimates per kg and references are normalised by body mass).");
            }
            foreach ((string? path, string option) in new[] { (IkPath, "--ik"), (IdPath, "--id"), (ForcesPath, "--forces") })
            {
                if (path is not null && !File.Exists(path))
                {
                    throw new ReplayInputException($"{option} file not found: '{Path.GetFullPath(path)}'.");
                }
            }
            return [ReplayTrial.From(TrialLoader.LoadBare(IkPath!, IdPath, ForcesPath, BodyMassKg.Value))];
        }
        if (IdPath is not null || ForcesPath is not null || BodyMassKg is not null)
        {
            throw new ReplayInputException("--id, --forces and --body-mass go with --ik (a bare trial); a dataset lists its own files and masses.");
        }
        if (!Directory.Exists(DatasetDir))
        {
            throw new ReplayInputException($"Dataset folder not found: '{Path.GetFullPath(DatasetDir)}'.");
        }
        Dataset dataset = DatasetCatalog.Load(DatasetDir);
        CheckKnown("--subjects", Subjects, dataset.Subjects.Select(s => s.SubjectId));
        CheckKnown("--cohorts", Cohorts, dataset.Cohorts);
        CheckKnown("--conditions", Conditions, dataset.Conditions);
        CheckKnown("--trials", Trials, dataset.Trials.Select(t => t.TrialId));
        List<TrialInfo> selected = [.. dataset.Trials.Where(t =>
            (Subjects.Count == 0 || Subjects.Contains(t.SubjectId, StringComparer.Ordinal))
            && (Cohorts.Count == 0 || Cohorts.Contains(dataset.Subject(t.SubjectId).Cohort, StringComparer.Ordinal))
            && (Conditions.Count == 0 || Conditions.Contains(t.Condition, StringComparer.Ordinal))
            && (Trials.Count == 0 || Trials.Contains(t.TrialId, StringComparer.Ordinal)))];
        if (selected.Count == 0)
        {
            throw new ReplayInputException(
                $"No trial of dataset '{dataset.Manifest.Name}' matches the selection ({Selection()}); each filter is valid on its own but together they select nothing.");
        }
        return [.. selected.Select(t =>
        {
            try
            {
                return ReplayTrial.From(dataset.LoadTrial(t));
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException)
            {
                throw new ReplayInputException($"Trial {t.SubjectId}/{t.Condition}/{t.TrialId} could not be loaded: {e.Message}", e);
            }
        })];
    }

    private string Selection()
    {
        var parts = new List<string>();
        foreach ((string name, IReadOnlyList<string> values) in new[] { ("subjects", Subjects), ("cohorts", Cohorts), ("conditions", Conditions), ("trials", Trials) })
        {
            if (values.Count > 0)
            {
                parts.Add($"{name} {string.Join(",", values)}");
            }
        }
        return parts.Count == 0 ? "everything" : string.Join("; ", parts);
    }

    private static void CheckKnown(string option, IReadOnlyList<string> asked, IEnumerable<string> known)
    {
        HashSet<string> set = [.. known];
        string[] unknown = [.. asked.Where(a => !set.Contains(a))];
        if (unknown.Length > 0)
        {
            throw new ReplayInputException($"{option}: {string.Join(", ", unknown.Select(u => $"'{u}'"))} not in the dataset (it has: {string.Join(", ", set.Order(StringComparer.Ordinal).Take(20))}{(set.Count > 20 ? ", …" : "")}).");
        }
    }
}
