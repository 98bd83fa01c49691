using GaitStream.Core.Protocol;
using Spectre.Console;

namespace GaitStream.Trainer.Reports;

/// <summary>A metrics report's overall rows as a console table.</summary>
internal static class MetricsTable
{
    public static Table Overall(MetricsReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("output", "subjects", "RMSE", "MAE", "R²");
        if (title is not null)
        {
            table.Title(Markup.Escape(title));
        }
        foreach (var kind in ReportMarkdown.Kinds.Where(report.Overall.ContainsKey))
        {
            KindSummary s = report.Overall[kind];
            table.AddRow(Markup.Escape(ReportMarkdown.KindLabel(kind)), s.Rmse.N.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ReportMarkdown.Cell(s.Rmse, s.Rmse.N), ReportMarkdown.Cell(s.Mae, s.Rmse.N), ReportMarkdown.Cell(s.R2, s.Rmse.N));
        }
        return table;
    }
}
