using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Schema;
using GaitStream.Tests;
using GaitStream.Training.Runtime;
using GaitStream.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Training;

public sealed class WindowDatasetTests
{
    private const int Length = 20;
    private const int Stride = 7;

    public WindowDatasetTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Window_count_and_numbering_follow_the_causal_window_rule_across_trials()
    {
        IReadOnlyList<PreparedTrial> trials = RunningData.Train;
        var dataset = new WindowDataset(trials, RunningData.InputStatistics, RunningData.OutputStatistics, new WindowSpec(Length, Stride));

        int[] perTrial = [.. trials.Select(t => ((t.FrameCount - Length) / Stride) + 1)];
        Assert.Equal(4, trials.Count);
        Assert.All(trials, t => Assert.InRange(t.FrameCount, 150, 400));
        Assert.Equal(perTrial.Sum(), dataset.Count);
        Assert.Equal((dataset.Count + 4) / 5, dataset.BatchCount(5));

        Assert.Equal((0, Length - 1), dataset.WindowAt(0));
        Assert.Equal((0, Length - 1 + ((perTrial[0] - 1) * Stride)), dataset.WindowAt(perTrial[0] - 1));
        Assert.Equal((1, Length - 1), dataset.WindowAt(perTrial[0]));
        Assert.Equal((3, Length - 1 + ((perTrial[3] - 1) * Stride)), dataset.WindowAt(dataset.Count - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.WindowAt(dataset.Count));
    }

    [Fact]
    public void A_trial_shorter_than_the_window_contributes_no_windows_and_is_skipped_in_the_numbering()
    {
        PreparedTrial a = RunningData.Train[0];
        PreparedTrial b = RunningData.Train[1];
        PreparedTrial tooShort = Truncate(b, Length - 1);
        var dataset = new WindowDataset([a, tooShort, tooShort, b], RunningData.InputStatistics, RunningData.OutputStatistics, new WindowSpec(Length, Stride));

        int inA = ((a.FrameCount - Length) / Stride) + 1;
        Assert.Equal(inA + ((b.FrameCount - Length) / Stride) + 1, dataset.Count);
        Assert.Equal((0, Length - 1 + ((inA - 1) * Stride)), dataset.WindowAt(inA - 1));
        Assert.Equal((3, Length - 1), dataset.WindowAt(inA));
    }

    [Fact]
    public void A_shuffled_batch_holds_the_standardised_angles_and_last_frame_references_of_its_windows()
    {
        IReadOnlyList<PreparedTrial> trials = RunningData.Train;
        ZScoreStatistics inputs = RunningData.InputStatistics;
        ZScoreStatistics outputs = RunningData.OutputStatistics;
        var dataset = new WindowDataset(trials, inputs, outputs, new WindowSpec(Length, Stride));
        const int batchSize = 5;
        const long seed = 42;

        int[] order = dataset.Order(shuffle: true, seed);
        using WindowBatch batch = dataset.Batches(batchSize, shuffle: true, seed, sequenceTargets: true).First();

        Assert.Equal([batchSize, Length, 10], batch.Inputs.shape);
        Assert.Equal([batchSize, 6], batch.Targets.shape);
        Assert.Equal([batchSize, Length, 6], batch.SequenceTargets!.shape);
        Assert.Equal(ScalarType.Float32, batch.Inputs.dtype);
        float[] x = batch.Inputs.data<float>().ToArray();
        float[] y = batch.Targets.data<float>().ToArray();
        float[] ySequence = batch.SequenceTargets.data<float>().ToArray();
        for (int b = 0; b < batchSize; b++)
        {
            (int t, int target) = dataset.WindowAt(order[b]);
            PreparedTrial trial = trials[t];
            for (int l = 0; l < Length; l++)
            {
                int frame = target - Length + 1 + l;
                for (int c = 0; c < 10; c++)
                {
                    float expected = (float)((trial.Inputs[c][frame] - inputs.Means[c]) / inputs.Scales[c]);
                    Assert.Equal(expected, x[(((b * Length) + l) * 10) + c]);
                }
                for (int k = 0; k < 6; k++)
                {
                    float expected = (float)((trial.Outputs[k][frame] - outputs.Means[k]) / outputs.Scales[k]);
                    Assert.Equal(expected, ySequence[(((b * Length) + l) * 6) + k]);
                }
            }
            for (int k = 0; k < 6; k++)
            {
                Assert.Equal((float)((trial.Outputs[k][target] - outputs.Means[k]) / outputs.Scales[k]), y[(b * 6) + k]);
            }
        }

        // Standardised with training statistics, the training frames have mean 0 and SD 1 per channel.
        double[] pooled = [.. trials.SelectMany(t => t.Outputs[0]).Select(v => (v - outputs.Means[0]) / outputs.Scales[0])];
        Assert.Equal(0, pooled.Average(), 1e-9);
        Assert.Equal(1, Math.Sqrt(pooled.Average(v => v * v)), 1e-9);
    }

    [Fact]
    public void An_epoch_visits_every_window_once_in_an_order_fixed_by_the_seed()
    {
        var dataset = RunningData.Windows(RunningData.Train, strideFrames: 5);
        int[] identity = [.. Enumerable.Range(0, dataset.Count)];

        Assert.Equal(identity, dataset.Order(shuffle: false, seed: 3));
        Assert.Equal(dataset.Order(true, 3), dataset.Order(true, 3));
        Assert.NotEqual(dataset.Order(true, 3), dataset.Order(true, 4));
        Assert.Equal(identity, dataset.Order(true, 3).Order());

        var sizes = new List<long>();
        var firstTargets = new List<float>();
        foreach (WindowBatch batch in dataset.Batches(16, shuffle: true, seed: 3))
        {
            using (batch)
            {
                sizes.Add(batch.Inputs.shape[0]);
                Assert.Equal(batch.Count, batch.Targets.shape[0]);
                firstTargets.Add(batch.Targets[0, 0].item<float>());
            }
        }
        Assert.Equal(dataset.BatchCount(16), sizes.Count);
        Assert.Equal(dataset.Count, sizes.Sum());
        Assert.All(sizes.SkipLast(1), s => Assert.Equal(16, s));
        Assert.Equal(dataset.Count - (16 * (sizes.Count - 1)), sizes[^1]);

        // The same seed gives the same batches.
        float[] again = [.. dataset.Batches(16, shuffle: true, seed: 3).Select(b => { using (b) { return b.Targets[0, 0].item<float>(); } })];
        Assert.Equal(firstTargets, again);
    }

    [Fact]
    public void The_example_walking_trial_gives_moments_and_forces_standardised_per_channel()
    {
        Dataset example = DatasetCatalog.Load(Path.Combine(RepoPaths.RepoRoot, "data", "examples", "gait2354-walk"));
        PreparedTrial trial = TrialPreprocessor.Prepare(example.LoadTrial(example.Trials[0]));
        (ZScoreStatistics inputs, ZScoreStatistics outputs) = WindowDataset.FitStatistics([trial]);

        Assert.Equal(ChannelSchema.InputAngles, inputs.ChannelNames);
        Assert.Equal([.. ChannelSchema.HipMoments, .. ChannelSchema.GroupForces], outputs.ChannelNames);
        // CMC forces cover less time than the angles, so the common span is short: 20-frame windows.
        var dataset = new WindowDataset([trial], inputs, outputs, new WindowSpec(20, 1));
        Assert.InRange(trial.FrameCount, 30, 200);
        Assert.Equal(trial.FrameCount - 19, dataset.Count);
        Assert.Equal(22, dataset.OutputChannelCount);

        // Forces vary far more than moments in physical units; standardised, every channel has unit spread.
        double momentSd = outputs.StandardDeviations.Take(6).Max();
        double forceSd = outputs.StandardDeviations.Skip(6).Max();
        Assert.True(forceSd > 5 * momentSd, $"force SD {forceSd} N/kg vs moment SD {momentSd} N·m/kg");
    }

    [Fact]
    public void Trials_whose_channels_differ_from_the_statistics_are_refused_with_the_names()
    {
        PreparedTrial trial = RunningData.Train[0];
        PreparedTrial renamed = trial with { OutputChannels = [.. trial.OutputChannels.Reverse()] };
        var e = Assert.Throws<ArgumentException>(() =>
            new WindowDataset([renamed], RunningData.InputStatistics, RunningData.OutputStatistics, new WindowSpec(Length, Stride)));
        Assert.Contains("output channels", e.Message, StringComparison.Ordinal);
        Assert.Contains("hip_flexion_r_moment", e.Message, StringComparison.Ordinal);
    }

    private static PreparedTrial Truncate(PreparedTrial trial, int frames) => trial with
    {
        TimeS = trial.TimeS[..frames],
        Inputs = [.. trial.Inputs.Select(c => c[..frames])],
        Outputs = [.. trial.Outputs.Select(c => c[..frames])],
    };
}
