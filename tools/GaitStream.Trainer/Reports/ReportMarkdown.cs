using System.Globalization;
using System.Text;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;

namespace GaitStream.Trainer.Reports;

/// <summary>Markdown pieces shared by the <c>report.md</c> files: metric cells, kind labels and the paper's anchors.</summary>
internal static class ReportMarkdown
{
    /// <summary>Paper order: forces first, then moments.</summary>
    public static readonly ChannelKind[] Kinds = [ChannelKind.Force, ChannelKind.Moment];

    public static string KindLabel(ChannelKind kind) => kind switch
    {
        ChannelKind.Force => "Forces (N/kg)",
        ChannelKind.Moment => "Moments (N·m/kg)",
        _ => kind.ToString(),
    };

    /// <summary>"mean ± SD", "n/a" when no subject had a value, "(n=…)" when fewer than <paramref name="subjects"/> did.</summary>
    public static string Cell(MeanSd value, int subjects)
    {
        if (value.N == 0)
        {
            return "n/a";
        }
        string text = string.Create(CultureInfo.InvariantCulture, $"{value.Mean:0.000} ± {value.Sd:0.000}");
        return value.N == subjects ? text : string.Create(CultureInfo.InvariantCulture, $"{text} (n={value.N})");
    }

    /// <summary>The Gait2Hip-60 numbers (healthy test set, Transformer; zero-shot on ONFH patients), quoted for reference.</summary>
    public static void AppendPaperAnchors(StringBuilder md)
    {
        ArgumentNullException.ThrowIfNull(md);
        md.AppendLine("## Paper anchors (Gait2Hip-60, their private data; for reference, not comparable numbers)").AppendLine()
          .AppendLine("| Setting | Output | RMSE | MAE | R² |")
          .AppendLine("| --- | --- | --- | --- | --- |")
          .AppendLine("| Healthy test, Transformer | Forces (N/kg) | 1.33 | 0.57 | 0.819 |")
          .AppendLine("| Healthy test, Transformer | Moments (N·m/kg) | 0.11 | 0.07 | 0.862 |")
          .AppendLine("| Zero-shot, 9 ONFH patients | Forces (N/kg) | – | – | 0.537 |")
          .AppendLine("| Zero-shot, 9 ONFH patients | Moments (N·m/kg) | – | – | 0.569 |")
          .AppendLine();
    }

    public static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
