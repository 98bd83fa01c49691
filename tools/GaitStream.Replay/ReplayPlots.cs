using GaitStream.Core.Schema;
using GaitStream.Tools.Plots;
using ScottPlot;

namespace GaitStream.Replay;

/// <summary>The replay's PNGs: the latency histogram, and streamed estimates against the reference for chosen trials.</summary>
internal static class ReplayPlots
{
    public static void LatencyHistogram(string path, double[] latenciesMs, LatencySummary summary, string title)
    {
        (double[] edges, long[] counts) = ReplayReport.Histogram(latenciesMs);
        var grid = new FigureGrid(1, 1);
        Plot plot = grid[0, 0];
        var bars = new List<Bar>();
        for (int b = 0; b < counts.Length; b++)
        {
            // Log-spaced bins drawn on a log10 axis so each bar has the same width.
            double left = Math.Log10(edges[b]);
            double right = Math.Log10(edges[b + 1]);
            bars.Add(new Bar { Position = (left + right) / 2, Value = counts[b], Size = (right - left) * 0.95 });
        }
        if (bars.Count > 0)
        {
            plot.Add.Bars(bars);
            foreach ((double v, string label) in new[] { (summary.P50Ms, "p50"), (summary.P99Ms, "p99") })
            {
                var line = plot.Add.VerticalLine(Math.Log10(v));
                line.LegendText = FormattableString.Invariant($"{label} {v:0.00} ms");
                line.LinePattern = LinePattern.Dashed;
            }
            plot.ShowLegend(Alignment.UpperRight);
        }
        plot.Title(title, size: 12);
        plot.XLabel("latency, log10(ms)", size: 11);
        plot.YLabel("estimates", size: 11);
        grid.SavePng(path, panelWidth: 720, panelHeight: 400);
    }

    /// <summary>One panel per scored channel: the reference and the streamed estimate over the trial's time.</summary>
    public static void Curves(string path, TrialEvaluation trial, SessionResult session, IReadOnlyList<string> channels, IReadOnlyList<string> modelOutputs)
    {
        ReplayTrial t = trial.Trial;
        int[] frames = [.. Enumerable.Range(0, t.FrameCount).Where(f => session.EstimatesPerKg[f] is not null && t.HasReference[f])];
        int columns = Math.Max(1, Math.Min(channels.Count, channels.Count > 6 ? 6 : 3));
        int rows = Math.Max(1, (channels.Count + columns - 1) / columns);
        var grid = new FigureGrid(rows, columns);
        double[] time = [.. frames.Select(f => t.TimeS[f])];
        for (int c = 0; c < rows * columns; c++)
        {
            Plot plot = grid[c / columns, c % columns];
            if (c >= channels.Count)
            {
                plot.Axes.Frameless();
                continue;
            }
            double[] reference = t.Reference(channels[c]);
            int m = modelOutputs.ToList().IndexOf(channels[c]);
            var r = plot.Add.ScatterLine(time, [.. frames.Select(f => reference[f])]);
            r.LegendText = "reference";
            r.LineWidth = 2;
            var e = plot.Add.ScatterLine(time, [.. frames.Select(f => (double)session.EstimatesPerKg[f]![m])]);
            e.LegendText = "streamed estimate";
            e.LinePattern = LinePattern.Dashed;
            e.LineWidth = 2;
            plot.Title(c == 0 ? $"{t.Key}\n{channels[c]}" : channels[c], size: 11);
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
        grid.SavePng(path, panelWidth: 400, panelHeight: 260);
    }
}
