using System.Globalization;
using GaitStream.Core.Preprocessing;

namespace GaitStream.Core.Datasets;

/// <summary>
/// Reads and validates a dataset folder in the GaitStream layout:
/// <code>
/// dataset.json   name, provenance, conditions, cohorts, channels
/// subjects.csv   subject_id, cohort, body_mass_kg, height_m, [affected_side]
/// trials.csv     subject_id, condition, trial, cadence_spm, ik, id, forces   (paths relative to the dataset)
/// </code>
/// Every problem is collected and reported at once, each naming its file and line. Trial files are checked for
/// existence here and parsed only when a trial is loaded.
/// </summary>
public static class DatasetCatalog
{
    private static readonly string[] SubjectColumns = ["subject_id", "cohort", "body_mass_kg"];
    private static readonly string[] TrialColumns = ["subject_id", "condition", "trial", "ik"];

    public static Dataset Load(string datasetDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(datasetDirectory);
        string root = Path.GetFullPath(datasetDirectory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Dataset folder not found: '{root}'.");
        }

        DatasetManifest manifest = DatasetManifest.Read(Path.Combine(root, "dataset.json"));
        var problems = new List<string>();
        List<SubjectInfo> subjects = ReadSubjects(Path.Combine(root, "subjects.csv"), problems);
        var known = subjects.Select(s => s.SubjectId).ToHashSet(StringComparer.Ordinal);
        List<TrialInfo> trials = ReadTrials(root, Path.Combine(root, "trials.csv"), known, problems);

        foreach (SubjectInfo s in subjects.Where(s => !trials.Any(t => t.SubjectId == s.SubjectId)))
        {
            problems.Add($"subjects.csv: subject '{s.SubjectId}' has no trial in trials.csv.");
        }
        if (problems.Count > 0)
        {
            throw new DatasetValidationException(root, problems);
        }
        return new Dataset(root, manifest, subjects, trials);
    }

    private static List<SubjectInfo> ReadSubjects(string path, List<string> problems)
    {
        var result = new List<SubjectInfo>();
        if (!File.Exists(path))
        {
            problems.Add("subjects.csv: missing.");
            return result;
        }
        CsvTable csv = CsvTable.Read(path);
        if (!RequireColumns(csv, "subjects.csv", SubjectColumns, problems))
        {
            return result;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (CsvRow row in csv.Rows)
        {
            string where = $"subjects.csv line {row.Line}";
            string id = csv.Cell(row, "subject_id");
            if (id.Length == 0)
            {
                problems.Add($"{where}: subject_id is empty.");
                continue;
            }
            where += $" ({id})";
            if (!seen.TryAdd(id, row.Line))
            {
                problems.Add($"{where}: duplicate subject_id (first on line {seen[id]}).");
                continue;
            }
            string cohort = csv.Cell(row, "cohort");
            if (cohort.Length == 0)
            {
                problems.Add($"{where}: cohort is empty.");
            }
            double? mass = ParseNumber(csv.Cell(row, "body_mass_kg"), "body_mass_kg", where, problems, required: true);
            if (mass is double m && (m < BodyMassNormalizer.MinBodyMassKg || m > BodyMassNormalizer.MaxBodyMassKg))
            {
                problems.Add($"{where}: body_mass_kg {m.ToString(CultureInfo.InvariantCulture)} is outside {BodyMassNormalizer.MinBodyMassKg}–{BodyMassNormalizer.MaxBodyMassKg} kg.");
                mass = null;
            }
            double? height = ParseNumber(csv.Cell(row, "height_m"), "height_m", where, problems, required: false);
            if (height is double h && (h < 0.5 || h > 2.5))
            {
                problems.Add($"{where}: height_m {h.ToString(CultureInfo.InvariantCulture)} is outside 0.5–2.5 m (is it in cm?).");
            }
            string side = csv.Cell(row, "affected_side").ToLowerInvariant();
            if (side.Length > 0 && side is not ("r" or "l"))
            {
                problems.Add($"{where}: affected_side must be 'r', 'l' or empty, not '{side}'.");
            }
            if (mass is double bodyMass && cohort.Length > 0)
            {
                result.Add(new SubjectInfo(id, cohort, bodyMass, height, side.Length == 0 ? null : side));
            }
        }
        if (csv.Rows.Count == 0)
        {
            problems.Add("subjects.csv: no subjects.");
        }
        return result;
    }

    private static List<TrialInfo> ReadTrials(string root, string path, HashSet<string> subjects, List<string> problems)
    {
        var result = new List<TrialInfo>();
        if (!File.Exists(path))
        {
            problems.Add("trials.csv: missing.");
            return result;
        }
        CsvTable csv = CsvTable.Read(path);
        if (!RequireColumns(csv, "trials.csv", TrialColumns, problems))
        {
            return result;
        }

        var seen = new Dictionary<(string, string, string), int>();
        foreach (CsvRow row in csv.Rows)
        {
            string subject = csv.Cell(row, "subject_id");
            string condition = csv.Cell(row, "condition");
            string trial = csv.Cell(row, "trial");
            string where = $"trials.csv line {row.Line} ({subject}/{condition}/{trial})";
            int before = problems.Count;
            if (subject.Length == 0 || condition.Length == 0 || trial.Length == 0)
            {
                problems.Add($"{where}: subject_id, condition and trial must all be set.");
                continue;
            }
            if (!subjects.Contains(subject))
            {
                problems.Add($"{where}: subject '{subject}' is not in subjects.csv.");
            }
            if (!seen.TryAdd((subject, condition, trial), row.Line))
            {
                problems.Add($"{where}: duplicate trial (first on line {seen[(subject, condition, trial)]}).");
            }
            double? cadence = ParseNumber(csv.Cell(row, "cadence_spm"), "cadence_spm", where, problems, required: false);
            if (cadence is double spm && (spm < 20 || spm > 300))
            {
                problems.Add($"{where}: cadence_spm {spm.ToString(CultureInfo.InvariantCulture)} is outside 20–300 steps/min.");
            }
            string? ik = ResolveFile(root, csv.Cell(row, "ik"), "ik", where, problems, required: true);
            string? id = ResolveFile(root, csv.Cell(row, "id"), "id", where, problems, required: false);
            string? forces = ResolveFile(root, csv.Cell(row, "forces"), "forces", where, problems, required: false);
            if (problems.Count == before && ik is not null)
            {
                result.Add(new TrialInfo(subject, condition, trial, cadence, ik, id, forces));
            }
        }
        if (csv.Rows.Count == 0)
        {
            problems.Add("trials.csv: no trials.");
        }
        return result;
    }

    private static bool RequireColumns(CsvTable csv, string file, string[] required, List<string> problems)
    {
        var absent = required.Where(c => !csv.HasColumn(c)).ToList();
        if (absent.Count == 0)
        {
            return true;
        }
        problems.Add($"{file} line 1: missing column(s) {string.Join(", ", absent)} (header is: {string.Join(",", csv.Header)}).");
        return false;
    }

    private static double? ParseNumber(string cell, string column, string where, List<string> problems, bool required)
    {
        if (cell.Length == 0)
        {
            if (required)
            {
                problems.Add($"{where}: {column} is empty.");
            }
            return null;
        }
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
        {
            return v;
        }
        problems.Add($"{where}: {column} '{cell}' is not a number.");
        return null;
    }

    private static string? ResolveFile(string root, string relative, string column, string where, List<string> problems, bool required)
    {
        if (relative.Length == 0)
        {
            if (required)
            {
                problems.Add($"{where}: {column} path is empty.");
            }
            return null;
        }
        string full = Path.GetFullPath(Path.Combine(root, relative));
        string rootWithSep = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(relative) || !full.StartsWith(rootWithSep, StringComparison.Ordinal))
        {
            problems.Add($"{where}: {column} path '{relative}' must be relative and inside the dataset folder.");
            return null;
        }
        if (!File.Exists(full))
        {
            problems.Add($"{where}: {column} file '{relative}' does not exist.");
            return null;
        }
        return full;
    }
}
