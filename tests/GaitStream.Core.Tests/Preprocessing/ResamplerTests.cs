using GaitStream.Core.Preprocessing;

namespace GaitStream.Core.Tests.Preprocessing;

public class ResamplerTests
{
    private const double SineHz = 2.0;
    private const double Phase = 0.3; // so the trial ends are not at zero crossings, where curvature vanishes

    [Theory]
    [InlineData(100.0)]
    [InlineData(200.0)]
    public void Resampler_preserves_a_sine_within_tolerance_when_upsampling_from_60_Hz(double targetHz)
    {
        double[] times = Signals.Times(301, 60.0); // 5 s
        double[] values = Signals.Sine(times, SineHz, phase: Phase);
        double[] targets = Resampler.UniformTimes(0, 5, targetHz);

        double[] resampled = Resampler.Resample(times, values, targets);

        // Not-a-knot cubic: error ≈ (5/384)·h⁴·max|f''''| = 2.5e-5 for h = 1/60 s, f = 2 Hz, amplitude 1.
        Assert.Equal((int)(5 * targetHz) + 1, resampled.Length);
        Assert.InRange(Signals.MaxAbsDifference(resampled, Signals.Sine(targets, SineHz, phase: Phase)), 0, 5e-5);
    }

    [Fact]
    public void Resampler_preserves_a_sine_within_tolerance_when_downsampling_200_to_50_Hz()
    {
        double[] times = Signals.Times(1001, 200.0);
        double[] values = Signals.Sine(times, SineHz, phase: Phase);
        double[] targets = Resampler.UniformTimes(0, 5, 50.0);

        double[] resampled = Resampler.Resample(times, values, targets);
        double[] expected = Signals.Sine(targets, SineHz, phase: Phase);

        // The anti-alias filter (zero-lag, −6 dB at 20 Hz) passes 2 Hz at 1 − 1e-8, so the interior is exact to 1e-8;
        // the last few frames carry the odd-reflection residual of forward–backward filtering (1.5e-4 measured).
        Assert.Equal(251, resampled.Length);
        Assert.InRange(Signals.MaxAbsDifference(resampled, expected), 0, 5e-4);
        Assert.InRange(Signals.MaxAbsDifference(resampled.AsSpan(25, 200), expected.AsSpan(25, 200)), 0, 1e-6);
    }

    [Theory]
    [InlineData(120.0, 1e-5)] // regularise onto the nominal grid: spline only
    [InlineData(100.0, 1e-4)] // downsample: anti-alias filter edge residual dominates (4.6e-5 measured)
    public void Resampler_handles_120_Hz_times_printed_to_6_digits(double targetHz, double tolerance)
    {
        // As in an OpenSim file: samples taken at k/120 s, times written with 6 decimals (non-uniform by ≤ 5e-7 s).
        double[] exact = Signals.Times(1201, 120.0);
        double[] printed = exact.Select(t => Math.Round(t, 6)).ToArray();
        double[] values = Signals.Sine(exact, SineHz, phase: Phase);
        double[] targets = Resampler.UniformTimes(printed[0], printed[^1], targetHz);

        double[] resampled = Resampler.Resample(printed, values, targets);

        // Interpolation error ≈ 1.6e-6 at h = 1/120 s, plus the time rounding: 5e-7 s × 12.6 /s slope = 6e-6.
        Assert.Equal((int)(10 * targetHz) + 1, resampled.Length);
        Assert.InRange(Signals.MaxAbsDifference(resampled, Signals.Sine(targets, SineHz, phase: Phase)), 0, tolerance);
    }

    [Theory]
    [InlineData(200.0, 1e-5)] // spline only (2.2e-6 measured)
    [InlineData(100.0, 1e-4)] // uniform re-grid, anti-alias filter, spline (5.2e-5 measured, at the ends)
    [InlineData(50.0, 5e-4)]  // same, filter edge residual larger at a lower cutoff (1.5e-4 measured)
    public void Resampler_handles_jittered_source_times(double targetHz, double tolerance)
    {
        // A bridge with ±2 ms timestamp jitter (a quarter of a 120 Hz frame); values belong to the jittered instants.
        var random = new Random(7);
        double[] times = Enumerable.Range(0, 1201).Select(k => k / 120.0 + (random.NextDouble() - 0.5) * 0.004).ToArray();
        double[] values = Signals.Sine(times, SineHz, phase: Phase);
        double[] targets = Resampler.UniformTimes(times[0], times[^1], targetHz);

        double[] resampled = Resampler.Resample(times, values, targets);

        Assert.InRange(Signals.MaxAbsDifference(resampled, Signals.Sine(targets, SineHz, phase: Phase)), 0, tolerance);
    }

    [Fact]
    public void Resampler_reproduces_a_cubic_polynomial_exactly_on_a_non_uniform_grid()
    {
        // Not-a-knot splines are exact for cubics, including at the ends (a natural spline is not).
        static double Cubic(double t) => 1 - 2 * t + 0.5 * t * t + 0.3 * t * t * t;
        double[] times = Enumerable.Range(0, 201).Select(k => k * 0.01 + 0.003 * Math.Sin(k)).ToArray();
        double[] values = times.Select(Cubic).ToArray();
        double[] targets = Resampler.UniformTimes(times[0], times[^1], 500.0);

        double[] resampled = Resampler.Resample(times, values, targets);

        Assert.InRange(Signals.MaxAbsDifference(resampled, targets.Select(Cubic).ToArray()), 0, 1e-11);
    }

    [Fact]
    public void Resampler_band_limits_before_downsampling_so_a_component_above_the_new_Nyquist_does_not_alias()
    {
        // 40 Hz sampled at 50 Hz would fold to 10 Hz with its full amplitude.
        double[] times = Signals.Times(2001, 200.0); // 10 s
        double[] low = Signals.Sine(times, SineHz, phase: Phase);
        double[] high = Signals.Sine(times, 40.0, amplitude: 0.5);
        double[] values = low.Zip(high, (a, b) => a + b).ToArray();
        double[] targets = Resampler.UniformTimes(0, 10, 50.0);

        double[] resampled = Resampler.Resample(times, values, targets);
        double[] naive = new double[targets.Length];
        CubicSpline.Evaluate(times, values, targets, naive);

        // Interior 8 s (whole periods of 2 and 10 Hz), away from the filter's edge padding.
        var interior = new Range(50, 450);
        (double aliasNaive, _) = Signals.Component(naive.AsSpan(interior), 10.0, 50.0);
        (double alias, _) = Signals.Component(resampled.AsSpan(interior), 10.0, 50.0);
        (double kept, _) = Signals.Component(resampled.AsSpan(interior), SineHz, 50.0);

        Assert.Equal(0.5, aliasNaive, 1e-9);
        // Zero-lag anti-alias filter at 40 Hz: (1 + (tan(0.2π)/tan(0.1π))⁸)⁻¹ = 1.6e-3, so 0.5 becomes 8.0e-4 (−56 dB).
        Assert.InRange(alias, 0, 1e-3);
        Assert.Equal(1.0, kept, 1e-4);
    }

    [Fact]
    public void Resampler_multi_channel_overload_matches_single_channel_results()
    {
        double[] times = Signals.Times(241, 120.0);
        double[][] channels = [Signals.Sine(times, 1.0), Signals.Sine(times, 3.0, 2.0, 0.5)];
        double[] targets = Resampler.UniformTimes(0, 2, 60.0);

        double[][] resampled = Resampler.Resample(times, channels, targets);

        Assert.Equal(2, resampled.Length);
        Assert.Equal(Resampler.Resample(times, channels[0], targets), resampled[0]);
        Assert.Equal(Resampler.Resample(times, channels[1], targets), resampled[1]);
    }

    [Fact]
    public void Resampler_ResampleToRate_returns_the_uniform_grid_and_every_channel()
    {
        double[] times = Signals.Times(121, 60.0);
        double[][] channels = [Signals.Sine(times, 1.0), Signals.Sine(times, 2.0)];

        (double[] targetTimes, double[][] resampled) = Resampler.ResampleToRate(times, channels, 100.0);

        Assert.Equal(Resampler.UniformTimes(0, 2, 100.0), targetTimes);
        Assert.Equal(201, resampled[1].Length);
        Assert.InRange(Signals.MaxAbsDifference(resampled[1], Signals.Sine(targetTimes, 2.0)), 0, 5e-5);
    }

    [Fact]
    public void UniformTimes_starts_at_start_and_includes_an_end_on_the_grid()
    {
        Assert.Equal(new[] { 0.0, 0.25, 0.5, 0.75, 1.0 }, Resampler.UniformTimes(0, 1, 4));
        Assert.Equal(new[] { 0.5, 0.75, 1.0, 1.25 }, Resampler.UniformTimes(0.5, 1.49, 4));
        Assert.Equal(new[] { 3.0 }, Resampler.UniformTimes(3, 3, 100));
    }

    [Fact]
    public void UniformTimes_never_passes_the_end_and_does_not_drift()
    {
        double[] grid = Resampler.UniformTimes(0, 10, 120);
        Assert.Equal(1201, grid.Length);
        Assert.Equal(10.0, grid[^1]);
        Assert.Equal(1000 / 120.0, grid[1000]);

        // A 120 Hz file's last printed time, 1199/120 rounded to 6 decimals.
        double[] fromFile = Resampler.UniformTimes(0, 9.991667, 120);
        Assert.Equal(1200, fromFile.Length);
        Assert.True(fromFile[^1] <= 9.991667);
    }

    [Fact]
    public void Resampler_rejects_bad_input_with_clear_messages()
    {
        double[] times = [0, 0.1, 0.2, 0.3];
        double[] values = [1, 2, 3, 4];
        double[] targets = [0.05, 0.15];

        var tooShort = Assert.Throws<ArgumentException>(() => Resampler.Resample([0.0], [1.0], [0.0]));
        Assert.Contains("at least 2 samples", tooShort.Message, StringComparison.Ordinal);

        var notIncreasing = Assert.Throws<ArgumentException>(() => Resampler.Resample([0, 0.1, 0.1, 0.3], values, targets));
        Assert.Contains("strictly increasing", notIncreasing.Message, StringComparison.Ordinal);

        var outside = Assert.Throws<ArgumentException>(() => Resampler.Resample(times, values, [0.1, 0.31]));
        Assert.Contains("outside the source range", outside.Message, StringComparison.Ordinal);

        var nanValue = Assert.Throws<ArgumentException>(() => Resampler.Resample(times, [1, double.NaN, 3, 4], targets));
        Assert.Contains("finite", nanValue.Message, StringComparison.Ordinal);

        var nanTime = Assert.Throws<ArgumentException>(() => Resampler.Resample([0, double.NaN, 0.2, 0.3], values, targets));
        Assert.Contains("finite", nanTime.Message, StringComparison.Ordinal);

        var mismatch = Assert.Throws<ArgumentException>(() => Resampler.Resample(times, [1.0, 2.0], targets));
        Assert.Contains("2 values for 4 times", mismatch.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.UniformTimes(0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.UniformTimes(0, 1, -100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.ResampleToRate(times, [values], double.NaN));
    }

    [Fact]
    public void Resampler_accepts_targets_within_a_microsecond_of_the_source_range()
    {
        double[] times = [0, 0.1, 0.2, 0.3];
        double[] values = [0, 1, 2, 3];

        double[] resampled = Resampler.Resample(times, values, [0.3 + 5e-7]);

        Assert.Equal(3.0 + 5e-6, resampled[0], 1e-12);
    }
}
