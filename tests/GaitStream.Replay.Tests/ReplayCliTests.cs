using System.Text.Json.Nodes;
using GaitStream.Tests;

namespace GaitStream.Replay.Tests;

public sealed class ReplayCliTests(ReplayFixture fixture) : IClassFixture<ReplayFixture>
{
    private static (int Exit, string Text, JsonNode? Report, string OutDir) Replay(params string[] args)
    {
        string outDir = Directory.CreateTempSubdirectory("gaitstream-replay-out-").FullName;
        (int exit, string text) = CapturedConsole.Run(ReplayCli.Run, [.. args, "--out", outDir]);
        string json = Path.Combine(outDir, "replay.json");
        return (exit, text, File.Exists(json) ? JsonNode.Parse(File.ReadAllText(json)) : null, outDir);
    }

    [Fact]
    public void Replay_metrics_equal_the_offline_evaluation_of_the_same_model()
    {
        (int exit, string text, JsonNode? report, string outDir) = Replay("--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--model", ReplayFixture.ModelName);
        Assert.True(exit == ReplayCli.ExitOk, text);
        JsonNode offline = JsonNode.Parse(File.ReadAllText(fixture.OfflineReport))!["metrics"]!;
        JsonNode streamed = report!["metrics"]!;

        int compared = 0;
        double worst = CompareLeaves(offline, streamed, "metrics", ref compared);
        Assert.True(worst <= 1e-4, $"largest difference {worst}");
        // 22 channels × 4 subjects × 3 metrics alone; the overall, condition and cohort summaries come on top.
        Assert.True(compared > 22 * 4 * 3, $"only {compared} numbers compared");
        Assert.Equal(22, report["channels"]!["evaluated"]!.AsArray().Count);
        Assert.Equal(2, report["metrics"]!["PerCohort"]!.AsObject().Count);
        Assert.True(File.Exists(Path.Combine(outDir, "latency.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "curves_H01_cad100_walk1.png")));
        Assert.Contains("## Delivery", File.ReadAllText(Path.Combine(outDir, "replay.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_loses_no_estimate_at_max_speed_with_16_concurrent_sessions()
    {
        (int exit, string text, JsonNode? report, _) = Replay("--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--speed", "max", "--concurrency", "16");
        Assert.True(exit == ReplayCli.ExitOk, text);
        JsonNode delivery = report!["delivery"]!;
        // 16 sessions cycle over the 4 trials of 300 frames; a 50-frame window leaves 49 warm-up frames per session.
        Assert.Equal(16 * 300, (long)delivery["frames_sent"]!);
        Assert.Equal(16 * 49, (long)delivery["warmup"]!);
        Assert.Equal(16 * (300 - 49), (long)delivery["expected"]!);
        Assert.Equal(16 * (300 - 49), (long)delivery["estimates_received"]!);
        Assert.Equal(0, (long)delivery["missing"]!);
        Assert.Equal(0, (long)delivery["duplicated"]!);
        Assert.Equal(0, (long)delivery["unexpected"]!);
        Assert.Equal(0, (long)delivery["lost"]!);
        Assert.Equal(16, report["sessions"]!.AsArray().Count);
        Assert.True((double)delivery["repeat_max_abs_diff_per_kg"]! < 1e-3, "repeats of a trial must give the same estimates");
        Assert.Equal(16 * (300 - 49), (long)report["latency_ms"]!["overall"]!["count"]!);
    }

    [Fact]
    public void Regression_mode_passes_on_the_same_model_and_fails_on_a_degraded_one()
    {
        (int exit, string text, _, string baselineDir) = Replay("--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--frames-per-message", "8");
        Assert.True(exit == ReplayCli.ExitOk, text);
        string baseline = Path.Combine(baselineDir, "replay.json");

        (exit, text, JsonNode? same, _) = Replay("--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--concurrency", "4",
            "--baseline", baseline, "--tolerance", "r2=0.01,rmse=5%,mae=5%");
        Assert.True(exit == ReplayCli.ExitOk, text);
        Assert.Contains("no regression", text, StringComparison.Ordinal);
        Assert.True((bool)same!["regression"]!["passed"]!);

        (exit, text, JsonNode? worse, _) = Replay("--dataset", fixture.Dataset, "--start-server", "--models", fixture.DegradedModelsDir,
            "--baseline", baseline, "--tolerance", "r2=0.01,rmse=5%");
        Assert.True(exit == ReplayCli.ExitRegression, text);
        Assert.Contains("overall/force/rmse", text, StringComparison.Ordinal);
        Assert.Contains("overall/moment/r2", text, StringComparison.Ordinal);
        Assert.False((bool)worse!["regression"]!["passed"]!);
        Assert.Contains(worse["regression"]!["rows"]!.AsArray(), r => (string)r!["metric"]! == "overall/force/rmse" && (bool)r["regressed"]!);
    }

    [Fact]
    public void A_bare_trial_scores_like_the_same_trial_in_its_dataset()
    {
        string dir = Path.Combine(fixture.Dataset, "H02", "cad100");
        (int exit, string text, JsonNode? bare, _) = Replay("--ik", Path.Combine(dir, "walk1_ik.mot"), "--id", Path.Combine(dir, "walk1_id.sto"),
            "--forces", Path.Combine(dir, "walk1_so_force.sto"), "--body-mass", "70.7", "--server", fixture.ServerUrl);
        Assert.True(exit == ReplayCli.ExitOk, text);
        (exit, text, JsonNode? listed, _) = Replay("--dataset", fixture.Dataset, "--subjects", "H02", "--server", fixture.ServerUrl);
        Assert.True(exit == ReplayCli.ExitOk, text);
        foreach (string metric in new[] { "overall/force/rmse", "overall/force/r2", "overall/moment/mae", "overall/moment/r2" })
        {
            Assert.Equal((double)listed!["summary"]![metric]!, (double)bare!["summary"]![metric]!, 9);
        }
    }

    [Fact]
    public void The_60_Hz_gait2354_example_is_resampled_online_and_scored_on_the_channels_both_sides_have()
    {
        (int exit, string text, JsonNode? report, _) = Replay("--dataset", Path.Combine(RepoPaths.RepoRoot, "data", "examples", "gait2354-walk"), "--server", fixture.ServerUrl);
        Assert.True(exit == ReplayCli.ExitOk, text);
        JsonNode delivery = report!["delivery"]!;
        // 73 IK frames at 60 Hz; the 50-frame window at 100 Hz spans 0.49 s, first covered at frame 30 (0.5 s; frame 29 is 0.4833 s).
        Assert.Equal(73, (long)delivery["frames_sent"]!);
        Assert.Equal(30, (long)delivery["warmup"]!);
        Assert.Equal(43, (long)delivery["estimates_received"]!);
        Assert.Equal(0, (long)delivery["lost"]!);
        Assert.Equal(1, report["sessions"]![0]!["warnings"]!["Resampling"]!.GetValue<int>());
        // gait2354 has no gluteus minimus: those two groups are not references; the other 20 channels are scored.
        Assert.Equal(["glut_min_r", "glut_min_l"], report["channels"]!["model_only"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(20, report["channels"]!["evaluated"]!.AsArray().Count);
        // CMC forces cover only part of the trial: fewer frames are scored than estimated.
        int scored = (int)report["trials"]![0]!["evaluated_frames"]!;
        Assert.InRange(scored, 1, 43);
        Assert.Contains("resampled online", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-dataset", "Dataset folder not found")]
    [InlineData("no-trials", "No trial of dataset")]
    [InlineData("bad-tolerance", "--tolerance")]
    [InlineData("unknown-model", "is not served")]
    [InlineData("bad-speed", "--speed")]
    public void Bad_input_exits_2_with_a_message(string kind, string message)
    {
        string baseline = Path.Combine(fixture.Root, "no-such-baseline.json");
        string[] args = kind switch
        {
            "missing-dataset" => ["--dataset", Path.Combine(fixture.Root, "nowhere"), "--server", fixture.ServerUrl],
            "no-trials" => ["--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--subjects", "H01", "--cohorts", "onfh"],
            "bad-tolerance" => ["--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--baseline", baseline, "--tolerance", "r2=lots"],
            "unknown-model" => ["--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--model", "no-such-model"],
            _ => ["--dataset", fixture.Dataset, "--server", fixture.ServerUrl, "--speed", "fast"],
        };
        (int exit, string text, JsonNode? report, _) = Replay(args);
        Assert.True(exit == ReplayCli.ExitBadInput, text);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Null(report);
    }

    [Fact]
    public void Unreachable_server_exits_3()
    {
        (int exit, string text, _, _) = Replay("--dataset", fixture.Dataset, "--server", "http://127.0.0.1:9");
        Assert.True(exit == ReplayCli.ExitServerFailure, text);
        Assert.Contains("did not answer", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Tolerance_parses_absolute_and_relative_allowances()
    {
        Tolerance t = Tolerance.Parse("r2=0.01, rmse=5%,p99=20%");
        Assert.Equal((0.01, false), t.Allowances["r2"]);
        Assert.Equal((0.05, true), t.Allowances["rmse"]);
        Assert.Equal((0.2, true), t.Allowances["p99"]);
        Assert.Throws<ReplayInputException>(() => Tolerance.Parse("latency=5%"));
        Assert.Throws<ReplayInputException>(() => Tolerance.Parse("r2=-1"));
        Assert.Throws<ReplayInputException>(() => Tolerance.Parse("r2=0.1,r2=0.2"));
    }

    [Fact]
    public void Regression_check_flags_only_worsening_beyond_the_tolerance()
    {
        var baseline = new Dictionary<string, double> { ["overall/force/r2"] = 0.80, ["overall/force/rmse"] = 1.00, ["latency/p99_ms"] = 10, ["overall/moment/mae"] = 0.1 };
        var current = new Dictionary<string, double> { ["overall/force/r2"] = 0.795, ["overall/force/rmse"] = 1.06, ["latency/p99_ms"] = 11.9 };
        IReadOnlyList<RegressionCheck.Row> rows = RegressionCheck.Compare(baseline, current, Tolerance.Parse("r2=0.01,rmse=5%,mae=5%,p99=20%"));
        Assert.False(rows.Single(r => r.Metric == "overall/force/r2").Regressed);       // 0.005 down, 0.01 allowed
        Assert.True(rows.Single(r => r.Metric == "overall/force/rmse").Regressed);      // 6 % up, 5 % allowed
        Assert.False(rows.Single(r => r.Metric == "latency/p99_ms").Regressed);         // 19 % up, 20 % allowed
        Assert.True(rows.Single(r => r.Metric == "overall/moment/mae").Regressed);      // missing in this run
    }

    [Fact]
    public void Latency_percentiles_are_nearest_rank()
    {
        LatencySummary s = LatencySummary.Of([.. Enumerable.Range(1, 100).Select(i => (double)i)]);
        Assert.Equal(50, s.P50Ms);
        Assert.Equal(95, s.P95Ms);
        Assert.Equal(99, s.P99Ms);
        Assert.Equal(100, s.MaxMs);
        Assert.Equal(50.5, s.MeanMs, 12);
    }

    private static double CompareLeaves(JsonNode expected, JsonNode? actual, string path, ref int compared)
    {
        Assert.NotNull(actual);
        switch (expected)
        {
            case JsonObject o:
                Assert.Equal(o.Select(p => p.Key).Order(StringComparer.Ordinal), actual.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
                double worst = 0;
                foreach ((string key, JsonNode? value) in o)
                {
                    worst = Math.Max(worst, value is null ? 0 : CompareLeaves(value, actual[key], $"{path}/{key}", ref compared));
                }
                return worst;
            case JsonArray a:
                Assert.Equal(a.Count, actual.AsArray().Count);
                double w = 0;
                for (int i = 0; i < a.Count; i++)
                {
                    w = Math.Max(w, a[i] is null ? 0 : CompareLeaves(a[i]!, actual[i], $"{path}[{i}]", ref compared));
                }
                return w;
            default:
                JsonValue v = expected.AsValue();
                if (v.TryGetValue(out double e))
                {
                    compared++;
                    double diff = Math.Abs(e - actual.GetValue<double>());
                    Assert.True(diff <= 1e-4, $"{path}: offline {e}, replay {actual}");
                    return diff;
                }
                Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
                return 0;
        }
    }
}
