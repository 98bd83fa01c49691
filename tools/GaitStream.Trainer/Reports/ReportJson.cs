using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Protocol;
using GaitStream.Training.Training;

namespace GaitStream.Trainer.Reports;

/// <summary>JSON pieces shared by the <c>report.json</c> of <c>train</c>, <c>evaluate</c> and <c>benchmark</c>.</summary>
internal static class ReportJson
{
    /// <summary>How a model was trained: the budget and what happened (loss curves, stop reason, time).</summary>
    public static JsonObject Training(TrainingResult result, TrainSettings settings) => new()
    {
        ["epochs"] = settings.Epochs,
        ["batch_size"] = settings.BatchSize,
        ["learning_rate"] = settings.LearningRate,
        ["seed"] = settings.Seed,
        ["window_s"] = settings.WindowS,
        ["stride_frames"] = settings.StrideFrames,
        ["threads"] = TorchSharp.torch.get_num_threads(),
        ["device"] = result.Device,
        ["epochs_run"] = result.EpochsRun,
        ["best_epoch"] = result.BestEpoch,
        ["best_validation_loss"] = Number(result.BestValidationLoss),
        ["stop_reason"] = result.StopReason.ToString(),
        ["global_steps"] = result.GlobalSteps,
        ["training_time_s"] = Math.Round(result.TrainingTime.TotalSeconds, 3),
        ["wall_time_s"] = Math.Round(result.WallTime.TotalSeconds, 3),
        ["windows_per_s"] = Number(Math.Round(result.WindowsPerSecond, 1)),
        ["train_loss"] = new JsonArray([.. result.TrainLoss.Select(v => Number(v))]),
        ["validation_loss"] = new JsonArray([.. result.ValidationLoss.Select(v => Number(v))]),
    };

    public static JsonNode? Metrics(MetricsReport report) => JsonSerializer.SerializeToNode(report, ProtocolJson.Options);

    /// <summary>A number, or null where it is undefined (JSON has no NaN).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static void Write(string path, JsonObject report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, report.ToJsonString(ProtocolJson.Options));
    }
}
