using System.Text.Json;
using GaitStream.Core.Preprocessing;

namespace GaitStream.Core.Tests.Preprocessing;

public class ZScoreStatisticsTests
{
    private static readonly string[] Names = ["hip_flexion_r", "knee_angle_r"];

    // Subject A: 3 frames; subject B: 2 frames.
    private static readonly double[][] SubjectA = [[1, 2, 3], [2, 4, 6]];
    private static readonly double[][] SubjectB = [[5, 7], [0, 8]];

    [Fact]
    public void ZScore_fit_pools_frames_of_all_subjects()
    {
        ZScoreStatistics stats = ZScoreStatistics.Fit(Names, [SubjectA, SubjectB]);

        // Channel 0: {1, 2, 3, 5, 7}: mean 18/5 = 3.6; squared deviations 6.76 + 2.56 + 0.36 + 1.96 + 11.56 = 23.2; var 4.64.
        // Channel 1: {2, 4, 6, 0, 8}: mean 4; squared deviations 4 + 0 + 4 + 16 + 16 = 40; var 8 (population SD).
        Assert.Equal(Names, stats.ChannelNames);
        Assert.Equal(3.6, stats.Means[0], 1e-12);
        Assert.Equal(Math.Sqrt(4.64), stats.StandardDeviations[0], 1e-12);
        Assert.Equal(4.0, stats.Means[1], 1e-12);
        Assert.Equal(Math.Sqrt(8.0), stats.StandardDeviations[1], 1e-12);
        Assert.Equal(5, stats.FrameCount);
    }

    [Fact]
    public void ZScore_fit_is_accurate_for_large_offsets()
    {
        // A running Σx² would lose every digit here (values² ≈ 1e18); per-series two-pass plus Chan merge does not.
        double[][] a = [[1e9 + 1, 1e9 + 2, 1e9 + 3]];
        double[][] b = [[1e9 + 4, 1e9 + 5]];

        ZScoreStatistics stats = ZScoreStatistics.Fit(["force"], [a, b]);

        Assert.Equal(1e9 + 3, stats.Means[0], 1e-6);
        Assert.Equal(Math.Sqrt(2.0), stats.StandardDeviations[0], 1e-6);
    }

    [Fact]
    public void ZScore_apply_gives_zero_mean_unit_sd_and_invert_returns_the_input()
    {
        ZScoreStatistics stats = ZScoreStatistics.Fit(Names, [SubjectA, SubjectB]);
        double[][] series = [[1, 2, 3], [2, 4, 6]];

        stats.Apply(Names, series);
        Assert.Equal((1 - 3.6) / Math.Sqrt(4.64), series[0][0], 1e-12);
        Assert.Equal((6 - 4.0) / Math.Sqrt(8.0), series[1][2], 1e-12);

        stats.Invert(Names, series);
        Assert.Equal(SubjectA[0], series[0].Select(v => Math.Round(v, 12)));
        Assert.Equal(SubjectA[1], series[1].Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void ZScore_interleaved_float_buffers_round_trip()
    {
        ZScoreStatistics stats = ZScoreStatistics.Fit(Names, [SubjectA, SubjectB]);
        // [frames, channels]: (hip, knee) pairs.
        float[] buffer = [1f, 2f, 7f, 8f, 3.6f, 4f];
        float[] original = [.. buffer];

        stats.ApplyInterleaved(buffer);
        Assert.Equal((float)((7 - 3.6) / Math.Sqrt(4.64)), buffer[2], 1e-6f);
        Assert.Equal((float)((8 - 4.0) / Math.Sqrt(8.0)), buffer[3], 1e-6f);
        Assert.Equal(0f, buffer[4], 1e-6f);
        Assert.Equal(0f, buffer[5], 1e-6f);

        stats.InvertInterleaved(buffer);
        for (int i = 0; i < buffer.Length; i++)
        {
            Assert.Equal(original[i], buffer[i], 1e-5f);
        }
        Assert.Throws<ArgumentException>(() => stats.ApplyInterleaved(new float[3]));
    }

    [Fact]
    public void ZScore_channel_span_overloads_round_trip()
    {
        ZScoreStatistics stats = ZScoreStatistics.Fit(Names, [SubjectA, SubjectB]);
        float[] knee = [0f, 8f];

        stats.Apply(1, knee.AsSpan());
        Assert.Equal((float)(-4 / Math.Sqrt(8.0)), knee[0], 1e-6f);
        stats.Invert(1, knee.AsSpan());
        Assert.Equal(new[] { 0f, 8f }, knee.Select(v => MathF.Round(v, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Apply(2, knee.AsSpan()));
    }

    [Fact]
    public void ZScore_constant_channel_gets_scale_one_instead_of_dividing_by_zero()
    {
        double[][] series = [[5, 5, 5, 5], [1, 2, 3, 4]];

        ZScoreStatistics stats = ZScoreStatistics.Fit(["locked", "moving"], [series]);
        stats.Apply(["locked", "moving"], series);

        Assert.Equal(0.0, stats.StandardDeviations[0]);
        Assert.Equal(1.0, stats.Scales[0]);
        Assert.Equal(Math.Sqrt(1.25), stats.Scales[1], 1e-12);
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, series[0]);
    }

    [Fact]
    public void ZScore_json_round_trip_is_exact()
    {
        ZScoreStatistics stats = ZScoreStatistics.Fit(Names, [SubjectA, SubjectB]);

        string json = stats.ToJson();
        ZScoreStatistics back = ZScoreStatistics.FromJson(json);

        Assert.Contains("\"channelNames\"", json, StringComparison.Ordinal);
        Assert.Contains("\"hip_flexion_r\"", json, StringComparison.Ordinal);
        Assert.Equal(stats.ChannelNames, back.ChannelNames);
        Assert.Equal(stats.Means, back.Means);                           // bit-for-bit: doubles are written round-trippably
        Assert.Equal(stats.StandardDeviations, back.StandardDeviations);
        Assert.Equal(stats.Scales, back.Scales);
        Assert.Equal(stats.FrameCount, back.FrameCount);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void ZScore_from_json_rejects_inconsistent_content()
    {
        const string lengths = """{"version":1,"channelNames":["a","b"],"means":[0],"standardDeviations":[1,1],"frameCount":3}""";
        const string negative = """{"version":1,"channelNames":["a"],"means":[0],"standardDeviations":[-1],"frameCount":3}""";
        const string missing = """{"version":1,"means":[0],"standardDeviations":[1],"frameCount":3}""";
        const string version = """{"version":2,"channelNames":["a"],"means":[0],"standardDeviations":[1],"frameCount":3}""";

        Assert.Contains("counts must agree", Assert.Throws<JsonException>(() => ZScoreStatistics.FromJson(lengths)).Message, StringComparison.Ordinal);
        Assert.Contains("not negative", Assert.Throws<JsonException>(() => ZScoreStatistics.FromJson(negative)).Message, StringComparison.Ordinal);
        Assert.Contains("channelNames", Assert.Throws<JsonException>(() => ZScoreStatistics.FromJson(missing)).Message, StringComparison.Ordinal);
        Assert.Contains("version 2", Assert.Throws<JsonException>(() => ZScoreStatistics.FromJson(version)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZScore_channel_name_mismatch_names_the_difference()
    {
        ZScoreStatistics stats = ZScoreStatistics.Fit(Names, [SubjectA, SubjectB]);

        var renamed = Assert.Throws<ArgumentException>(() => stats.Apply(["hip_flexion_r", "ankle_angle_r"], [[1.0], [2.0]]));
        Assert.Contains("missing [knee_angle_r], unexpected [ankle_angle_r]", renamed.Message, StringComparison.Ordinal);

        var reordered = Assert.Throws<ArgumentException>(() => stats.EnsureChannels(["knee_angle_r", "hip_flexion_r"]));
        Assert.Contains("different order", reordered.Message, StringComparison.Ordinal);

        stats.EnsureChannels(["hip_flexion_r", "knee_angle_r"]);
    }

    [Fact]
    public void ZScore_fit_rejects_mismatched_or_empty_input()
    {
        var channels = Assert.Throws<ArgumentException>(() => ZScoreStatistics.Fit(Names, [SubjectA, [[1.0, 2.0]]]));
        Assert.Contains("Series 1 has 1 channels", channels.Message, StringComparison.Ordinal);
        var ragged = Assert.Throws<ArgumentException>(() => ZScoreStatistics.Fit(Names, [[[1.0, 2.0], [1.0]]]));
        Assert.Contains("frames", ragged.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<ArgumentException>(() => ZScoreStatistics.Fit(Names, []));
        Assert.Contains("no frames", empty.Message, StringComparison.Ordinal);
    }
}
