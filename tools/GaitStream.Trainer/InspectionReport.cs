using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;

namespace GaitStream.Trainer;

/// <summary>What <see cref="DatasetInspection"/> found; serialises to <c>inspect.json</c>.</summary>
public sealed record InspectionReport(
    string Dataset,
    string DatasetRoot,
    double SampleRateHz,
    int WindowFrames,
    int StrideFrames,
    double? AngleLowPassHz,
    SubjectSplit Split,
    ZScoreStatistics? InputZScore,
    IReadOnlyList<TrialSummary> Trials)
{
    public int TotalWindows => Trials.Sum(t => t.Windows);

    public int FailedTrials => Trials.Count(t => t.Error is not null);

    public string ToJson()
    {
        var node = new JsonObject
        {
            ["dataset"] = Dataset,
            ["dataset_root"] = DatasetRoot,
            ["sample_rate_hz"] = SampleRateHz,
            ["window_frames"] = WindowFrames,
            ["stride_frames"] = StrideFrames,
            ["angle_lowpass_hz"] = AngleLowPassHz,
            ["total_windows"] = TotalWindows,
            ["failed_trials"] = FailedTrials,
            ["split"] = JsonSerializer.SerializeToNode(Split, ProtocolJson.Options),
            ["input_zscore"] = InputZScore is null ? null : JsonNode.Parse(InputZScore.ToJson()),
            ["trials"] = JsonSerializer.SerializeToNode(Trials, ProtocolJson.Options),
        };
        return node.ToJsonString(ProtocolJson.Options);
    }
}
