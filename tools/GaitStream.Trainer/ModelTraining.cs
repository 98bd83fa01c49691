using System.Globalization;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Training.Models;
using GaitStream.Trainer.Reports;
using GaitStream.Training.Training;
using Spectre.Console;
using TorchSharp;

namespace GaitStream.Trainer;

/// <summary>
/// Trains one architecture on a split dataset as the protocol says — z-scores from the training subjects only, early
/// stopping on the validation subjects, metrics on every frame of the test subjects — with a progress bar.
/// </summary>
internal static class ModelTraining
{
    public static TrainedModel Train(
        IAnsiConsole console, string datasetName, ExperimentData data, Architecture architecture, TrainSettings settings,
        string? checkpointPath = null, bool resume = false)
    {
        double rate = data.Preprocessing.SampleRateHz;
        int length = settings.WindowFrames(rate);
        var trainWindow = new WindowSpec(length, settings.StrideFrames);
        if (data.Train.Count == 0)
        {
            throw new ArgumentException("The split leaves no training subjects; change --split.");
        }
        (ZScoreStatistics inputs, ZScoreStatistics outputs) = WindowDataset.FitStatistics(data.Train);
        var train = new WindowDataset(data.Train, inputs, outputs, trainWindow);
        if (train.Count == 0)
        {
            string hint = data.Preprocessing.IncludeForces
                ? " Force references (e.g. CMC) often cover less time than the angles: --moments-only keeps whole trials, or shorten --window-s."
                : " Shorten --window-s.";
            throw new ArgumentException($"No training trial is as long as one {length}-frame window ({settings.WindowS} s at {rate} Hz) on the span where every reference exists.{hint}");
        }
        CheckSameOutputs(data, outputs);
        WindowDataset? validation = data.Validation.Count > 0 ? new WindowDataset(data.Validation, inputs, outputs, trainWindow) : null;
        if (validation is { Count: 0 })
        {
            validation = null;
        }
        var evaluation = new WindowDataset(data.Test, inputs, outputs, Predictor.EveryFrame(length));
        if (evaluation.Count == 0)
        {
            throw new ArgumentException(data.Split.Test.Count == 0
                ? $"The split gives no test subjects ({data.Split.Train.Count} train, {data.Split.Validation.Count} validation); change --split or use a dataset with more subjects."
                : $"No test trial is as long as one {length}-frame window.");
        }

        torch.manual_seed(settings.Seed);
        SequenceModel model = SequenceModel.Create(ModelConfig.Default(architecture, outputs.ChannelCount, length));
        var options = new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            Seed = settings.Seed,
            Device = settings.Device,
            CheckpointPath = checkpointPath,
        };
        string name = $"{architecture.ToString().ToLowerInvariant()} @ {rate.ToString("0.#", CultureInfo.InvariantCulture)} Hz";
        TrainingResult result = null!;
        try
        {
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    ProgressTask task = ctx.AddTask(Markup.Escape($"{name}: starting"), maxValue: 1);
                    double? lastValidation = null;
                    var progress = new SyncProgress<TrainingProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.TotalSteps);
                        task.Value = p.GlobalStep;
                        lastValidation = p.ValidationLoss ?? lastValidation;
                        // Steps come hundreds a second: refresh the text once per epoch start and end.
                        if (p.Phase != TrainingPhase.Step || p.Step == 1)
                        {
                            task.Description = Markup.Escape(Describe(name, p, lastValidation));
                        }
                    });
                    var trainer = new Training.Training.Trainer(options, progress);
                    result = resume && checkpointPath is not null && File.Exists(checkpointPath)
                        ? trainer.Resume(checkpointPath, model, train, validation)
                        : trainer.Fit(model, train, validation);
                    task.Value = task.MaxValue;
                });
            console.MarkupLineInterpolated(
                $"{name}: {result.EpochsRun} epoch(s), stop: {result.StopReason}, best epoch {result.BestEpoch} (validation loss {F(result.BestValidationLoss)}), {result.WallTime.TotalSeconds:0.0} s, {result.WindowsPerSecond:0} windows/s on {result.Device}.");

            var predictor = new Predictor(model, inputs, outputs, Predictor.EveryFrame(length));
            List<TrialPrediction> predictions = [.. data.Test.Select(predictor.Predict).Where(p => p.TargetFrames.Length > 0)];
            MetricsReport metrics = ProtocolEvaluator.Evaluate(predictions.Select(p => p.ToPredictionSet()));
            var card = new ModelCard(datasetName, model.Config, data.Preprocessing, inputs.ChannelNames, outputs.ChannelNames, inputs, outputs, data.Split, settings.Seed)
            {
                Parameters = model.ParameterCount(),
                Training = ReportJson.Training(result, settings),
                Metrics = metrics,
            };
            return new TrainedModel(model, card, result, predictions, metrics);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static void CheckSameOutputs(ExperimentData data, ZScoreStatistics outputs)
    {
        foreach (PreparedTrial trial in data.Validation.Concat(data.Test))
        {
            if (!trial.OutputChannels.SequenceEqual(outputs.ChannelNames, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Trial {trial.Labels.SubjectId}/{trial.Labels.Condition}/{trial.Labels.TrialId} has outputs [{string.Join(", ", trial.OutputChannels)}] but the training trials have " +
                    $"[{string.Join(", ", outputs.ChannelNames)}]; every trial needs the same references (--moments-only uses the moments alone).");
            }
        }
    }

    private static string Describe(string name, TrainingProgress p, double? lastValidation)
    {
        string eta = p.Eta is TimeSpan e ? $"{(int)e.TotalMinutes}:{e.Seconds:00}" : "–";
        string validation = lastValidation is double v ? F(v) : "–";
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}  epoch {p.Epoch}/{p.Epochs}  loss {F(p.Loss)}  val {validation}  lr {p.LearningRate:0.0e+0}  ETA {eta}");
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0000", CultureInfo.InvariantCulture);
}
