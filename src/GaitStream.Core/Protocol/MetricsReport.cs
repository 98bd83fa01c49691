using System.Globalization;
using System.Text;
using GaitStream.Core.Schema;

namespace GaitStream.Core.Protocol;

/// <summary>
/// The benchmark's metrics for one model on one set of subjects (test split or an external cohort), as
/// <see cref="ProtocolEvaluator.Evaluate"/> computes them. Serialise with <see cref="ProtocolJson.Options"/>
/// for <c>report.json</c>; <see cref="ToMarkdown"/> gives the tables for <c>report.md</c>.
/// </summary>
/// <param name="ChannelNames">The evaluated output channels.</param>
/// <param name="ChannelKinds">Kind of each channel, same order.</param>
/// <param name="Overall">Kind → mean ± SD over all subjects of the per-subject kind metrics.</param>
/// <param name="PerSubject">Subject id → that subject's metrics.</param>
/// <param name="PerCondition">Condition → kind → mean ± SD over the subjects with that condition, each subject's
/// metrics computed over its frames of that condition only.</param>
/// <param name="PerCohort">Cohort → kind → mean ± SD over that cohort's subjects.</param>
public sealed record MetricsReport(
    IReadOnlyList<string> ChannelNames,
    IReadOnlyList<ChannelKind> ChannelKinds,
    IReadOnlyDictionary<ChannelKind, KindSummary> Overall,
    IReadOnlyDictionary<string, SubjectMetrics> PerSubject,
    IReadOnlyDictionary<string, IReadOnlyDictionary<ChannelKind, KindSummary>> PerCondition,
    IReadOnlyDictionary<string, IReadOnlyDictionary<ChannelKind, KindSummary>> PerCohort)
{
    // Paper order: forces first, then moments.
    private static readonly ChannelKind[] KindOrder = [ChannelKind.Force, ChannelKind.Moment, ChannelKind.Angle];

    /// <summary>
    /// Markdown tables laid out like the paper: one row per output kind, columns RMSE / MAE / R² as
    /// "mean ± SD" over subjects, units in the row label; then the same by condition and by cohort.
    /// </summary>
    public string ToMarkdown()
    {
        StringBuilder md = new();
        md.AppendLine("## Overall").AppendLine()
          .Append(CultureInfo.InvariantCulture, $"Mean ± SD over {PerSubject.Count} subject(s); per subject: each channel over all of its frames, averaged over the channels of a kind.")
          .AppendLine().AppendLine();
        AppendTable(md, firstColumn: null, [("", Overall)]);

        if (PerCondition.Count > 0)
        {
            md.AppendLine().AppendLine("## By condition").AppendLine();
            AppendTable(md, "Condition", [.. PerCondition.Select(p => (p.Key, p.Value))]);
        }
        if (PerCohort.Count > 0)
        {
            md.AppendLine().AppendLine("## By cohort").AppendLine();
            AppendTable(md, "Cohort", [.. PerCohort.Select(p => (p.Key, p.Value))]);
        }
        return md.ToString();
    }

    private static void AppendTable(
        StringBuilder md,
        string? firstColumn,
        IReadOnlyList<(string Group, IReadOnlyDictionary<ChannelKind, KindSummary> Kinds)> groups)
    {
        string lead = firstColumn is null ? "" : $"| {firstColumn} ";
        string leadRule = firstColumn is null ? "" : "| --- ";
        md.AppendLine($"{lead}| Output | n | RMSE | MAE | R² |");
        md.AppendLine($"{leadRule}| --- | ---: | --- | --- | --- |");
        foreach ((string group, IReadOnlyDictionary<ChannelKind, KindSummary> kinds) in groups)
        {
            foreach (ChannelKind kind in KindOrder.Where(kinds.ContainsKey))
            {
                KindSummary s = kinds[kind];
                string cell = firstColumn is null ? "" : $"| {Escape(group)} ";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"{cell}| {KindLabel(kind)} | {s.Rmse.N} | {Format(s.Rmse, s.Rmse.N)} | {Format(s.Mae, s.Rmse.N)} | {Format(s.R2, s.Rmse.N)} |");
            }
        }
    }

    private static string KindLabel(ChannelKind kind) => kind switch
    {
        ChannelKind.Force => "Forces (N/kg)",
        ChannelKind.Moment => "Moments (N·m/kg)",
        ChannelKind.Angle => "Angles (deg)",
        _ => kind.ToString(),
    };

    private static string Format(MeanSd value, int subjects)
    {
        if (value.N == 0)
        {
            return "n/a";
        }
        string text = string.Create(CultureInfo.InvariantCulture, $"{value.Mean:0.000} ± {value.Sd:0.000}");
        // R² is left out for subjects whose reference was constant; say over how many it was taken.
        return value.N == subjects ? text : string.Create(CultureInfo.InvariantCulture, $"{text} (n={value.N})");
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
