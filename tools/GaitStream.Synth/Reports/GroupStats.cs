namespace GaitStream.Synth.Reports;

/// <summary>
/// One row of the cohort report: a cohort, a condition and a side group ("both" for healthy legs, "affected" /
/// "unaffected" for patients), with per-subject values by metric (mean ± SD over subjects) and the mean ± SD curves.
/// </summary>
public sealed record GroupStats(
    string Cohort,
    string Condition,
    string SideGroup,
    int Subjects,
    IReadOnlyDictionary<string, double[]> Values,
    IReadOnlyDictionary<string, (double[] Mean, double[] Sd)> Curves)
{
    public (double Mean, double Sd) this[string metric] => MeanSd(Values[metric]);

    public static (double Mean, double Sd) MeanSd(double[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        double[] ok = [.. v.Where(double.IsFinite)];
        if (ok.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = ok.Average();
        double sd = ok.Length > 1 ? Math.Sqrt(ok.Sum(x => (x - mean) * (x - mean)) / (ok.Length - 1)) : 0;
        return (mean, sd);
    }
}
