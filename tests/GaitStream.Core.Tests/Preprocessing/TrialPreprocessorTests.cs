using GaitStream.Core.Datasets;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Schema;
using GaitStream.Tests;

namespace GaitStream.Core.Tests.Preprocessing;

public sealed class TrialPreprocessorTests
{
    private static Dataset Example => DatasetCatalog.Load(Path.Combine(RepoPaths.RepoRoot, "data", "examples", "gait2354-walk"));

    [Fact]
    public void Resampler_reproduces_a_real_1000_Hz_kinematics_trial_at_100_Hz()
    {
        // Static-optimization kinematics, 1000 Hz: every 10th source sample sits on the 100 Hz grid, so the
        // anti-aliased, resampled signal can be compared with the recorded one directly.
        StorageTable kin = StorageReader.Read(RepoPaths.OpenSimReference("gait2392_so_walk", "subject01_walk1_kinematics.sto"));
        double[][] channels = [.. ChannelSchema.InputAngles.Select(kin.Column)];

        (double[] times, double[][] resampled) = Resampler.ResampleToRate(kin.Time, channels, 100);

        Assert.Equal(150, times.Length);
        double worst = 0;
        for (int c = 0; c < channels.Length; c++)
        {
            for (int i = 2; i < times.Length - 2; i++)
            {
                worst = Math.Max(worst, Math.Abs(resampled[c][i] - channels[c][i * 10]));
            }
        }
        // Gait angles carry almost nothing above the 40 Hz anti-alias cutoff: measured 0.0015 deg.
        Assert.True(worst < 0.005, $"worst deviation {worst} deg");
    }

    [Fact]
    public void Resampler_takes_a_real_120_Hz_trial_to_100_Hz_and_back_within_0_015_degrees()
    {
        TrialData trial = DatasetCatalog.Load(RepoPaths.Shared("addbio-hamner2013-running")) is var ds
            ? ds.LoadTrial(ds.Trials.Single(t => t.SubjectId == "subject02" && t.Condition == "run200"))
            : throw new InvalidOperationException();
        double[] t120 = trial.Angles.Time;

        (double[] t100, double[][] at100) = Resampler.ResampleToRate(t120, trial.Angles.Values, 100);
        double[] inner = [.. t120.Where(t => t >= t100[0] && t <= t100[^1])];
        double[][] back = Resampler.Resample(t100, at100, inner);

        int offset = Array.IndexOf(t120, inner[0]);
        double worst = 0;
        for (int c = 0; c < back.Length; c++)
        {
            for (int i = 3; i < inner.Length - 3; i++)
            {
                worst = Math.Max(worst, Math.Abs(back[c][i] - trial.Angles.Values[c][offset + i]));
            }
        }
        // Running at 2 m/s: the 40 Hz anti-alias filter removes a little real content; measured 0.0048 deg.
        Assert.True(worst < 0.015, $"worst deviation {worst} deg");
    }

    [Fact]
    public void Prepare_puts_angles_and_moments_of_the_example_trial_on_one_100_Hz_grid()
    {
        Dataset ds = Example;
        TrialData trial = ds.LoadTrial(ds.Trials.Single());

        PreparedTrial p = TrialPreprocessor.Prepare(trial, new PreprocessingOptions { IncludeForces = false });

        // IK spans 0.40–1.60 s; ID 0.39999976–1.59999928 (printing noise, snapped): 0.40 to 1.60 s inclusive at 100 Hz = 121 frames.
        Assert.Equal(0.4, p.TimeS[0], 12);
        Assert.Equal(121, p.FrameCount);
        Assert.Equal(ChannelSchema.InputAngles, p.InputChannels);
        Assert.Equal(ChannelSchema.HipMoments, p.OutputChannels);
        // 0.5 s is on both the 60 Hz IK grid (row 6) and the 100 Hz grid (frame 10): the spline passes through knots.
        Assert.Equal(trial.Angles.Channel("hip_flexion_r")[6], p.Inputs[0][10], 9);
        Assert.All(p.Outputs, o => Assert.Equal(121, o.Length));
    }

    [Fact]
    public void Prepare_with_forces_narrows_to_the_span_the_CMC_forces_cover()
    {
        Dataset ds = Example;
        TrialData trial = ds.LoadTrial(ds.Trials.Single());

        PreparedTrial p = TrialPreprocessor.Prepare(trial, new PreprocessingOptions { SampleRateHz = 50 });

        Assert.Equal(0.83, p.TimeS[0], 9);
        Assert.True(p.TimeS[^1] <= 1.19 + 1e-9);
        Assert.Equal(19, p.FrameCount);
        Assert.Equal(22, p.OutputChannels.Count);
        Assert.Equal("glut_max_r", p.OutputChannels[6]);
        double[] cmcGlutMed = trial.Forces!.Channel("glut_med_r");
        Assert.Equal(cmcGlutMed[0], p.Outputs[7][0], 6); // CMC prints t = 0.83000000000000007
    }

    [Fact]
    public void Angle_low_pass_removes_high_frequency_noise_but_keeps_the_gait_signal()
    {
        Dataset ds = Example;
        TrialData clean = ds.LoadTrial(ds.Trials.Single());
        var rng = new Random(3);
        double[][] noisy = [.. clean.Angles.Values.Select(c => c.Select(v => v + (rng.NextDouble() - 0.5) * 2.0).ToArray())];
        TrialData noisyTrial = clean with { Angles = clean.Angles with { Values = noisy } };
        var options = new PreprocessingOptions { IncludeForces = false, AngleLowPassHz = 6 };

        PreparedTrial noisyFiltered = TrialPreprocessor.Prepare(noisyTrial, options);
        PreparedTrial noisyRaw = TrialPreprocessor.Prepare(noisyTrial, options with { AngleLowPassHz = null });
        PreparedTrial cleanFiltered = TrialPreprocessor.Prepare(clean, options);
        PreparedTrial cleanRaw = TrialPreprocessor.Prepare(clean, options with { AngleLowPassHz = null });

        static double Rms(PreparedTrial a, PreparedTrial b) =>
            Math.Sqrt(a.Inputs.Zip(b.Inputs).Average(p => p.First.Zip(p.Second).Average(x => (x.First - x.Second) * (x.First - x.Second))));
        double noiseBefore = Rms(noisyRaw, cleanRaw);
        double noiseAfter = Rms(noisyFiltered, cleanFiltered);
        double signalChange = Rms(cleanFiltered, cleanRaw);

        // ±1 deg uniform noise (RMS 0.577 deg) sampled at 60 Hz spreads over 0–30 Hz; a 6 Hz zero-lag low-pass keeps
        // roughly a fifth of its power. Measured: noise 0.536 → 0.268 deg RMS, clean gait angles changed by 0.18 deg RMS.
        Assert.True(noiseBefore > 0.4, $"noise before {noiseBefore}");
        Assert.True(noiseAfter < 0.5 * noiseBefore, $"noise after {noiseAfter} vs before {noiseBefore}");
        Assert.True(signalChange < 0.3, $"the filter changed the clean gait angles by {signalChange} deg RMS");
    }

    [Fact]
    public void Low_pass_above_the_model_Nyquist_is_rejected_with_a_clear_message()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PreprocessingOptions { SampleRateHz = 50, AngleLowPassHz = 30 }.Validate());
        Assert.Contains("below the model Nyquist frequency (25 Hz)", e.Message, StringComparison.Ordinal);
    }
}
