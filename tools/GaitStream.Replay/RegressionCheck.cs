using System.Globalization;

namespace GaitStream.Replay;

/// <summary>
/// Compares this run's flat summary (<see cref="ReplayReport.Summary"/>) with a baseline report's: every baseline
/// metric that has a tolerance is checked in its worse direction (R² and throughput down, errors and latency up).
/// A metric the baseline has and this run lacks is a regression too.
/// </summary>
internal static class RegressionCheck
{
    public sealed record Row(string Metric, double Baseline, double Current, double Allowed, bool Regressed, string Note);

    public static IReadOnlyList<Row> Compare(IReadOnlyDictionary<string, double> baseline, IReadOnlyDictionary<string, double> current, Tolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(tolerance);
        var rows = new List<Row>();
        foreach ((string metric, double b) in baseline.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            (string key, bool higherIsBetter) = Classify(metric);
            if (key.Length == 0 || !tolerance.Allowances.TryGetValue(key, out (double Value, bool Relative) allowance) || double.IsNaN(b))
            {
                continue;
            }
            if (!current.TryGetValue(metric, out double c) || double.IsNaN(c))
            {
                rows.Add(new Row(metric, b, double.NaN, double.NaN, true, "missing in this run"));
                continue;
            }
            double slack = allowance.Relative ? Math.Abs(b) * allowance.Value : allowance.Value;
            double allowed = higherIsBetter ? b - slack : b + slack;
            bool regressed = higherIsBetter ? c < allowed : c > allowed;
            rows.Add(new Row(metric, b, c, allowed, regressed, higherIsBetter ? "higher is better" : "lower is better"));
        }
        return rows;
    }

    /// <summary>Tolerance key and direction of a summary metric name (its last path segment).</summary>
    internal static (string Key, bool HigherIsBetter) Classify(string metric)
    {
        string last = metric[(metric.LastIndexOf('/') + 1)..];
        return last switch
        {
            "r2" => ("r2", true),
            "rmse" => ("rmse", false),
            "mae" => ("mae", false),
            "p50_ms" => ("p50", false),
            "p95_ms" => ("p95", false),
            "p99_ms" => ("p99", false),
            "max_ms" => ("max", false),
            "frames_per_s" => ("fps", true),
            _ => ("", false),
        };
    }

    public static string Format(double v) => double.IsNaN(v) ? "–" : v.ToString("0.#####", CultureInfo.InvariantCulture);
}
