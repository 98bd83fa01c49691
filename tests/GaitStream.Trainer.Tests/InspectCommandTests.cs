using System.Text.Json;
using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Tests;
using Spectre.Console;

namespace GaitStream.Trainer.Tests;

public sealed class InspectCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("gaitstream-inspect-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static (int Exit, string Text) Run(params string[] args) => CapturedConsole.Run(TrainerCli.Run, args);

    [Fact]
    public void Inspect_on_the_running_dataset_writes_a_report_whose_numbers_follow_the_protocol()
    {
        string dataset = RepoPaths.Shared("addbio-hamner2013-running");

        (int exit, string text) = Run("inspect", "--dataset", dataset, "--moments-only", "--rate", "100", "--split", "0.5,0.25,0.25", "--seed", "7", "--out", _out);

        Assert.True(exit == TrainerCli.ExitOk, text);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "inspect.json")));
        JsonElement root = report.RootElement;
        Assert.Equal(100, root.GetProperty("window_frames").GetInt32());
        JsonElement split = root.GetProperty("split");
        string[] train = [.. split.GetProperty("Train").EnumerateArray().Select(e => e.GetString()!)];
        string[] validation = [.. split.GetProperty("Validation").EnumerateArray().Select(e => e.GetString()!)];
        string[] test = [.. split.GetProperty("Test").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal((2, 1, 1), (train.Length, validation.Length, test.Length));
        Assert.Empty(train.Intersect(validation).Concat(train.Intersect(test)).Concat(validation.Intersect(test)));

        JsonElement[] trials = [.. root.GetProperty("trials").EnumerateArray()];
        Assert.Equal(8, trials.Length);
        Assert.All(trials, t => Assert.Equal(t.GetProperty("Frames").GetInt32() - 100 + 1, t.GetProperty("Windows").GetInt32()));
        Assert.Equal(trials.Sum(t => t.GetProperty("Windows").GetInt32()), root.GetProperty("total_windows").GetInt32());

        // The z-score statistics are the training subjects' alone: recompute them independently.
        Dataset ds = DatasetCatalog.Load(dataset);
        double[] hipFlexion = [.. ds.Trials.Where(t => train.Contains(t.SubjectId))
            .SelectMany(t => TrialPreprocessor.Prepare(ds.LoadTrial(t), new PreprocessingOptions { IncludeForces = false }).Inputs[0])];
        double mean = hipFlexion.Average();
        double sd = Math.Sqrt(hipFlexion.Average(v => (v - mean) * (v - mean)));
        var z = ZScoreStatistics.FromJson(File.ReadAllText(Path.Combine(_out, "zscore.json")));
        Assert.Equal(hipFlexion.Length, z.FrameCount);
        Assert.Equal(mean, z.Means[0], 9);
        Assert.Equal(sd, z.StandardDeviations[0], 9);
        Assert.Contains("Input z-score statistics fitted on the 2 training subject(s) only", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_without_arguments_uses_the_embedded_example_and_explains_why_it_has_no_window()
    {
        (int exit, string text) = Run("inspect", "--out", _out);

        Assert.True(exit == TrainerCli.ExitOk, text);
        Assert.Contains("gait2354-walk-example", text, StringComparison.Ordinal);
        Assert.Contains("0.83–1.19", text, StringComparison.Ordinal);
        Assert.Contains("--moments-only keeps the whole trial", text, StringComparison.Ordinal);
        Assert.Contains("6 M + 16 F (18 muscles absent)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_moments_only_on_the_embedded_example_yields_windows_over_the_whole_trial()
    {
        (int exit, string text) = Run("inspect", "--moments-only", "--out", _out);

        Assert.True(exit == TrainerCli.ExitOk, text);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "inspect.json")));
        // 0.40–1.60 s at 100 Hz = 121 frames; 1 s windows with stride 1: 121 − 100 + 1 = 22.
        Assert.Equal(22, report.RootElement.GetProperty("total_windows").GetInt32());
    }

    [Fact]
    public void A_broken_dataset_exits_2_with_the_file_and_line_of_each_problem()
    {
        Directory.CreateDirectory(Path.Combine(_out, "ds"));
        File.WriteAllText(Path.Combine(_out, "ds", "dataset.json"), """{ "name": "broken" }""");
        File.WriteAllText(Path.Combine(_out, "ds", "subjects.csv"), "subject_id,cohort,body_mass_kg\ns1,healthy,70000\n");
        File.WriteAllText(Path.Combine(_out, "ds", "trials.csv"), "subject_id,condition,trial,ik\ns1,walk,t1,s1/none.mot\n");

        (int exit, string text) = Run("inspect", "--dataset", Path.Combine(_out, "ds"));

        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("subjects.csv line 2 (s1): body_mass_kg 70000 is outside 20–300 kg.", text, StringComparison.Ordinal);
        Assert.Contains("trials.csv line 2 (s1/walk/t1): ik file 's1/none.mot' does not exist.", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--split", "0.5,0.5", "--split must be three fractions")]
    [InlineData("--split", "0.8,0.3,0.1", "Split fractions must sum to 1")]
    [InlineData("--rate", "5", "between 10 and 2000 Hz")]
    [InlineData("--dataset", "/no/such/folder", "Dataset folder not found")]
    [InlineData("--rate", "fast", "Cannot parse argument 'fast' for option '--rate'")]
    public void Bad_options_exit_2_with_a_message(string option, string value, string expected)
    {
        (int exit, string text) = Run("inspect", option, value, "--out", _out);

        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("error:", text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }
}
