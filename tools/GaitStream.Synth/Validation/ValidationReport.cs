using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GaitStream.Biomech.Validation;

namespace GaitStream.Synth.Validation;

/// <summary>Every comparison of GaitStream physics with OpenSim, and the figures drawn for them.</summary>
public sealed record ValidationReport(IReadOnlyList<ValidationEntry> Entries, IReadOnlyList<string> Figures)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public int Judged => Entries.Count(e => e.Passed is not null);

    public int Failed => Entries.Count(e => e.Passed == false);

    public string ToJson() => JsonSerializer.Serialize(new
    {
        judged = Judged,
        failed = Failed,
        entries = Entries.Select(e => new { e.Comparison, e.Channel, e.Metric, e.Value, e.Unit, e.Target, comparator = e.Target is null ? null : e.AtLeast ? ">=" : "<=", e.Passed }),
        figures = Figures,
    }, Json);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# GaitStream physics vs OpenSim");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{Judged - Failed} of {Judged} targets met. Produced by `dotnet run --project tools/GaitStream.Synth -- validate`.");
        foreach (IGrouping<string, ValidationEntry> comparison in Entries.GroupBy(e => e.Comparison))
        {
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"## {comparison.Key}");
            sb.AppendLine();
            sb.AppendLine("| channel | metric | value | target | met |");
            sb.AppendLine("| --- | --- | ---: | ---: | :---: |");
            foreach (ValidationEntry e in comparison)
            {
                string target = e.Target is double t ? $"{(e.AtLeast ? "≥" : "≤")} {t.ToString("0.###", CultureInfo.InvariantCulture)}" : "–";
                string met = e.Passed switch { true => "yes", false => "**no**", null => "–" };
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {e.Channel} | {e.Metric}{(e.Unit.Length > 0 ? $" ({e.Unit})" : "")} | {e.Value:0.0000} | {target} | {met} |");
            }
            foreach (string figure in Figures.Where(f => f.StartsWith(comparison.Key, StringComparison.Ordinal)))
            {
                sb.AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"![{comparison.Key}]({figure})");
            }
        }
        return sb.ToString();
    }
}
