using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Trainer.Reports;
using GaitStream.Training.Models;
using GaitStream.Training.Training;
using Spectre.Console;

namespace GaitStream.Trainer;

/// <summary>
/// <c>benchmark</c>: every architecture at every rate under one subject split and one budget, each scored on the test
/// subjects; then the best model — lowest validation loss, so the test subjects never choose — zero-shot on the
/// external cohort. Writes <c>report.json</c>, <c>report.md</c>, <c>curves.png</c>, <c>r2.png</c> and a model folder
/// (<c>rate100/transformer/model.pt</c> + <c>model.json</c>) per run, which <c>evaluate</c> takes.
/// </summary>
internal static class BenchmarkCommand
{
    public const int QuickEpochs = 3;
    public const int QuickStrideFrames = 4;

    private sealed record Entry(double RateHz, Architecture Architecture, string ModelDir, long Parameters, TrainingResult Result, MetricsReport Metrics);

    public static int Run(
        IAnsiConsole console, string datasetDir, IReadOnlyList<double> rates, IReadOnlyList<Architecture> architectures, PreprocessingOptions preprocessing,
        TrainSettings settings, bool quick, SplitFractions fractions, IReadOnlyList<string> externalCohorts, string outDir)
    {
        var clock = Stopwatch.StartNew();
        Dataset dataset = DatasetCatalog.Load(datasetDir);
        SubjectSplit split = ExperimentData.SplitSubjects(dataset, fractions, settings.Seed, externalCohorts);
        foreach (double rate in rates)
        {
            _ = settings.WindowFrames(rate);
        }
        console.MarkupLineInterpolated(
            $"[bold]{dataset.Manifest.Name}[/]: train {split.Train.Count}, validation {split.Validation.Count}, test {split.Test.Count}, external {split.External.Count} subjects (seed {split.Seed}); rates {string.Join(", ", rates)} Hz; {string.Join(", ", architectures)}; {settings.Epochs} epoch(s){(quick ? " (--quick)" : "")}.");

        var entries = new List<Entry>();
        var data = new Dictionary<double, ExperimentData>();
        TrainedModel? best = null;
        Entry? bestEntry = null;
        try
        {
            foreach (double rate in rates)
            {
                data[rate] = ExperimentData.Prepare(dataset, split, preprocessing with { SampleRateHz = rate });
                foreach (Architecture architecture in architectures)
                {
                    TrainedModel trained = ModelTraining.Train(console, dataset.Manifest.Name, data[rate], architecture, settings);
                    string relative = Path.Combine(string.Create(CultureInfo.InvariantCulture, $"rate{rate:0.#}"), architecture.ToString().ToLowerInvariant());
                    trained.Card.Save(Path.Combine(outDir, relative), trained.Model);
                    var entry = new Entry(rate, architecture, relative, trained.Card.Parameters, trained.Result, trained.Metrics);
                    entries.Add(entry);
                    if (bestEntry is null || IsBetter(entry, bestEntry))
                    {
                        best?.Dispose();
                        (best, bestEntry) = (trained, entry);
                    }
                    else
                    {
                        trained.Dispose();
                    }
                }
            }

            MetricsReport? zeroShot = null;
            if (split.External.Count > 0)
            {
                var predictor = new Predictor(best!.Model, best.Card.InputStatistics, best.Card.OutputStatistics, best.Card.EvaluationWindow);
                IReadOnlyList<PredictionSet> sets = predictor.PredictionSets(data[bestEntry!.RateHz].External);
                zeroShot = sets.Count > 0 ? ProtocolEvaluator.Evaluate(sets) : null;
            }
            clock.Stop();

            WriteConsoleSummary(console, entries, bestEntry!, zeroShot);
            var report = ToJson(dataset, split, settings, quick, entries, bestEntry!, zeroShot, clock.Elapsed);
            ReportJson.Write(Path.Combine(outDir, "report.json"), report);
            var md = ToMarkdown(dataset, split, settings, quick, rates, entries, bestEntry!, zeroShot, clock.Elapsed);
            TrainCommand.WriteCurves(md, outDir, best!.TestPredictions,
                string.Create(CultureInfo.InvariantCulture, $"{bestEntry!.Architecture} @ {bestEntry.RateHz:0.#} Hz (best)"));
            var groups = rates.Select(r => (Panel: string.Create(CultureInfo.InvariantCulture, $"{r:0.#} Hz test"),
                Models: (IReadOnlyList<(string, MetricsReport)>)[.. entries.Where(e => e.RateHz == r).Select(e => (e.Architecture.ToString(), e.Metrics))])).ToList();
            if (zeroShot is not null)
            {
                groups.Add(($"zero-shot ({string.Join(", ", split.ExternalCohorts)})", [($"{bestEntry.Architecture}", zeroShot)]));
            }
            ReportPlots.R2Bars(Path.Combine(outDir, "r2.png"), groups);
            md.AppendLine("![R² per kind and model](r2.png)").AppendLine();
            File.WriteAllText(Path.Combine(outDir, "report.md"), md.ToString());
            console.MarkupLineInterpolated($"Benchmark took {clock.Elapsed.TotalSeconds:0.0} s. Wrote [blue]{Path.Combine(outDir, "report.json")}[/], report.md, curves.png, r2.png.");
            return TrainerCli.ExitOk;
        }
        finally
        {
            best?.Dispose();
        }
    }

    /// <summary>Lowest validation loss (standardised MSE on the validation subjects); without validation subjects, lowest final training loss.</summary>
    private static bool IsBetter(Entry candidate, Entry incumbent)
    {
        double a = Criterion(candidate.Result);
        double b = Criterion(incumbent.Result);
        return a < b;
    }

    private static double Criterion(TrainingResult result) =>
        double.IsFinite(result.BestValidationLoss) ? result.BestValidationLoss : result.TrainLoss.Count > 0 ? 1e6 + result.TrainLoss[^1] : double.PositiveInfinity;

    private static string Loss(double value) => double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "–";

    private static string SelectionRule(Entry best) => double.IsFinite(best.Result.BestValidationLoss)
        ? "lowest validation loss (standardised last-frame MSE on the validation subjects); the test subjects play no part in the choice"
        : "lowest final training loss (the split has no validation subjects); the test subjects play no part in the choice";

    private static void WriteConsoleSummary(IAnsiConsole console, List<Entry> entries, Entry best, MetricsReport? zeroShot)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("rate", "model", "output", "subjects", "RMSE", "MAE", "R²", "val loss", "time (s)");
        foreach (Entry e in entries)
        {
            foreach (ChannelKind kind in ReportMarkdown.Kinds.Where(e.Metrics.Overall.ContainsKey))
            {
                KindSummary s = e.Metrics.Overall[kind];
                table.AddRow($"{e.RateHz.ToString("0.#", CultureInfo.InvariantCulture)} Hz", e == best ? $"[bold]{e.Architecture}[/] *" : e.Architecture.ToString(),
                    Markup.Escape(ReportMarkdown.KindLabel(kind)), s.Rmse.N.ToString(CultureInfo.InvariantCulture),
                    ReportMarkdown.Cell(s.Rmse, s.Rmse.N), ReportMarkdown.Cell(s.Mae, s.Rmse.N), ReportMarkdown.Cell(s.R2, s.Rmse.N),
                    Loss(e.Result.BestValidationLoss), e.Result.WallTime.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
            }
        }
        console.Write(table);
        console.MarkupLineInterpolated($"* best: {best.Architecture} @ {best.RateHz:0.#} Hz by {SelectionRule(best)}.");
        if (zeroShot is not null)
        {
            console.Write(MetricsTable.Overall(zeroShot, "zero-shot (external cohort)"));
        }
    }

    private static JsonObject ToJson(Dataset dataset, SubjectSplit split, TrainSettings settings, bool quick, List<Entry> entries, Entry best, MetricsReport? zeroShot, TimeSpan elapsed) => new()
    {
        ["format"] = "gaitstream-benchmark/1",
        ["command"] = "benchmark",
        ["dataset"] = dataset.Manifest.Name,
        ["dataset_root"] = dataset.Root,
        ["quick"] = quick,
        ["split"] = JsonSerializer.SerializeToNode(split, ProtocolJson.Options),
        ["budget"] = new JsonObject
        {
            ["epochs"] = settings.Epochs,
            ["early_stopping_patience"] = TrainingOptions.Default.EarlyStoppingPatience,
            ["batch_size"] = settings.BatchSize,
            ["learning_rate"] = settings.LearningRate,
            ["seed"] = settings.Seed,
            ["window_s"] = settings.WindowS,
            ["train_stride_frames"] = settings.StrideFrames,
            ["test_stride_frames"] = 1,
            ["threads"] = TorchSharp.torch.get_num_threads(),
        },
        ["rates"] = new JsonArray([.. entries.GroupBy(e => e.RateHz).Select(g => (JsonNode)new JsonObject
        {
            ["rate_hz"] = g.Key,
            ["window_frames"] = settings.WindowFrames(g.Key),
            ["models"] = new JsonArray([.. g.Select(e => (JsonNode)new JsonObject
            {
                ["architecture"] = e.Architecture.ToString(),
                ["model_dir"] = e.ModelDir.Replace('\\', '/'),
                ["parameters"] = e.Parameters,
                ["training"] = ReportJson.Training(e.Result, settings),
                ["training_time_s"] = Math.Round(e.Result.WallTime.TotalSeconds, 3),
                ["metrics"] = ReportJson.Metrics(e.Metrics),
            })]),
        })]),
        ["best"] = new JsonObject
        {
            ["rate_hz"] = best.RateHz,
            ["architecture"] = best.Architecture.ToString(),
            ["model_dir"] = best.ModelDir.Replace('\\', '/'),
            ["validation_loss"] = ReportJson.Number(best.Result.BestValidationLoss),
            ["selected_by"] = SelectionRule(best),
        },
        ["zero_shot"] = zeroShot is null ? null : new JsonObject
        {
            ["cohorts"] = new JsonArray([.. split.ExternalCohorts.Select(c => (JsonNode)c)]),
            ["subjects"] = new JsonArray([.. split.External.Select(c => (JsonNode)c)]),
            ["rate_hz"] = best.RateHz,
            ["architecture"] = best.Architecture.ToString(),
            ["metrics"] = ReportJson.Metrics(zeroShot),
        },
        ["total_time_s"] = Math.Round(elapsed.TotalSeconds, 3),
    };

    private static StringBuilder ToMarkdown(
        Dataset dataset, SubjectSplit split, TrainSettings settings, bool quick, IReadOnlyList<double> rates, List<Entry> entries, Entry best, MetricsReport? zeroShot, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"# Benchmark: {ReportMarkdown.Escape(dataset.Manifest.Name)}").AppendLine();
        if (dataset.Manifest.Provenance is string provenance)
        {
            md.AppendLine(c, $"{provenance}").AppendLine();
        }
        md.AppendLine(c, $"- Subjects (seed {split.Seed}, {split.Fractions.Train:0.##}/{split.Fractions.Validation:0.##}/{split.Fractions.Test:0.##}): train {split.Train.Count}, validation {split.Validation.Count} ({string.Join(", ", split.Validation)}), test {split.Test.Count} ({string.Join(", ", split.Test)}), external {split.External.Count}.")
          .AppendLine(c, $"- Same budget for every model: at most {settings.Epochs} epoch(s) (early stopping, patience {TrainingOptions.Default.EarlyStoppingPatience}), batch {settings.BatchSize}, peak lr {settings.LearningRate:g}, seed {settings.Seed}; causal windows of {settings.WindowS:0.###} s; training stride {settings.StrideFrames} frame(s){(quick ? " (--quick: a CI budget, not a result)" : "")}. Test metrics on every frame.")
          .AppendLine(c, $"- Metrics per test subject over all its frames, averaged over the channels of a kind, then mean ± SD over subjects.")
          .AppendLine(c, $"- Best model: **{best.Architecture} @ {best.RateHz:0.#} Hz**, by {SelectionRule(best)}.")
          .AppendLine(c, $"- Total time {elapsed.TotalSeconds:0.0} s, {TorchSharp.torch.get_num_threads()} libtorch thread(s).").AppendLine();

        bool anyCohorts = entries.Any(e => e.Metrics.PerCohort.Count > 1);
        foreach (double rate in rates)
        {
            Entry[] atRate = [.. entries.Where(e => e.RateHz == rate)];
            md.AppendLine(c, $"## {rate:0.#} Hz ({settings.WindowFrames(rate)}-frame windows)").AppendLine();
            foreach (ChannelKind kind in ReportMarkdown.Kinds.Where(k => atRate.Any(e => e.Metrics.Overall.ContainsKey(k))))
            {
                md.AppendLine(c, $"### {ReportMarkdown.KindLabel(kind)}").AppendLine()
                  .AppendLine("| Model | Params | n | RMSE | MAE | R² | Epochs | Val loss | Train time (s) |")
                  .AppendLine("| --- | ---: | ---: | --- | --- | --- | ---: | ---: | ---: |");
                foreach (Entry e in atRate.Where(e => e.Metrics.Overall.ContainsKey(kind)))
                {
                    KindSummary s = e.Metrics.Overall[kind];
                    md.AppendLine(c, $"| {e.Architecture}{(e == best ? " (best)" : "")} | {e.Parameters:N0} | {s.Rmse.N} | {ReportMarkdown.Cell(s.Rmse, s.Rmse.N)} | {ReportMarkdown.Cell(s.Mae, s.Rmse.N)} | {ReportMarkdown.Cell(s.R2, s.Rmse.N)} | {e.Result.EpochsRun} | {Loss(e.Result.BestValidationLoss)} | {e.Result.WallTime.TotalSeconds:0.0} |");
                }
                md.AppendLine();
            }
            md.AppendLine("### By condition").AppendLine()
              .AppendLine("| Model | Condition | Output | n | RMSE | MAE | R² |")
              .AppendLine("| --- | --- | --- | ---: | --- | --- | --- |");
            foreach (Entry e in atRate)
            {
                foreach ((string condition, IReadOnlyDictionary<ChannelKind, KindSummary> kinds) in e.Metrics.PerCondition)
                {
                    foreach (ChannelKind kind in ReportMarkdown.Kinds.Where(kinds.ContainsKey))
                    {
                        KindSummary s = kinds[kind];
                        md.AppendLine(c, $"| {e.Architecture} | {ReportMarkdown.Escape(condition)} | {ReportMarkdown.KindLabel(kind)} | {s.Rmse.N} | {ReportMarkdown.Cell(s.Rmse, s.Rmse.N)} | {ReportMarkdown.Cell(s.Mae, s.Rmse.N)} | {ReportMarkdown.Cell(s.R2, s.Rmse.N)} |");
                    }
                }
            }
            md.AppendLine();
            if (anyCohorts)
            {
                md.AppendLine("### By cohort").AppendLine()
                  .AppendLine("| Model | Cohort | Output | n | RMSE | MAE | R² |")
                  .AppendLine("| --- | --- | --- | ---: | --- | --- | --- |");
                foreach (Entry e in atRate)
                {
                    foreach ((string cohort, IReadOnlyDictionary<ChannelKind, KindSummary> kinds) in e.Metrics.PerCohort)
                    {
                        foreach (ChannelKind kind in ReportMarkdown.Kinds.Where(kinds.ContainsKey))
                        {
                            KindSummary s = kinds[kind];
                            md.AppendLine(c, $"| {e.Architecture} | {ReportMarkdown.Escape(cohort)} | {ReportMarkdown.KindLabel(kind)} | {s.Rmse.N} | {ReportMarkdown.Cell(s.Rmse, s.Rmse.N)} | {ReportMarkdown.Cell(s.Mae, s.Rmse.N)} | {ReportMarkdown.Cell(s.R2, s.Rmse.N)} |");
                        }
                    }
                }
                md.AppendLine();
            }
        }

        md.AppendLine("## Zero-shot (external cohort)").AppendLine();
        if (zeroShot is null)
        {
            md.AppendLine(split.ExternalCohorts.Count == 0
                ? "No external cohort: pass --external-cohort COHORT to hold one out of the split and score the best model on it without retraining."
                : "The external subjects have no trial as long as one window.").AppendLine();
        }
        else
        {
            md.AppendLine(c, $"{best.Architecture} @ {best.RateHz:0.#} Hz, never trained on cohort(s) {string.Join(", ", split.ExternalCohorts)} ({split.External.Count} subjects).").AppendLine()
              .AppendLine("| Output | n | RMSE | MAE | R² |")
              .AppendLine("| --- | ---: | --- | --- | --- |");
            foreach (ChannelKind kind in ReportMarkdown.Kinds.Where(zeroShot.Overall.ContainsKey))
            {
                KindSummary s = zeroShot.Overall[kind];
                md.AppendLine(c, $"| {ReportMarkdown.KindLabel(kind)} | {s.Rmse.N} | {ReportMarkdown.Cell(s.Rmse, s.Rmse.N)} | {ReportMarkdown.Cell(s.Mae, s.Rmse.N)} | {ReportMarkdown.Cell(s.R2, s.Rmse.N)} |");
            }
            md.AppendLine();
        }
        ReportMarkdown.AppendPaperAnchors(md);
        md.AppendLine("## Figures").AppendLine();
        return md;
    }
}
