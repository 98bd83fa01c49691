using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Tools.Plots;
using GaitStream.Training.Training;
using ScottPlot;

namespace GaitStream.Trainer.Reports;

/// <summary>The reports' PNG figures: estimated vs reference curves over time, and R² per kind as bars per model.</summary>
internal static class ReportPlots
{
    public const int CurvePanelWidth = 400;
    public const int CurvePanelHeight = 260;
    public const int BarPanelWidth = 460;
    public const int BarPanelHeight = 340;

    /// <summary>One panel per output channel: the reference and the model's causal estimate over the trial's time.</summary>
    public static void Curves(string path, TrialPrediction prediction, string title)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        IReadOnlyList<string> channels = prediction.Trial.OutputChannels;
        int columns = Math.Min(channels.Count, channels.Count > 6 ? 6 : 3);
        int rows = (channels.Count + columns - 1) / columns;
        var grid = new FigureGrid(rows, columns);
        double[] time = [.. prediction.TargetFrames.Select(f => prediction.Trial.TimeS[f])];
        for (int c = 0; c < rows * columns; c++)
        {
            Plot plot = grid[c / columns, c % columns];
            if (c >= channels.Count)
            {
                plot.Axes.Frameless();
                continue;
            }
            var reference = plot.Add.ScatterLine(time, prediction.Reference[c]);
            reference.LegendText = "reference";
            reference.LineWidth = 2;
            var estimate = plot.Add.ScatterLine(time, prediction.Predicted[c]);
            estimate.LegendText = "estimate";
            estimate.LinePattern = LinePattern.Dashed;
            estimate.LineWidth = 2;
            plot.Title(c == 0 ? $"{title}\n{channels[c]}" : channels[c], size: 11);
            plot.XLabel("time (s)", size: 11);
            plot.YLabel(ChannelSchema.UnitOf(channels[c]), size: 11);
            if (c == 0)
            {
                plot.ShowLegend(Alignment.UpperRight);
            }
            else
            {
                plot.HideLegend();
            }
        }
        grid.SavePng(path, panelWidth: CurvePanelWidth, panelHeight: CurvePanelHeight);
    }

    /// <summary>
    /// One panel per group (a rate, or the zero-shot cohort): a bar per model and output kind, the height the mean R²
    /// over test subjects, the error bar its SD.
    /// </summary>
    public static void R2Bars(string path, IReadOnlyList<(string Panel, IReadOnlyList<(string Model, MetricsReport Metrics)> Models)> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var grid = new FigureGrid(1, Math.Max(1, groups.Count));
        var palette = new ScottPlot.Palettes.Category10();
        for (int g = 0; g < groups.Count; g++)
        {
            Plot plot = grid[0, g];
            (string panel, IReadOnlyList<(string Model, MetricsReport Metrics)> models) = groups[g];
            ChannelKind[] kinds = [.. ReportMarkdown.Kinds.Where(k => models.Any(m => m.Metrics.Overall.ContainsKey(k)))];
            var bars = new List<Bar>();
            for (int m = 0; m < models.Count; m++)
            {
                for (int k = 0; k < kinds.Length; k++)
                {
                    if (models[m].Metrics.Overall.TryGetValue(kinds[k], out KindSummary? s) && s.R2.N > 0)
                    {
                        bars.Add(new Bar
                        {
                            Position = (m * (kinds.Length + 1)) + k,
                            Value = s.R2.Mean,
                            Error = s.R2.Sd,
                            FillColor = palette.GetColor(k),
                        });
                    }
                }
            }
            plot.Add.Bars(bars);
            plot.Axes.Bottom.SetTicks(
                [.. Enumerable.Range(0, models.Count).Select(m => (m * (kinds.Length + 1)) + ((kinds.Length - 1) / 2.0))],
                [.. models.Select(m => m.Model)]);
            for (int k = 0; k < kinds.Length; k++)
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = ReportMarkdown.KindLabel(kinds[k]), FillColor = palette.GetColor(k) });
            }
            plot.ShowLegend(Alignment.LowerRight);
            plot.Title($"R² per kind — {panel}", size: 13);
            plot.YLabel("R² (mean ± SD over test subjects)", size: 11);
            double low = Math.Min(0, bars.Count == 0 ? 0 : bars.Min(b => b.Value - b.Error));
            plot.Axes.SetLimitsY(low - 0.05, 1.05);
        }
        grid.SavePng(path, panelWidth: BarPanelWidth, panelHeight: BarPanelHeight);
    }
}
