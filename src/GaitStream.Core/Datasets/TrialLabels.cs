namespace GaitStream.Core.Datasets;

/// <summary>Who and what a trial is: the keys metrics are grouped by.</summary>
public sealed record TrialLabels(string SubjectId, string Cohort, string Condition, string TrialId, double? CadenceSpm = null)
{
    /// <summary>Labels for a trial loaded from bare files, outside any dataset.</summary>
    public static TrialLabels Bare(string ikPath) =>
        new(Path.GetFileNameWithoutExtension(ikPath), "external", "unspecified", Path.GetFileNameWithoutExtension(ikPath));
}
