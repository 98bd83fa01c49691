using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Synth.Cohort;
using GaitStream.Tests;
using GaitStream.Training.Training;
using Spectre.Console;

namespace GaitStream.Trainer.Tests;

/// <summary>
/// train, benchmark and evaluate end to end on the real running data (4 subjects, moments only). One class, so the
/// trainings run one after another: torch's generator and thread pool are process-wide.
/// </summary>
public sealed class TrainBenchmarkEvaluateTests : IDisposable
{
    // 2 / 1 / 1 subjects: a validation subject for early stopping and model selection, a test subject for metrics.
    private static readonly string[] Split = ["--split", "0.5,0.25,0.25", "--seed", "7"];

    private readonly string _out = Directory.CreateTempSubdirectory("gaitstream-trainer-").FullName;

    private static string Running => RepoPaths.Shared("addbio-hamner2013-running");

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static (int Exit, string Text) Run(params string[] args) => CapturedConsole.Run(TrainerCli.Run, args);

    [Fact]
    public void Benchmark_quick_reports_the_metrics_the_predictor_gives_on_each_saved_model()
    {
        string dir = Path.Combine(_out, "bench");
        (int exit, string text) = Run(["benchmark", "--dataset", Running, "--moments-only", "--rates", "100", "--quick", .. Split, "--out", dir]);

        Assert.True(exit == TrainerCli.ExitOk, text);
        JsonNode report = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        Assert.True(report["quick"]!.GetValue<bool>());
        Assert.Equal(["subject04"], report["split"]!["Test"]!.AsArray().Select(n => n!.GetValue<string>()));
        JsonArray models = report["rates"]![0]!["models"]!.AsArray();
        Assert.Equal(["Lstm", "Transformer", "Mamba"], models.Select(m => m!["architecture"]!.GetValue<string>()));

        Dataset dataset = DatasetCatalog.Load(Running);
        foreach (JsonNode? entry in models)
        {
            // Rebuild the model from its folder and score the test subject independently of the benchmark code.
            string modelDir = Path.Combine(dir, entry!["model_dir"]!.GetValue<string>());
            ModelCard card = ModelCard.Load(modelDir);
            using var model = card.LoadModel(modelDir);
            var predictor = new Predictor(model, card.InputStatistics, card.OutputStatistics, Predictor.EveryFrame(100));
            PreparedTrial[] test = [.. dataset.Trials.Where(t => t.SubjectId == "subject04")
                .Select(t => TrialPreprocessor.Prepare(dataset.LoadTrial(t), new PreprocessingOptions { IncludeForces = false }))];
            MetricsReport expected = predictor.Evaluate(test);

            JsonNode actual = entry["metrics"]!;
            Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(expected, ProtocolJson.Options), actual), $"{entry["architecture"]}: {actual}");
            Assert.Equal(expected.Overall[ChannelKind.Moment].R2.Mean, actual["Overall"]!["Moment"]!["R2"]!["Mean"]!.GetValue<double>());
            Assert.Null(actual["Overall"]!["Force"]);
            Assert.Equal(["run200", "run400"], actual["PerCondition"]!.AsObject().Select(p => p.Key));
            Assert.Equal(BenchmarkCommand.QuickEpochs, entry["training"]!["epochs_run"]!.GetValue<int>());
            Assert.Equal(BenchmarkCommand.QuickStrideFrames, entry["training"]!["stride_frames"]!.GetValue<int>());
            Assert.True(entry["training_time_s"]!.GetValue<double>() > 0);
        }
        Assert.Contains(report["best"]!["architecture"]!.GetValue<string>(), new[] { "Lstm", "Transformer", "Mamba" });
        Assert.StartsWith("lowest validation loss", report["best"]!["selected_by"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(report["zero_shot"]);

        string md = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Contains("## 100 Hz (100-frame windows)", md, StringComparison.Ordinal);
        Assert.Contains("### Moments (N·m/kg)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("### Forces", md, StringComparison.Ordinal);
        Assert.Contains("| Model | Params | n | RMSE | MAE | R² | Epochs | Val loss | Train time (s) |", md, StringComparison.Ordinal);
        Assert.Contains("| Mamba | run400 | Moments (N·m/kg) | 1 |", md, StringComparison.Ordinal);
        Assert.Contains("| Healthy test, Transformer | Moments (N·m/kg) | 0.11 | 0.07 | 0.862 |", md, StringComparison.Ordinal);
        Assert.Contains("No external cohort", md, StringComparison.Ordinal);

        // 6 moment channels: 2 × 3 panels of curves; one R² panel for the one rate.
        Assert.Equal((3 * 400, 2 * 260), PngSize(Path.Combine(dir, "curves.png")));
        Assert.Equal((460, 340), PngSize(Path.Combine(dir, "r2.png")));
    }

    [Fact]
    public void Train_then_evaluate_gives_identical_metrics_and_the_validation_loss_falls()
    {
        string model = Path.Combine(_out, "model");
        (int exit, string text) = Run(["train", "--dataset", Running, "--moments-only", "--arch", "transformer", "--epochs", "4", "--stride-frames", "4", .. Split, "--out", model]);
        Assert.True(exit == TrainerCli.ExitOk, text);

        JsonNode trained = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "report.json")))!;
        double[] validation = [.. trained["training"]!["validation_loss"]!.AsArray().Select(v => v!.GetValue<double>())];
        Assert.Equal(4, validation.Length);
        Assert.True(validation[^1] < 0.9 * validation[0], string.Join(", ", validation));

        JsonNode card = JsonNode.Parse(File.ReadAllText(Path.Combine(model, ModelCard.CardFile)))!;
        Assert.Equal("Transformer", card["architecture"]!.GetValue<string>());
        Assert.Equal(ChannelSchema.InputAngles, card["inputs"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.All(card["inputs"]!.AsArray(), c => Assert.Equal("deg", c!["unit"]!.GetValue<string>()));
        Assert.Equal(ChannelSchema.HipMoments, card["outputs"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.All(card["outputs"]!.AsArray(), c => Assert.Equal("N·m/kg", c!["unit"]!.GetValue<string>()));
        Assert.Equal(100, card["window"]!["frames"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(trained["metrics"], card["metrics"]));
        Assert.True(File.Exists(Path.Combine(model, TrainCommand.CheckpointFile)));

        string evaluated = Path.Combine(_out, "evaluate");
        (exit, text) = Run("evaluate", "--model", model, "--dataset", Running, "--out", evaluated);
        Assert.True(exit == TrainerCli.ExitOk, text);
        JsonNode report = JsonNode.Parse(File.ReadAllText(Path.Combine(evaluated, "report.json")))!;
        Assert.Equal("the model's test", report["evaluated_subjects"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(trained["metrics"], report["metrics"]), $"{trained["metrics"]}\n{report["metrics"]}");
        Assert.Contains("## By condition", File.ReadAllText(Path.Combine(evaluated, "report.md")), StringComparison.Ordinal);

        // A bare trial without the reference the model estimates is bad input, not a crash.
        string ik = Path.Combine(Running, "subject01", "run200_ik.mot");
        (exit, text) = Run("evaluate", "--model", model, "--ik", ik, "--body-mass", "72.94", "--out", evaluated);
        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("lacks references for 6 of the model's 6 output channels", text, StringComparison.Ordinal);

        // The same trial with its ID file: one subject, the card's preprocessing.
        (exit, text) = Run("evaluate", "--model", model, "--ik", ik, "--id", Path.Combine(Running, "subject01", "run200_id.sto"), "--body-mass", "72.94", "--out", evaluated);
        Assert.True(exit == TrainerCli.ExitOk, text);
        report = JsonNode.Parse(File.ReadAllText(Path.Combine(evaluated, "report.json")))!;
        Assert.Equal(1, report["metrics"]!["Overall"]!["Moment"]!["Rmse"]!["N"]!.GetValue<int>());

        // Weights that do not fit the card.
        File.WriteAllBytes(Path.Combine(model, ModelCard.WeightsFile), [1, 2, 3]);
        (exit, text) = Run("evaluate", "--model", model, "--dataset", Running, "--out", evaluated);
        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("model.pt", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_moments_and_forces_model_is_scored_on_the_moments_of_a_bare_ik_and_id_trial()
    {
        string cohort = Path.Combine(_out, "cohort");
        new CohortGenerator(RepoPaths.OpenSimReference(), new CohortOptions { Healthy = 4, Pathological = 0, Cadences = 1, Seconds = 3, Seed = 3 }).Generate(cohort);
        string model = Path.Combine(_out, "model");
        (int exit, string text) = Run(["train", "--dataset", cohort, "--arch", "lstm", "--epochs", "1", "--stride-frames", "8", .. Split, "--threads", "1", "--device", "cpu", "--out", model]);
        Assert.True(exit == TrainerCli.ExitOk, text);

        Dataset dataset = DatasetCatalog.Load(cohort);
        TrialInfo trial = dataset.Trials[0];
        string mass = dataset.Subject(trial.SubjectId).BodyMassKg.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string ik = Path.Combine(cohort, trial.IkPath), id = Path.Combine(cohort, trial.IdPath!), forces = Path.Combine(cohort, trial.ForcesPath!);

        // IK + ID only: the six moments are scored, the sixteen forces have no reference and are left out.
        string momentsOnly = Path.Combine(_out, "moments-only");
        (exit, text) = Run("evaluate", "--model", model, "--ik", ik, "--id", id, "--body-mass", mass, "--out", momentsOnly);
        Assert.True(exit == TrainerCli.ExitOk, text);
        JsonNode metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(momentsOnly, "report.json")))!["metrics"]!;
        Assert.Equal(ChannelSchema.HipMoments, metrics["ChannelNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Null(metrics["Overall"]!["Force"]);
        Assert.Contains("Scored on the 6 of the model's 22 outputs", File.ReadAllText(Path.Combine(momentsOnly, "report.md")), StringComparison.Ordinal);

        // With the force file as well every output is scored, and the moments score exactly as before.
        string all = Path.Combine(_out, "all");
        (exit, text) = Run("evaluate", "--model", model, "--ik", ik, "--id", id, "--forces", forces, "--body-mass", mass, "--out", all);
        Assert.True(exit == TrainerCli.ExitOk, text);
        JsonNode full = JsonNode.Parse(File.ReadAllText(Path.Combine(all, "report.json")))!["metrics"]!;
        Assert.Equal(22, full["ChannelNames"]!.AsArray().Count);
        Assert.NotNull(full["Overall"]!["Force"]);
        Assert.True(JsonNode.DeepEquals(full["Overall"]!["Moment"], metrics["Overall"]!["Moment"]), $"{full["Overall"]!["Moment"]}\n{metrics["Overall"]!["Moment"]}");
    }

    [Theory]
    [InlineData("Model folder not found", "evaluate", "--model", "/no/such/model", "--dataset", "data/examples/gait2354-walk")]
    [InlineData("has no model.json", "evaluate", "--model", "{out}", "--dataset", "data/examples/gait2354-walk")]
    [InlineData("not both and not neither", "evaluate", "--model", "/no/such/model")]
    [InlineData("not both and not neither", "evaluate", "--model", "/no/such/model", "--dataset", "data/examples/gait2354-walk", "--ik", "a.mot")]
    [InlineData("--ik needs --body-mass", "evaluate", "--model", "/no/such/model", "--ik", "a.mot")]
    [InlineData("'gru' is not an architecture", "train", "--arch", "gru")]
    [InlineData("between 10 and 2000 Hz", "benchmark", "--rates", "100,5")]
    [InlineData("--stride-frames must be at least 1; got 0", "benchmark", "--stride-frames", "0")]
    [InlineData("is not a cohort of dataset", "train", "--external-cohort", "onfh")]
    [InlineData("No training trial is as long as one 100-frame window", "train", "--epochs", "1", "--split", "1,0,0")]
    public void Bad_input_exits_2_with_a_message(string expected, params string[] args)
    {
        string[] resolved = [.. args.Select(a => a == "{out}" ? _out : a.StartsWith("data/", StringComparison.Ordinal) ? Path.Combine(RepoPaths.RepoRoot, a) : a), "--out", Path.Combine(_out, "o")];
        (int exit, string text) = Run(resolved);

        Assert.True(exit == TrainerCli.ExitBadInput, text);
        Assert.Contains("error:", text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_model_folder_exits_2_naming_what_is_wrong()
    {
        string model = Path.Combine(_out, "m");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, ModelCard.CardFile), "{}");
        File.WriteAllBytes(Path.Combine(model, ModelCard.WeightsFile), []);

        (int exit, string text) = Run("evaluate", "--model", model, "--dataset", Running, "--out", _out);
        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("format is '(none)'", text, StringComparison.Ordinal);

        File.Delete(Path.Combine(model, ModelCard.WeightsFile));
        (exit, text) = Run("evaluate", "--model", model, "--dataset", Running, "--out", _out);
        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("has model.json but no model.pt", text, StringComparison.Ordinal);
    }

    private static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
