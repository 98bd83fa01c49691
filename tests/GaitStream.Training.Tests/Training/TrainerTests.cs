using System.Globalization;
using GaitStream.Training.Runtime;
using GaitStream.Training.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Training;

/// <summary>
/// The loop on real running data (AddBiomechanics, Hamner 2013; hip moments only): subjects split 2 / 1 / 1 with a
/// seed, 100 Hz, 1 s causal windows, training stride 5, validation stride 5.
/// </summary>
public sealed class TrainerTests(ITestOutputHelper output)
{
    private const int ModelSeed = 11;
    private const int Stride = 5;

    private static readonly TrainingOptions Quick = new()
    {
        Epochs = 6,
        BatchSize = 16,
        LearningRate = 1e-2,
        WarmupFraction = 0.1,
        EarlyStoppingPatience = null,
        Seed = 5,
    };

    private static WindowDataset Train => RunningData.Windows(RunningData.Train, Stride);

    private static WindowDataset Validation => RunningData.Windows(RunningData.Validation, Stride);

    [Fact]
    public void Training_the_stand_in_model_on_real_running_data_lowers_the_validation_loss()
    {
        WindowDataset train = Train;
        WindowDataset validation = Validation;
        using CausalConvStandIn model = NewModel();
        double before = Trainer.MeanSquaredError(model, validation);
        var progress = new SynchronousProgress<TrainingProgress>();

        TrainingResult result = new Trainer(Quick, progress).Fit(model, train, validation);
        double after = Trainer.MeanSquaredError(model, validation);

        output.WriteLine(Describe(result, before, after, train.Count));
        Assert.Equal(Quick.Epochs, result.EpochsRun);
        Assert.Equal(TrainingStopReason.MaxEpochs, result.StopReason);
        Assert.Equal("cpu", result.Device);
        Assert.Equal(train.BatchCount(Quick.BatchSize) * Quick.Epochs, result.GlobalSteps);
        Assert.Equal((long)train.Count * Quick.Epochs, result.WindowsTrained);
        Assert.True(before > 0.5, $"an untrained model should be far off: validation MSE {before:F4} (standardised)");
        Assert.True(after < 0.6 * before, $"validation MSE went from {before:F4} to {after:F4}; expected below 60 % of it");
        Assert.True(result.TrainLoss[^1] < 0.5 * result.TrainLoss[0], $"training loss {result.TrainLoss[0]:F4} → {result.TrainLoss[^1]:F4}");

        // The model holds the best epoch's weights, and that epoch has the lowest validation loss.
        Assert.Equal(result.ValidationLoss.Min(), result.BestValidationLoss);
        Assert.Equal(result.BestValidationLoss, result.ValidationLoss[result.BestEpoch - 1]);
        Assert.Equal(result.BestValidationLoss, after, 1e-12);

        // Progress: started, one report per step, one per epoch, finished; the learning rate warmed up then decayed.
        Assert.Equal(TrainingPhase.Started, progress.Reports[0].Phase);
        Assert.Equal(TrainingPhase.Finished, progress.Reports[^1].Phase);
        Assert.Equal(result.GlobalSteps, progress.Reports.Count(r => r.Phase == TrainingPhase.Step));
        Assert.Equal(result.EpochsRun, progress.Reports.Count(r => r.Phase == TrainingPhase.EpochCompleted));
        Assert.All(progress.Reports, r => Assert.Equal("cpu", r.Device));
        double[] rates = [.. progress.Reports.Where(r => r.Phase == TrainingPhase.Step).Select(r => r.LearningRate)];
        int peak = Array.IndexOf(rates, rates.Max());
        Assert.InRange(peak, 1, rates.Length / 4);
        Assert.Equal(Quick.LearningRate * Quick.FinalLearningRateFraction, rates[^1], 1e-12);
        Assert.NotNull(progress.Reports.First(r => r.Phase == TrainingPhase.EpochCompleted).Eta);
    }

    [Fact]
    public void Early_stopping_ends_after_the_patience_and_restores_the_best_epochs_weights()
    {
        WindowDataset train = Train;
        WindowDataset validation = Validation;
        using CausalConvStandIn model = NewModel();
        // No later epoch can beat the first by 10 (standardised MSE): the run must stop after 1 + patience epochs
        // and end with epoch 1's weights although three more epochs trained the model further.
        TrainingOptions options = Quick with { Epochs = 20, EarlyStoppingPatience = 3, EarlyStoppingMinDelta = 10 };

        TrainingResult result = new Trainer(options).Fit(model, train, validation);
        double restored = Trainer.MeanSquaredError(model, validation);

        output.WriteLine(string.Join(", ", result.ValidationLoss.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
        Assert.Equal(TrainingStopReason.EarlyStopping, result.StopReason);
        Assert.Equal(4, result.EpochsRun);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(result.ValidationLoss[0], result.BestValidationLoss);
        Assert.Equal(result.ValidationLoss[0], restored, 1e-12);
        Assert.True(Math.Abs(result.ValidationLoss[^1] - restored) > 1e-4,
            $"the last epoch's loss {result.ValidationLoss[^1]:F6} should differ from the restored best {restored:F6}");
    }

    [Fact]
    public void A_down_weighted_all_frames_loss_trains_too()
    {
        WindowDataset validation = Validation;
        using CausalConvStandIn model = NewModel();
        double before = Trainer.MeanSquaredError(model, validation);

        TrainingResult result = new Trainer(Quick with { Epochs = 3, SequenceLossWeight = 0.25 }).Fit(model, Train, validation);

        output.WriteLine($"validation MSE {before:F4} → {result.BestValidationLoss:F4}; train {Curve(result.TrainLoss)}");
        Assert.True(result.BestValidationLoss < 0.8 * before, $"validation MSE {before:F4} → {result.BestValidationLoss:F4}");
    }

    [Fact]
    public void A_spent_wall_clock_budget_stops_after_the_step_in_progress()
    {
        using CausalConvStandIn model = NewModel();

        TrainingResult result = new Trainer(Quick with { MaxWallClock = TimeSpan.FromTicks(1) }).Fit(model, Train);

        Assert.Equal(TrainingStopReason.WallClockBudget, result.StopReason);
        Assert.Equal(1, result.GlobalSteps);
        Assert.Equal(1, result.EpochsRun);
        Assert.Equal(Quick.BatchSize, result.WindowsTrained);
        // Without a validation set the model keeps the last weights and there is no validation loss.
        Assert.Equal(1, result.BestEpoch);
        Assert.True(double.IsNaN(result.BestValidationLoss));
        Assert.Empty(result.ValidationLoss);
    }

    [Fact]
    public void The_same_seed_gives_the_same_loss_curves_and_weights_on_the_cpu()
    {
        WindowDataset train = Train;
        WindowDataset validation = Validation;
        TrainingOptions options = Quick with { Epochs = 3 };

        (TrainingResult first, float[] firstWeights) = TrainFresh(options, train, validation);
        (TrainingResult second, float[] secondWeights) = TrainFresh(options, train, validation);
        (TrainingResult otherSeed, _) = TrainFresh(options with { Seed = options.Seed + 1 }, train, validation);

        Assert.Equal(first.TrainLoss, second.TrainLoss);
        Assert.Equal(first.ValidationLoss, second.ValidationLoss);
        Assert.Equal(firstWeights, secondWeights);
        Assert.NotEqual(first.TrainLoss, otherSeed.TrainLoss);
    }

    [Fact]
    public void Training_four_epochs_equals_two_then_a_checkpoint_and_a_resume_for_two_more()
    {
        WindowDataset train = Train;
        WindowDataset validation = Validation;
        string path = Path.Combine(Path.GetTempPath(), $"gaitstream-{Guid.NewGuid():N}.ckpt");
        TrainingOptions options = Quick with { Epochs = 4 };
        try
        {
            (TrainingResult straight, float[] straightWeights) = TrainFresh(options, train, validation);

            // Interrupted: cancelled as soon as epoch 2 is reported, i.e. after its checkpoint was written.
            using var cancel = new CancellationTokenSource();
            var progress = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p is { Phase: TrainingPhase.EpochCompleted, Epoch: 2 })
                {
                    cancel.Cancel();
                }
            });
            using (CausalConvStandIn interrupted = NewModel())
            {
                Assert.Throws<OperationCanceledException>(() =>
                    new Trainer(options with { CheckpointPath = path }, progress).Fit(interrupted, train, validation, cancel.Token));
            }
            CheckpointState saved = Checkpoint.ReadState(path);
            Assert.Equal(2, saved.Epoch);
            Assert.Null(saved.StopReason);
            Assert.Equal(2L * train.BatchCount(options.BatchSize), saved.GlobalStep);

            // Resumed into a model with other initial weights: everything must come from the checkpoint.
            torch.manual_seed(12345);
            using var resumedModel = new CausalConvStandIn(10, 6);
            TrainingResult resumed = new Trainer(options with { CheckpointPath = path }).Resume(path, resumedModel, train, validation);

            output.WriteLine("straight: " + Curve(straight.TrainLoss) + " | " + Curve(straight.ValidationLoss));
            output.WriteLine("resumed:  " + Curve(resumed.TrainLoss) + " | " + Curve(resumed.ValidationLoss));
            Assert.Equal(4, resumed.EpochsRun);
            Assert.Equal(straight.GlobalSteps, resumed.GlobalSteps);
            Assert.Equal(straight.BestEpoch, resumed.BestEpoch);
            AssertClose(straight.TrainLoss, resumed.TrainLoss, 1e-6);
            AssertClose(straight.ValidationLoss, resumed.ValidationLoss, 1e-6);
            Assert.Equal(straightWeights, Weights(resumedModel));

            // The finished run's checkpoint loads the best weights for inference.
            Assert.Equal(TrainingStopReason.MaxEpochs, Checkpoint.ReadState(path).StopReason);
            torch.manual_seed(999);
            using var inference = new CausalConvStandIn(10, 6);
            Checkpoint.LoadWeights(path, inference);
            Assert.Equal(resumed.BestValidationLoss, Trainer.MeanSquaredError(inference, validation), 1e-12);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Resuming_with_options_that_change_the_trajectory_is_refused()
    {
        WindowDataset train = Train;
        string path = Path.Combine(Path.GetTempPath(), $"gaitstream-{Guid.NewGuid():N}.ckpt");
        try
        {
            TrainingOptions options = Quick with { Epochs = 1, CheckpointPath = path };
            using (CausalConvStandIn model = NewModel())
            {
                _ = new Trainer(options).Fit(model, train);
            }
            using CausalConvStandIn again = NewModel();
            var e = Assert.Throws<ArgumentException>(() =>
                new Trainer(options with { LearningRate = 5e-3 }).Resume(path, again, train));
            Assert.Contains("would not continue the same run", e.Message, StringComparison.Ordinal);

            // A different budget or device may change; a finished run resumes to nothing more.
            TrainingResult result = new Trainer(options with { MaxWallClock = TimeSpan.FromHours(1), Device = "cpu" }).Resume(path, again, train);
            Assert.Equal(1, result.EpochsRun);
            Assert.Equal(0, result.WindowsTrained);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_model_that_breaks_the_sequence_contract_is_named_with_the_expected_shape()
    {
        using var perWindow = nn.Sequential(("flatten", nn.Flatten()), ("out", nn.Linear(100 * 10, 6)));
        var e = Assert.Throws<InvalidOperationException>(() => new Trainer(Quick with { Epochs = 1 }).Fit(perWindow, Train));
        Assert.Contains("[B, L, K]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.Epochs))]
    [InlineData(nameof(TrainingOptions.LearningRate))]
    [InlineData(nameof(TrainingOptions.WarmupFraction))]
    [InlineData(nameof(TrainingOptions.Device))]
    public void Options_that_cannot_work_are_refused_by_name(string option)
    {
        TrainingOptions bad = option switch
        {
            nameof(TrainingOptions.Epochs) => Quick with { Epochs = 0 },
            nameof(TrainingOptions.LearningRate) => Quick with { LearningRate = double.NaN },
            nameof(TrainingOptions.WarmupFraction) => Quick with { WarmupFraction = 1 },
            _ => Quick with { Device = "gpu" },
        };
        var e = Assert.Throws<ArgumentException>(() => new Trainer(bad));
        Assert.Contains($"TrainingOptions.{option}", e.Message, StringComparison.Ordinal);
    }

    private static CausalConvStandIn NewModel()
    {
        TorchRuntime.EnsureInitialized();
        torch.manual_seed(ModelSeed);
        return new CausalConvStandIn(10, 6);
    }

    private static (TrainingResult Result, float[] Weights) TrainFresh(TrainingOptions options, WindowDataset train, WindowDataset validation)
    {
        using CausalConvStandIn model = NewModel();
        TrainingResult result = new Trainer(options).Fit(model, train, validation);
        return (result, Weights(model));
    }

    private static float[] Weights(nn.Module model) =>
        [.. model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray())];

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"epoch {i + 1}: {expected[i]:R} vs {actual[i]:R}");
        }
    }

    private static string Curve(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("F5", CultureInfo.InvariantCulture)));

    private static string Describe(TrainingResult result, double before, double after, int windows) => string.Create(CultureInfo.InvariantCulture,
        $"{windows} training windows; validation MSE {before:F4} → {after:F4} (best epoch {result.BestEpoch}); train {Curve(result.TrainLoss)}; " +
        $"val {Curve(result.ValidationLoss)}; {result.WindowsPerSecond:F0} windows/s ({result.TrainingTime.TotalSeconds:F2} s training, {result.WallTime.TotalSeconds:F2} s wall)");
}
