using GaitStream.Core.Preprocessing;

namespace GaitStream.Core.Tests.Preprocessing;

public class CausalWindowsTests
{
    [Theory]
    [InlineData(10, 4, 3, 3)] // targets 3, 6, 9
    [InlineData(10, 4, 2, 4)] // targets 3, 5, 7, 9
    [InlineData(10, 4, 4, 2)] // targets 3, 7 (frames 8, 9 never a target)
    [InlineData(4, 4, 1, 1)]  // exactly one window
    [InlineData(3, 4, 1, 0)]  // too short for any
    [InlineData(0, 1, 1, 0)]
    [InlineData(5, 1, 1, 5)]  // L = 1: every frame is its own window
    public void CausalWindows_count_whole_windows(int frames, int length, int stride, int expected)
    {
        Assert.Equal(expected, CausalWindows.Count(frames, length, stride));
        Assert.Equal(expected, new WindowSpec(length, stride).Count(frames));
    }

    [Fact]
    public void CausalWindows_targets_are_the_last_frame_of_each_window()
    {
        Assert.Equal(new[] { 3, 6, 9 }, CausalWindows.TargetIndices(10, 4, 3));
        Assert.Equal(new[] { 3, 5, 7, 9 }, CausalWindows.TargetIndices(10, 4, 2));
        Assert.Equal(new[] { 2, 3, 4, 5 }, CausalWindows.TargetIndices(6, 3, 1));
        Assert.Empty(CausalWindows.TargetIndices(2, 3, 1));
        Assert.Equal(9, CausalWindows.TargetIndex(2, 4, 3));
    }

    [Fact]
    public void CausalWindows_copy_lays_out_batch_by_frame_by_channel()
    {
        // Two channels × six frames; value = 100·channel + frame, so every element says where it came from.
        double[][] series = [[0, 1, 2, 3, 4, 5], [100, 101, 102, 103, 104, 105]];
        var buffer = new float[2 * 3 * 2];

        CausalWindows.CopyWindows(series, new WindowSpec(3, 2), firstWindow: 0, windowCount: 2, buffer);

        float[] expected =
        [
            // window 0, target frame 2: frames 0, 1, 2
            0, 100,
            1, 101,
            2, 102,
            // window 1, target frame 4: frames 2, 3, 4
            2, 102,
            3, 103,
            4, 104,
        ];
        Assert.Equal(expected, buffer);
        // Index arithmetic a tensor consumer uses: [b, l, c] at (b·L + l)·C + c.
        Assert.Equal(103f, buffer[(1 * 3 + 1) * 2 + 1]);
    }

    [Fact]
    public void CausalWindows_copy_by_target_frames_and_copy_frames_match()
    {
        double[][] series = [[0, 1, 2, 3, 4, 5], [100, 101, 102, 103, 104, 105], [200, 201, 202, 203, 204, 205]];
        var windows = new float[2 * 2 * 3];
        var labels = new float[2 * 3];
        int[] targets = [5, 1]; // any order, as a shuffled batch

        CausalWindows.CopyWindows(series, targets, lengthFrames: 2, windows);
        CausalWindows.CopyFrames(series, targets, labels);

        Assert.Equal(new float[] { 4, 104, 204, 5, 105, 205, 0, 100, 200, 1, 101, 201 }, windows);
        Assert.Equal(new float[] { 5, 105, 205, 1, 101, 201 }, labels);
    }

    [Fact]
    public void CausalWindows_copy_of_a_later_batch_starts_at_its_first_window()
    {
        double[][] series = [Enumerable.Range(0, 10).Select(i => (double)i).ToArray()];
        var buffer = new float[2 * 4];

        CausalWindows.CopyWindows(series, new WindowSpec(4, 3), firstWindow: 1, windowCount: 2, buffer);

        Assert.Equal(new float[] { 3, 4, 5, 6, 6, 7, 8, 9 }, buffer);
    }

    [Fact]
    public void CausalWindows_reject_windows_that_do_not_fit()
    {
        double[][] series = [[0, 1, 2, 3, 4, 5]];

        var early = Assert.Throws<ArgumentOutOfRangeException>(() => CausalWindows.CopyWindows(series, [1], 3, new float[3]));
        Assert.Contains("[2, 5]", early.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => CausalWindows.CopyWindows(series, [6], 3, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CausalWindows.CopyWindows(series, new WindowSpec(3, 2), 1, 2, new float[6]));
        var size = Assert.Throws<ArgumentException>(() => CausalWindows.CopyWindows(series, new WindowSpec(3, 2), 0, 2, new float[5]));
        Assert.Contains("need 6", size.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CausalWindows.CopyWindows([[0, 1, 2], [0, 1]], [2], 3, new float[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CausalWindows.Count(10, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CausalWindows.Count(10, 3, 0));
    }

    [Theory]
    [InlineData(1.0, 0.01, 100.0, 100, 1)]
    [InlineData(1.0, 0.05, 60.0, 60, 3)]
    [InlineData(1.0, 0.02, 50.0, 50, 1)]
    [InlineData(0.5, 0.1, 200.0, 100, 20)]
    public void WindowSpec_from_seconds_rounds_to_frames(double lengthS, double strideS, double rateHz, int length, int stride)
    {
        Assert.Equal(new WindowSpec(length, stride), WindowSpec.FromSeconds(lengthS, strideS, rateHz));
    }

    [Fact]
    public void WindowSpec_rejects_sizes_below_one_frame()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowSpec.FromSeconds(1.0, 0.001, 100.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowSpec.FromSeconds(1.0, 0.01, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowSpec(0, 1));
    }
}
