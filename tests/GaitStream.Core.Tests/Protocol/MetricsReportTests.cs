using System.Text.Json;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;

namespace GaitStream.Core.Tests.Protocol;

public class MetricsReportTests
{
    [Fact]
    public void Markdown_has_a_row_per_kind_with_mean_and_sd_and_units()
    {
        MetricsReport report = ProtocolEvaluator.Evaluate(ProtocolEvaluatorTests.TwoSubjects());

        string md = report.ToMarkdown();

        // Values from ProtocolEvaluatorTests.Overall_is_mean_and_sample_sd_over_subjects, to three decimals:
        // 0.125√2 = 0.177, 0.2√2 = 0.283, 0.0625√2 = 0.088, 0.75√2 = 1.061.
        Assert.Contains("| Output | n | RMSE | MAE | R² |", md, StringComparison.Ordinal);
        Assert.Contains("| Forces (N/kg) | 2 | 0.750 ± 0.000 | 0.500 ± 0.177 | 0.300 ± 0.283 |", md, StringComparison.Ordinal);
        Assert.Contains("| Moments (N·m/kg) | 2 | 0.375 ± 0.177 | 0.188 ± 0.088 | -0.250 ± 1.061 |", md, StringComparison.Ordinal);
        Assert.Contains("| cadence_100 | Forces (N/kg) | 2 |", md, StringComparison.Ordinal);
        Assert.Contains("| healthy | Moments (N·m/kg) | 2 |", md, StringComparison.Ordinal);
        // Forces come before moments, as in the paper.
        Assert.True(md.IndexOf("Forces", StringComparison.Ordinal) < md.IndexOf("Moments", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_says_when_r2_was_taken_over_fewer_subjects()
    {
        List<PredictionSet> sets =
        [
            ProtocolEvaluatorTests.Set("A", "healthy", "c", "t1", [[1, 2, 3, 4]], [[1, 2, 3, 5]]),
            ProtocolEvaluatorTests.Set("B", "healthy", "c", "t1", [[3, 3, 3, 3]], [[3, 3, 3, 4]]),
        ];

        string md = ProtocolEvaluator.Evaluate(sets).ToMarkdown();

        Assert.Contains("| 0.800 ± 0.000 (n=1) |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_round_trips_through_json_including_undefined_r2()
    {
        List<PredictionSet> sets =
        [
            .. ProtocolEvaluatorTests.TwoSubjects(),
            ProtocolEvaluatorTests.Set("Z", "onfh", "cadence_80", "t1",
                [[3, 3, 3, 3], [3, 3, 3, 3], [1, 1, 1, 1], [1, 1, 1, 1]],
                [[3, 3, 3, 4], [3, 3, 3, 3], [1, 1, 1, 1], [1, 1, 1, 1]]),
        ];
        MetricsReport report = ProtocolEvaluator.Evaluate(sets);

        string json = JsonSerializer.Serialize(report, ProtocolJson.Options);
        MetricsReport? back = JsonSerializer.Deserialize<MetricsReport>(json, ProtocolJson.Options);

        Assert.NotNull(back);
        Assert.Contains("\"NaN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Force\"", json, StringComparison.Ordinal);
        Assert.True(double.IsNaN(back.PerSubject["Z"].PerKind[ChannelKind.Force].R2));
        Assert.Equal(report.Overall[ChannelKind.Moment], back.Overall[ChannelKind.Moment]);
        Assert.Equal(report.PerSubject["A"].PerChannel["glut_med_r"], back.PerSubject["A"].PerChannel["glut_med_r"]);
        Assert.Equal(report.PerCondition["cadence_80"][ChannelKind.Force], back.PerCondition["cadence_80"][ChannelKind.Force]);
        Assert.Equal(report.ChannelKinds, back.ChannelKinds);
        Assert.Equal(json, JsonSerializer.Serialize(back, ProtocolJson.Options));
        Assert.Equal(report.ToMarkdown(), back.ToMarkdown());
    }
}
