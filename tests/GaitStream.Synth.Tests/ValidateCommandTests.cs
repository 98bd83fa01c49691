using System.Buffers.Binary;
using System.Text.Json;
using GaitStream.Tests;
using Spectre.Console;

namespace GaitStream.Synth.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("gaitstream-validate-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private static (int Exit, string Text) Run(params string[] args) => CapturedConsole.Run(SynthCli.Run, args);

    [Fact]
    public void Validate_writes_a_json_entry_per_comparison_with_every_target_met_and_a_figure()
    {
        (int exit, string text) = Run("validate", "--reference", RepoPaths.OpenSimReference(), "--out", _out);

        Assert.True(exit == SynthCli.ExitOk, text);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "validation.json")));
        JsonElement root = json.RootElement;
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
        JsonElement[] entries = [.. root.GetProperty("entries").EnumerateArray()];
        // Inverse dynamics with measured GRF: r, RMSE and peak ratio for hip (3 DOF), knee and ankle on both sides.
        JsonElement[] id = [.. entries.Where(e => e.GetProperty("comparison").GetString() == "inverse_dynamics_measured_grf")];
        Assert.Equal(30, id.Length);
        JsonElement peak = id.Single(e => e.GetProperty("channel").GetString() == "hip_flexion_l_moment" && e.GetProperty("metric").GetString() == "peak_ratio");
        Assert.InRange(peak.GetProperty("value").GetDouble(), 0.98, 1.02); // same physics as OpenSim: same peaks (measured 1.010)
        JsonElement hipFlexionR = id.Single(e => e.GetProperty("channel").GetString() == "hip_flexion_r_moment" && e.GetProperty("metric").GetString() == "pearson_r");
        Assert.Equal(0.95, hipFlexionR.GetProperty("target").GetDouble());
        Assert.Equal(">=", hipFlexionR.GetProperty("comparator").GetString());
        Assert.True(hipFlexionR.GetProperty("value").GetDouble() > 0.999);
        Assert.True(hipFlexionR.GetProperty("passed").GetBoolean());
        JsonElement kneeRmse = id.Single(e => e.GetProperty("channel").GetString() == "knee_angle_l_moment" && e.GetProperty("metric").GetString() == "rmse");
        Assert.Equal(JsonValueKind.Null, kneeRmse.GetProperty("target").ValueKind);
        Assert.True(kneeRmse.GetProperty("value").GetDouble() < 0.01);

        string png = Path.Combine(_out, "inverse_dynamics_measured_grf.png");
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        // IHDR: width and height, big-endian, at bytes 16–23: a 2 × 5 grid of 420 × 300 panels.
        Assert.Equal(2100, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(600, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
        Assert.Contains("![inverse_dynamics_measured_grf](inverse_dynamics_measured_grf.png)", File.ReadAllText(Path.Combine(_out, "validation.md")), StringComparison.Ordinal);
        // The Biomech issue's targets: 10 for ID with plates, 4 GRF + 2 hip flexion with estimated GRF, 6 SO groups,
        // and no reserve torque above 1 N·m in static optimization.
        Assert.Equal(23, root.GetProperty("judged").GetInt32());
        Assert.Contains("23 of 23 targets met", text, StringComparison.Ordinal);
        string[] comparisons = [.. entries.Select(e => e.GetProperty("comparison").GetString()!).Distinct()];
        Assert.Equal(["inverse_dynamics_measured_grf", "ground_reactions_estimated", "inverse_dynamics_estimated_grf", "static_optimization"], comparisons);
        Assert.All(comparisons, c => Assert.True(File.Exists(Path.Combine(_out, c + ".png")), $"no figure for {c}"));
        JsonElement iliopsoas = entries.Single(e => e.GetProperty("channel").GetString() == "iliopsoas_l" && e.GetProperty("metric").GetString() == "pearson_r");
        Assert.Equal(0.7, iliopsoas.GetProperty("target").GetDouble());
        Assert.True(iliopsoas.GetProperty("value").GetDouble() > 0.95);
    }

    [Fact]
    public void Bench_writes_stage_timings_as_json()
    {
        string path = Path.Combine(_out, "physics.json");
        (int exit, string text) = Run("bench", "--reference", RepoPaths.OpenSimReference(), "--repeats", "1", "--out", path);

        Assert.True(exit == SynthCli.ExitOk, text);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        Assert.Equal(1500, root.GetProperty("frames").GetInt32());
        JsonElement median = root.GetProperty("median_ms");
        double total = median.GetProperty("total").GetDouble();
        // Structure and arithmetic only: wall-clock figures are the benchmark's output, never a test's assertion.
        Assert.Equal(median.GetProperty("grf_estimation").GetDouble() + median.GetProperty("inverse_dynamics").GetDouble()
            + median.GetProperty("static_optimization").GetDouble(), total, 9);
        Assert.Equal(total * 1000 / 1500, root.GetProperty("total_ms_per_1000_frames").GetDouble(), 9);
    }

    [Fact]
    public void Validate_with_a_missing_reference_folder_exits_2_with_a_message()
    {
        (int exit, string text) = Run("validate", "--reference", Path.Combine(_out, "nope"), "--out", _out);

        Assert.Equal(SynthCli.ExitBadInput, exit);
        Assert.Contains("OpenSim reference folder not found", text, StringComparison.Ordinal);
    }
}
