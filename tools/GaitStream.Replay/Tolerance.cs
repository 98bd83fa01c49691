using System.Globalization;

namespace GaitStream.Replay;

/// <summary>
/// How much worse than the baseline a metric may get: <c>--tolerance r2=0.01,rmse=5%,p99=20%</c>. A plain number is an
/// absolute allowance in the metric's unit; a number with <c>%</c> is relative to the baseline value.
/// Keys: r2, rmse, mae (every kind and group), p50, p95, p99, max (latency), fps (throughput).
/// </summary>
public sealed record Tolerance(IReadOnlyDictionary<string, (double Value, bool Relative)> Allowances)
{
    public static readonly IReadOnlyList<string> Keys = ["r2", "rmse", "mae", "p50", "p95", "p99", "max", "fps"];

    /// <summary>Accuracy only: latency on a shared machine is too noisy to gate on unless asked.</summary>
    public const string Default = "r2=0.01,rmse=5%,mae=5%";

    public static Tolerance Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ReplayInputException($"--tolerance is empty; give KEY=VALUE pairs like '{Default}' (keys: {string.Join(", ", Keys)}).");
        }
        var result = new Dictionary<string, (double, bool)>(StringComparer.Ordinal);
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            string key = kv[0].ToLowerInvariant();
            if (kv.Length != 2 || !Keys.Contains(key))
            {
                throw new ReplayInputException($"--tolerance: '{part}' is not KEY=VALUE with KEY one of {string.Join(", ", Keys)} (e.g. '{Default},p99=20%').");
            }
            bool relative = kv[1].EndsWith('%');
            string number = relative ? kv[1][..^1] : kv[1];
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0)
            {
                throw new ReplayInputException($"--tolerance: '{part}': '{kv[1]}' is not a non-negative number or percentage (e.g. 0.01 or 5%).");
            }
            if (!result.TryAdd(key, (relative ? value / 100 : value, relative)))
            {
                throw new ReplayInputException($"--tolerance: '{key}' is given twice.");
            }
        }
        return new Tolerance(result);
    }

    public override string ToString() => string.Join(",", Allowances.Select(a => a.Value.Relative
        ? FormattableString.Invariant($"{a.Key}={a.Value.Value * 100:0.###}%")
        : FormattableString.Invariant($"{a.Key}={a.Value.Value:0.######}")));
}
