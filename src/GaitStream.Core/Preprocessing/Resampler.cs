using System.Buffers;

namespace GaitStream.Core.Preprocessing;

/// <summary>
/// Resamples time series onto new time grids: owns the uniform grid, the interpolation (not-a-knot cubic spline)
/// and the anti-alias band-limiting used when the target rate is below the source rate.
/// </summary>
/// <remarks>
/// <para>Source times need not be uniform (120 Hz files with times printed to 6 digits, bridges with jitter): the
/// spline is fitted on the actual times. When band-limiting is needed the series is first splined onto a uniform grid
/// at its mean source rate, because an IIR filter assumes equal spacing; it is then filtered with a zero-lag
/// <see cref="ButterworthLowPass"/> (order <see cref="AntiAliasOrder"/>, single-pass cutoff
/// <see cref="AntiAliasCutoffFraction"/> × target Nyquist, where FiltFilt is −6 dB; going 200 → 50 Hz it is −56 dB
/// at 40 Hz, which would otherwise fold onto 10 Hz) and splined onto the targets. The filter's edge residual is a few
/// 1e-4 of a slow signal's amplitude in the last frames; the interior is untouched below the cutoff.</para>
/// <para>The rate of a grid is its mean rate, (count − 1) / span. Band-limiting happens when the target rate is more
/// than 0.1 % below the source rate, so jitter alone never triggers it.</para>
/// </remarks>
public static class Resampler
{
    /// <summary>Anti-alias cutoff as a fraction of the target Nyquist frequency (single-pass −3 dB point).</summary>
    public const double AntiAliasCutoffFraction = 0.8;

    /// <summary>Design order of the anti-alias Butterworth (per pass).</summary>
    public const int AntiAliasOrder = ButterworthLowPass.DefaultOrder;

    /// <summary>
    /// How far, in seconds, a target time may lie outside the source time range and still be accepted (and
    /// evaluated from the end polynomial): twice the worst rounding error (5e-7 s) of times printed with 6 decimals,
    /// so a grid computed from the nominal rate still fits a file's printed times.
    /// </summary>
    public const double TimeToleranceS = 1e-6;

    private const double DownsamplingRateMargin = 1e-3;

    /// <summary>Sample rate from the median time step, Hz: robust to a few irregular steps; NaN for fewer than two samples.</summary>
    public static double MedianRateHz(ReadOnlySpan<double> timeS)
    {
        if (timeS.Length < 2)
        {
            return double.NaN;
        }
        double[] steps = new double[timeS.Length - 1];
        for (int i = 1; i < timeS.Length; i++)
        {
            steps[i - 1] = timeS[i] - timeS[i - 1];
        }
        Array.Sort(steps);
        return 1.0 / steps[steps.Length / 2];
    }

    /// <summary>
    /// The grid startS, startS + 1/rateHz, … up to and including endS when it falls on the grid (to within 1e-9 of a
    /// sample); never past endS. Each time is computed as startS + k/rateHz, so no rounding drift accumulates.
    /// </summary>
    public static double[] UniformTimes(double startS, double endS, double rateHz)
    {
        if (!double.IsFinite(rateHz) || rateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, "Rate must be a positive, finite number of Hz.");
        }
        if (!double.IsFinite(startS) || !double.IsFinite(endS))
        {
            throw new ArgumentException($"Start ({startS} s) and end ({endS} s) must be finite.", nameof(startS));
        }
        if (endS < startS)
        {
            throw new ArgumentException($"End time {endS} s is before start time {startS} s.", nameof(endS));
        }

        double frames = Math.Floor((endS - startS) * rateHz + 1e-9);
        if (frames >= int.MaxValue)
        {
            throw new ArgumentException($"{endS - startS} s at {rateHz} Hz is too many frames for one array.", nameof(rateHz));
        }
        var times = new double[(int)frames + 1];
        for (int k = 0; k < times.Length; k++)
        {
            times[k] = Math.Min(startS + k / rateHz, endS);
        }
        return times;
    }

    /// <summary>Resamples one channel onto <paramref name="targetTimes"/> (strictly increasing, inside the source range).</summary>
    public static double[] Resample(ReadOnlySpan<double> times, ReadOnlySpan<double> values, ReadOnlySpan<double> targetTimes)
    {
        var result = new double[targetTimes.Length];
        Resample(times, values, targetTimes, result);
        return result;
    }

    /// <summary>Resamples one channel into <paramref name="destination"/> (same length as <paramref name="targetTimes"/>).</summary>
    public static void Resample(ReadOnlySpan<double> times, ReadOnlySpan<double> values, ReadOnlySpan<double> targetTimes, Span<double> destination)
    {
        ValidateTimes(times, nameof(times));
        ValidateTargets(times, targetTimes);
        ValidateValues(values, times.Length, nameof(values));
        if (destination.Length != targetTimes.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} samples; there are {targetTimes.Length} target times.", nameof(destination));
        }

        Plan plan = Plan.Create(times, targetTimes);
        plan.Run(times, values, targetTimes, destination);
    }

    /// <summary>Resamples every channel of a channel-major series onto <paramref name="targetTimes"/>.</summary>
    public static double[][] Resample(ReadOnlySpan<double> times, IReadOnlyList<double[]> channels, ReadOnlySpan<double> targetTimes)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ValidateTimes(times, nameof(times));
        ValidateTargets(times, targetTimes);
        for (int c = 0; c < channels.Count; c++)
        {
            if (channels[c] is null)
            {
                throw new ArgumentException($"Channel {c} is null.", nameof(channels));
            }
            ValidateValues(channels[c], times.Length, $"{nameof(channels)}[{c}]");
        }

        // The plan (uniform grid, filter) depends only on the times, so it is shared by all channels.
        Plan plan = Plan.Create(times, targetTimes);
        var result = new double[channels.Count][];
        for (int c = 0; c < channels.Count; c++)
        {
            result[c] = new double[targetTimes.Length];
            plan.Run(times, channels[c], targetTimes, result[c]);
        }
        return result;
    }

    /// <summary>
    /// Resamples a channel-major series onto the uniform grid at <paramref name="rateHz"/> that starts at its first
    /// time and does not pass its last.
    /// </summary>
    public static (double[] TimesS, double[][] Channels) ResampleToRate(ReadOnlySpan<double> times, IReadOnlyList<double[]> channels, double rateHz)
    {
        ValidateTimes(times, nameof(times));
        double[] targetTimes = UniformTimes(times[0], times[^1], rateHz);
        return (targetTimes, Resample(times, channels, targetTimes));
    }

    private static void ValidateTimes(ReadOnlySpan<double> times, string parameterName)
    {
        if (times.Length < 2)
        {
            throw new ArgumentException($"Resampling needs at least 2 samples; got {times.Length}.", parameterName);
        }
        for (int i = 0; i < times.Length; i++)
        {
            if (!double.IsFinite(times[i]))
            {
                throw new ArgumentException($"Time {i} is {times[i]}; times must be finite.", parameterName);
            }
            if (i > 0 && times[i] <= times[i - 1])
            {
                throw new ArgumentException(
                    $"Times must be strictly increasing, but time {i} ({times[i]} s) is not after time {i - 1} ({times[i - 1]} s).", parameterName);
            }
        }
    }

    private static void ValidateTargets(ReadOnlySpan<double> times, ReadOnlySpan<double> targetTimes)
    {
        for (int i = 0; i < targetTimes.Length; i++)
        {
            double t = targetTimes[i];
            if (!double.IsFinite(t))
            {
                throw new ArgumentException($"Target time {i} is {t}; times must be finite.", nameof(targetTimes));
            }
            if (i > 0 && t <= targetTimes[i - 1])
            {
                throw new ArgumentException(
                    $"Target times must be strictly increasing, but target {i} ({t} s) is not after target {i - 1} ({targetTimes[i - 1]} s).",
                    nameof(targetTimes));
            }
        }
        if (targetTimes.Length > 0
            && (targetTimes[0] < times[0] - TimeToleranceS || targetTimes[^1] > times[^1] + TimeToleranceS))
        {
            throw new ArgumentException(
                $"Target times [{targetTimes[0]} s, {targetTimes[^1]} s] reach outside the source range [{times[0]} s, {times[^1]} s]; " +
                "resampling does not extrapolate.", nameof(targetTimes));
        }
    }

    private static void ValidateValues(ReadOnlySpan<double> values, int expectedLength, string parameterName)
    {
        if (values.Length != expectedLength)
        {
            throw new ArgumentException($"There are {values.Length} values for {expectedLength} times.", parameterName);
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Value {i} is {values[i]}; resampling needs finite values (fill gaps first).", parameterName);
            }
        }
    }

    /// <summary>What resampling one grid onto another takes, independent of the channel values.</summary>
    private readonly struct Plan
    {
        private readonly double[]? _uniformTimes;
        private readonly ButterworthLowPass? _antiAlias;

        private Plan(double[] uniformTimes, ButterworthLowPass antiAlias)
        {
            _uniformTimes = uniformTimes;
            _antiAlias = antiAlias;
        }

        public static Plan Create(ReadOnlySpan<double> times, ReadOnlySpan<double> targetTimes)
        {
            if (targetTimes.Length < 2)
            {
                return default;
            }
            double sourceRateHz = (times.Length - 1) / (times[^1] - times[0]);
            double targetRateHz = (targetTimes.Length - 1) / (targetTimes[^1] - targetTimes[0]);
            if (targetRateHz >= sourceRateHz * (1.0 - DownsamplingRateMargin))
            {
                return default;
            }
            return new Plan(
                UniformTimes(times[0], times[^1], sourceRateHz),
                new ButterworthLowPass(AntiAliasCutoffFraction * targetRateHz / 2.0, sourceRateHz, AntiAliasOrder));
        }

        public void Run(ReadOnlySpan<double> times, ReadOnlySpan<double> values, ReadOnlySpan<double> targetTimes, Span<double> destination)
        {
            if (_antiAlias is null || _uniformTimes is null)
            {
                CubicSpline.Evaluate(times, values, targetTimes, destination);
                return;
            }

            int m = _uniformTimes.Length;
            double[] rented = ArrayPool<double>.Shared.Rent(m);
            try
            {
                Span<double> uniform = rented.AsSpan(0, m);
                CubicSpline.Evaluate(times, values, _uniformTimes, uniform);
                _antiAlias.FiltFilt(uniform, uniform);
                CubicSpline.Evaluate(_uniformTimes, uniform, targetTimes, destination);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }
}
