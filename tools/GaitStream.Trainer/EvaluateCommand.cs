using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Trainer.Reports;
using GaitStream.Training.Training;
using Spectre.Console;

namespace GaitStream.Trainer;

/// <summary>
/// <c>evaluate</c>: a trained model (a <c>train</c> output folder or a <c>benchmark</c> model folder) on a dataset or on
/// one bare OpenSim trial, preprocessed exactly as its card says, scored with the protocol's metrics.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Which subjects of a dataset to score.</summary>
    public enum SubjectSelection
    {
        /// <summary>The model's test subjects when the dataset is the one it was trained on, else every subject.</summary>
        Auto,
        All,
        Test,
        External,
    }

    public sealed record Source(string? DatasetDir, string? IkPath, string? IdPath, string? ForcesPath, double? BodyMassKg, SubjectSelection Subjects)
    {
        public void Validate()
        {
            if ((IkPath is null) == (DatasetDir is null))
            {
                throw new ArgumentException("Pass either --dataset DIR or --ik FILE (with --id / --forces and --body-mass), not both and not neither.");
            }
            if (DatasetDir is not null && (IdPath is not null || ForcesPath is not null || BodyMassKg is not null))
            {
                throw new ArgumentException("--id, --forces and --body-mass go with --ik (a bare trial); a dataset lists its own files and masses.");
            }
            if (IkPath is not null && BodyMassKg is null)
            {
                throw new ArgumentException("--ik needs --body-mass KG (references are normalised by body mass).");
            }
        }
    }

    public static int Run(IAnsiConsole console, string modelDir, Source source, string outDir)
    {
        ArgumentNullException.ThrowIfNull(source);
        source.Validate();
        ModelCard card = ModelCard.Load(modelDir);
        PreprocessingOptions preprocessing = card.PreprocessingForOutputs;
        (List<PreparedTrial> trials, string description, string evaluated) = LoadTrials(card, source, preprocessing);
        // A bare trial is scored on the references it brings: a moments-and-forces model on an IK + ID pair (no
        // muscle-force file, e.g. a lab without static optimization) gets moment metrics only. Dataset trials must
        // carry every output, as in training.
        List<IReadOnlyList<string>> scored = [];
        for (int i = 0; i < trials.Count; i++)
        {
            if (source.IkPath is not null)
            {
                (trials[i], IReadOnlyList<string> present) = PadMissingReferences(card, trials[i]);
                scored.Add(present);
            }
            CheckChannels(card, trials[i]);
        }

        using var model = card.LoadModel(modelDir);
        var predictor = new Predictor(model, card.InputStatistics, card.OutputStatistics, card.EvaluationWindow);
        List<TrialPrediction> predictions = [.. trials.Select(predictor.Predict).Where(p => p.TargetFrames.Length > 0)];
        if (scored.Count > 0)
        {
            predictions = [.. predictions.Select(p => OnlyChannels(p, scored[0]))];
        }
        if (predictions.Count == 0)
        {
            throw new ArgumentException(
                $"No trial is as long as the model's {card.Config.WindowFrames}-frame window ({card.Config.WindowFrames / preprocessing.SampleRateHz:0.###} s at {preprocessing.SampleRateHz:0.#} Hz) on the span where its references exist.");
        }
        MetricsReport metrics = ProtocolEvaluator.Evaluate(predictions.Select(p => p.ToPredictionSet()));
        console.MarkupLineInterpolated($"{card.Config.Architecture} ({card.Dataset}, {preprocessing.SampleRateHz:0.#} Hz) on {description}: {predictions.Count} trial(s), {evaluated} subjects.");
        console.Write(MetricsTable.Overall(metrics));

        Directory.CreateDirectory(outDir);
        var report = new JsonObject
        {
            ["format"] = "gaitstream-evaluate-report/1",
            ["command"] = "evaluate",
            ["model"] = new JsonObject
            {
                ["dir"] = Path.GetFullPath(modelDir),
                ["architecture"] = card.Config.Architecture.ToString(),
                ["trained_on"] = card.Dataset,
                ["sample_rate_hz"] = preprocessing.SampleRateHz,
                ["window_frames"] = card.Config.WindowFrames,
            },
            ["data"] = description,
            ["evaluated_subjects"] = evaluated,
            ["trials"] = new JsonArray([.. predictions.Select(p => (JsonNode)$"{p.Trial.Labels.SubjectId}/{p.Trial.Labels.Condition}/{p.Trial.Labels.TrialId}")]),
            ["metrics"] = ReportJson.Metrics(metrics),
        };
        ReportJson.Write(Path.Combine(outDir, "report.json"), report);

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {card.Config.Architecture} (trained on {ReportMarkdown.Escape(card.Dataset)}) evaluated on {ReportMarkdown.Escape(description)}").AppendLine()
          .AppendLine(CultureInfo.InvariantCulture, $"- Subjects: {evaluated}; {predictions.Count} trial(s); {preprocessing.SampleRateHz:0.#} Hz, causal windows of {card.Config.WindowFrames} frames, every frame estimated.")
          .AppendLine("- Z-score statistics and preprocessing from the model card (fitted on its training subjects only).");
        if (scored.Count > 0 && scored[0].Count < card.OutputChannels.Count)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- Scored on the {scored[0].Count} of the model's {card.OutputChannels.Count} outputs the trial has references for ({string.Join(", ", scored[0])}).");
        }
        md.AppendLine();
        md.Append(metrics.ToMarkdown()).AppendLine();
        ReportMarkdown.AppendPaperAnchors(md);
        TrainCommand.WriteCurves(md, outDir, predictions, card.Config.Architecture.ToString());
        File.WriteAllText(Path.Combine(outDir, "report.md"), md.ToString());
        console.MarkupLineInterpolated($"Wrote [blue]{Path.Combine(outDir, "report.json")}[/], report.md, curves.png.");
        return TrainerCli.ExitOk;
    }

    private static (List<PreparedTrial> Trials, string Description, string Evaluated) LoadTrials(ModelCard card, Source source, PreprocessingOptions preprocessing)
    {
        if (source.DatasetDir is not null)
        {
            Dataset dataset = DatasetCatalog.Load(source.DatasetDir!);
            bool own = string.Equals(dataset.Manifest.Name, card.Dataset, StringComparison.Ordinal);
            SubjectSelection selection = source.Subjects == SubjectSelection.Auto ? (own ? SubjectSelection.Test : SubjectSelection.All) : source.Subjects;
            if (selection is SubjectSelection.Test or SubjectSelection.External && !own)
            {
                throw new ArgumentException($"--subjects {selection.ToString().ToLowerInvariant()} needs the dataset the model was trained on ('{card.Dataset}'); this is '{dataset.Manifest.Name}'.");
            }
            HashSet<string> subjects = selection switch
            {
                SubjectSelection.Test => [.. card.Split.Test],
                SubjectSelection.External => [.. card.Split.External],
                _ => [.. dataset.Subjects.Select(s => s.SubjectId)],
            };
            if (subjects.Count == 0)
            {
                throw new ArgumentException($"The model's split has no {selection.ToString().ToLowerInvariant()} subjects; use --subjects all.");
            }
            List<PreparedTrial> trials = [.. dataset.Trials.Where(t => subjects.Contains(t.SubjectId)).Select(t => ExperimentData.PrepareOne(dataset, t, preprocessing))];
            string evaluated = selection switch
            {
                SubjectSelection.Test => "the model's test",
                SubjectSelection.External => "the model's external",
                _ => "all",
            };
            return (trials, $"dataset {dataset.Manifest.Name}", evaluated);
        }

        TrialData trial = TrialLoader.LoadBare(source.IkPath!, source.IdPath, source.ForcesPath, source.BodyMassKg!.Value);
        return ([TrialPreprocessor.Prepare(trial, preprocessing)], $"trial {Path.GetFileName(source.IkPath)}", "1");
    }

    /// <summary>
    /// The trial with the model's output channels, those it has no reference for filled with NaN so the predictor can
    /// run, and the names of those it has. Throws when it has none of them.
    /// </summary>
    private static (PreparedTrial Trial, IReadOnlyList<string> Present) PadMissingReferences(ModelCard card, PreparedTrial trial)
    {
        string[] present = [.. card.OutputChannels.Where(c => trial.OutputChannels.Contains(c, StringComparer.Ordinal))];
        if (present.Length == card.OutputChannels.Count || present.Length == 0)
        {
            return (trial, present);
        }
        double[][] outputs = [.. card.OutputChannels.Select(c =>
        {
            int i = IndexOf(trial.OutputChannels, c);
            return i >= 0 ? trial.Outputs[i] : Enumerable.Repeat(double.NaN, trial.FrameCount).ToArray();
        })];
        return (trial with { OutputChannels = card.OutputChannels, Outputs = outputs }, present);
    }

    /// <summary>The prediction restricted to <paramref name="channels"/> (scored channels only).</summary>
    private static TrialPrediction OnlyChannels(TrialPrediction prediction, IReadOnlyList<string> channels)
    {
        if (channels.Count == prediction.Trial.OutputChannels.Count)
        {
            return prediction;
        }
        int[] keep = [.. channels.Select(c => IndexOf(prediction.Trial.OutputChannels, c))];
        PreparedTrial trial = prediction.Trial with
        {
            OutputChannels = channels,
            Outputs = [.. keep.Select(i => prediction.Trial.Outputs[i])],
        };
        return new TrialPrediction(trial, prediction.TargetFrames, [.. keep.Select(i => prediction.Reference[i])], [.. keep.Select(i => prediction.Predicted[i])]);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static void CheckChannels(ModelCard card, PreparedTrial trial)
    {
        string where = $"Trial {trial.Labels.SubjectId}/{trial.Labels.Condition}/{trial.Labels.TrialId}";
        if (!trial.InputChannels.SequenceEqual(card.InputChannels, StringComparer.Ordinal))
        {
            throw new ArgumentException($"{where} has inputs [{string.Join(", ", trial.InputChannels)}]; the model takes [{string.Join(", ", card.InputChannels)}].");
        }
        if (!trial.OutputChannels.SequenceEqual(card.OutputChannels, StringComparer.Ordinal))
        {
            string[] missing = [.. card.OutputChannels.Except(trial.OutputChannels, StringComparer.Ordinal)];
            throw new ArgumentException(
                $"{where} lacks references for {missing.Length} of the model's {card.OutputChannels.Count} output channels ({string.Join(", ", missing)}): " +
                "metrics need the reference the model estimates (an ID file for moments, a muscle-force file for forces).");
        }
    }
}
