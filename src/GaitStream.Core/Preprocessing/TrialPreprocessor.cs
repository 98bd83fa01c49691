using GaitStream.Core.Datasets;

namespace GaitStream.Core.Preprocessing;

/// <summary>
/// Puts a <see cref="TrialData"/> on one grid: the span where the angles and every reference overlap (OpenSim
/// writes IK, ID and CMC on different grids and spans), resampled to the model rate, with the optional zero-lag
/// low-pass on the angles applied at the source rate before resampling (so it sees the data as recorded).
/// </summary>
public static class TrialPreprocessor
{
    /// <summary>Prepares one trial; throws when the streams share too little time for even two frames.</summary>
    public static PreparedTrial Prepare(TrialData trial, PreprocessingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        options ??= PreprocessingOptions.Default;
        options.Validate();

        Signal[] references = [.. new[] { options.IncludeMoments ? trial.Moments : null, options.IncludeForces ? trial.Forces : null }.OfType<Signal>()];
        double start = trial.Angles.Time[0];
        double end = trial.Angles.Time[^1];
        foreach (Signal s in references)
        {
            start = Math.Max(start, s.Time[0]);
            end = Math.Min(end, s.Time[^1]);
        }
        // OpenSim's ID tool writes times a few hundred nanoseconds off the IK grid (0.39999976 for 0.4):
        // snap the span to the angles' grid when it is that close, so no frame is lost to printing noise.
        start = Snap(start, trial.Angles.Time[0]);
        end = Snap(end, trial.Angles.Time[^1]);
        if (end - start < 1.0 / options.SampleRateHz)
        {
            throw new InvalidDataException(
                $"Trial {trial.Labels.SubjectId}/{trial.Labels.Condition}/{trial.Labels.TrialId}: the angles and references overlap " +
                $"for {Math.Max(0, end - start):0.###} s only, less than one frame at {options.SampleRateHz} Hz.");
        }

        double[] grid = Resampler.UniformTimes(start, end, options.SampleRateHz);
        double[][] angles = trial.Angles.Values;
        if (options.AngleLowPassHz is double fc)
        {
            var filter = ButterworthLowPass.ForZeroLagCutoff(fc, SourceRate(trial.Angles.Time), order: 2);
            angles = [.. angles.Select(a => filter.FiltFilt(a))];
        }
        double[][] inputs = Resampler.Resample(trial.Angles.Time, angles, ClampInto(grid, trial.Angles.Time));

        var outputNames = new List<string>();
        var outputs = new List<double[]>();
        foreach (Signal s in references)
        {
            outputNames.AddRange(s.Channels);
            outputs.AddRange(Resampler.Resample(s.Time, s.Values, ClampInto(grid, s.Time)));
        }

        return new PreparedTrial(trial.Labels, trial.BodyMassKg, options.SampleRateHz, grid,
            trial.Angles.Channels, inputs, outputNames, [.. outputs]);
    }

    private const double SnapToleranceS = 1e-5;

    private static double Snap(double t, double gridPoint) => Math.Abs(t - gridPoint) < SnapToleranceS ? gridPoint : t;

    /// <summary>Grid times pulled inside a stream's own span where printing noise put them a hair outside.</summary>
    private static double[] ClampInto(double[] grid, double[] sourceTimes)
    {
        double lo = sourceTimes[0];
        double hi = sourceTimes[^1];
        var clamped = new double[grid.Length];
        for (int i = 0; i < grid.Length; i++)
        {
            clamped[i] = Math.Clamp(grid[i], lo, hi);
        }
        return clamped;
    }

    private static double SourceRate(double[] time) => (time.Length - 1) / (time[^1] - time[0]);
}
