using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Trainer.Reports;
using GaitStream.Training.Models;
using Spectre.Console;

namespace GaitStream.Trainer;

/// <summary>
/// <c>train</c>: one architecture on one dataset under the protocol. Writes <c>model.pt</c> + <c>model.json</c>
/// (the model card's seed), <c>checkpoint.gsckpt</c> (for <c>--resume</c>), <c>report.json</c>, <c>report.md</c> and
/// <c>curves.png</c> into the output folder.
/// </summary>
internal static class TrainCommand
{
    public const string CheckpointFile = "checkpoint.gsckpt";

    public static int Run(
        IAnsiConsole console, string datasetDir, Architecture architecture, PreprocessingOptions preprocessing, TrainSettings settings,
        SplitFractions fractions, IReadOnlyList<string> externalCohorts, string outDir, bool resume)
    {
        Dataset dataset = DatasetCatalog.Load(datasetDir);
        SubjectSplit split = ExperimentData.SplitSubjects(dataset, fractions, settings.Seed, externalCohorts);
        ExperimentData data = ExperimentData.Prepare(dataset, split, preprocessing);
        console.MarkupLineInterpolated(
            $"[bold]{dataset.Manifest.Name}[/]: train {split.Train.Count}, validation {split.Validation.Count}, test {split.Test.Count}, external {split.External.Count} subjects (seed {split.Seed}); {preprocessing.SampleRateHz:0.#} Hz, {settings.WindowS:0.###} s windows.");

        string checkpoint = Path.Combine(outDir, CheckpointFile);
        if (resume && !File.Exists(checkpoint))
        {
            console.MarkupLineInterpolated($"[yellow]--resume: no checkpoint at {checkpoint}; starting afresh.[/]");
        }
        using TrainedModel trained = ModelTraining.Train(console, dataset.Manifest.Name, data, architecture, settings, checkpoint, resume);
        trained.Card.Save(outDir, trained.Model);
        console.Write(MetricsTable.Overall(trained.Metrics, $"{architecture} on {split.Test.Count} test subject(s)"));

        var report = new JsonObject
        {
            ["format"] = "gaitstream-train-report/1",
            ["command"] = "train",
            ["dataset"] = dataset.Manifest.Name,
            ["dataset_root"] = dataset.Root,
            ["architecture"] = architecture.ToString(),
            ["parameters"] = trained.Card.Parameters,
            ["sample_rate_hz"] = preprocessing.SampleRateHz,
            ["window_frames"] = trained.Card.Config.WindowFrames,
            ["evaluated_subjects"] = "test",
            ["split"] = JsonSerializer.SerializeToNode(split, ProtocolJson.Options),
            ["training"] = trained.Card.Training!.DeepClone(),
            ["metrics"] = ReportJson.Metrics(trained.Metrics),
        };
        ReportJson.Write(Path.Combine(outDir, "report.json"), report);

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {architecture} trained on {ReportMarkdown.Escape(dataset.Manifest.Name)}").AppendLine()
          .AppendLine(CultureInfo.InvariantCulture, $"- Split (seed {split.Seed}): train {string.Join(", ", split.Train)}; validation {string.Join(", ", split.Validation)}; test {string.Join(", ", split.Test)}.")
          .AppendLine(CultureInfo.InvariantCulture, $"- {preprocessing.SampleRateHz:0.#} Hz, causal windows of {trained.Card.Config.WindowFrames} frames, training stride {settings.StrideFrames}; test metrics on every frame.")
          .AppendLine(CultureInfo.InvariantCulture, $"- {trained.Result.EpochsRun} epoch(s) ({trained.Result.StopReason}), best epoch {trained.Result.BestEpoch}, {trained.Result.WallTime.TotalSeconds:0.0} s on {trained.Result.Device}; {trained.Card.Parameters:N0} parameters.")
          .AppendLine();
        md.AppendLine("# Test subjects").AppendLine().Append(trained.Metrics.ToMarkdown()).AppendLine();
        ReportMarkdown.AppendPaperAnchors(md);
        WriteCurves(md, outDir, trained.TestPredictions, $"{architecture}");
        File.WriteAllText(Path.Combine(outDir, "report.md"), md.ToString());
        console.MarkupLineInterpolated($"Wrote [blue]{Path.Combine(outDir, ModelCard.WeightsFile)}[/], {ModelCard.CardFile}, report.json, report.md.");
        return TrainerCli.ExitOk;
    }

    /// <summary>Plots the first trial of the first subject and links it from the markdown.</summary>
    internal static void WriteCurves(StringBuilder md, string outDir, IReadOnlyList<Training.Training.TrialPrediction> predictions, string model)
    {
        if (predictions.Count == 0)
        {
            return;
        }
        var first = predictions.OrderBy(p => p.Trial.Labels.SubjectId, StringComparer.Ordinal).First();
        var labels = first.Trial.Labels;
        string trial = labels.TrialId == labels.Condition ? $"{labels.SubjectId}/{labels.Condition}" : $"{labels.SubjectId}/{labels.Condition}/{labels.TrialId}";
        ReportPlots.Curves(Path.Combine(outDir, "curves.png"), first, $"{model}, {trial}");
        md.AppendLine(CultureInfo.InvariantCulture, $"![Estimated vs reference, {labels.SubjectId}/{labels.Condition}/{labels.TrialId}](curves.png)").AppendLine();
    }
}
