using System.Globalization;

namespace GaitStream.Training.Training;

/// <summary>
/// How <see cref="Trainer"/> trains a model: AdamW with a linear warm-up and a cosine decay to a floor, gradient
/// clipping, early stopping on the validation loss, a seed for everything random, the device and an optional
/// wall-clock budget. <see cref="Validate"/> names whatever cannot work before the first step.
/// </summary>
public sealed record TrainingOptions
{
    public static TrainingOptions Default { get; } = new();

    /// <summary>Maximum epochs; also the length the learning-rate schedule is laid out over.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Windows per optimiser step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak AdamW learning rate, reached at the end of the warm-up.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Fraction of all steps spent warming the learning rate up linearly from 0 to its peak.</summary>
    public double WarmupFraction { get; init; } = 0.05;

    /// <summary>The cosine decay ends at <see cref="LearningRate"/> × this fraction on the last step.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.01;

    /// <summary>Clip the global L2 norm of the gradients to this value; null for no clipping.</summary>
    public double? GradientClipNorm { get; init; } = 1.0;

    /// <summary>
    /// Stop after this many epochs without a validation-loss improvement and restore the best epoch's weights;
    /// null to run every epoch (the best weights are still restored when there is a validation set).
    /// </summary>
    public int? EarlyStoppingPatience { get; init; } = 10;

    /// <summary>An epoch improves on the best only when its validation loss is lower by more than this.</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>
    /// Weight of an extra loss on every frame of each window (causal estimates from shorter histories), added to the
    /// last-frame loss; 0 (the default) trains on the last frame only, the estimate the protocol scores.
    /// </summary>
    public double SequenceLossWeight { get; init; }

    /// <summary>Seeds torch's generator (initial dropout masks etc.) and each epoch's window shuffle.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>"auto" (CUDA when torch.cuda.is_available(), else CPU), "cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Stop, after validating the epoch in progress, once training has run this long (counting the time
    /// before a resume); null for no limit.</summary>
    public TimeSpan? MaxWallClock { get; init; }

    /// <summary>Write a checkpoint here after every epoch (atomically replaced); null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option that cannot work.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "must be at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be at least 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "must be a positive number");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be ≥ 0");
        Require(double.IsFinite(WarmupFraction) && WarmupFraction is >= 0 and < 1, nameof(WarmupFraction), WarmupFraction, "must be in [0, 1)");
        Require(double.IsFinite(FinalLearningRateFraction) && FinalLearningRateFraction is >= 0 and <= 1,
            nameof(FinalLearningRateFraction), FinalLearningRateFraction, "must be in [0, 1]");
        Require(GradientClipNorm is null || (double.IsFinite(GradientClipNorm.Value) && GradientClipNorm > 0),
            nameof(GradientClipNorm), GradientClipNorm, "must be a positive number, or null for no clipping");
        Require(EarlyStoppingPatience is null or >= 1, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be at least 1 epoch, or null to run every epoch");
        Require(double.IsFinite(EarlyStoppingMinDelta) && EarlyStoppingMinDelta >= 0, nameof(EarlyStoppingMinDelta), EarlyStoppingMinDelta, "must be ≥ 0");
        Require(double.IsFinite(SequenceLossWeight) && SequenceLossWeight >= 0, nameof(SequenceLossWeight), SequenceLossWeight, "must be ≥ 0");
        Require(MaxWallClock is null || MaxWallClock > TimeSpan.Zero, nameof(MaxWallClock), MaxWallClock, "must be positive, or null for no limit");
        try
        {
            _ = TrainingDevice.Parse(Device);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"TrainingOptions.{nameof(Device)}: {e.Message}", nameof(Device), e);
        }
    }

    /// <summary>
    /// These options with everything that may change between a run and its resume (device, patience, budget,
    /// checkpoint path) set to the defaults, so two runs' trajectories agree exactly when these are equal.
    /// </summary>
    internal TrainingOptions TrajectoryDefining() => this with
    {
        Device = Default.Device,
        EarlyStoppingPatience = Default.EarlyStoppingPatience,
        EarlyStoppingMinDelta = Default.EarlyStoppingMinDelta,
        MaxWallClock = Default.MaxWallClock,
        CheckpointPath = Default.CheckpointPath,
    };

    private static void Require(bool ok, string name, object? value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"TrainingOptions.{name} is {value ?? "null"}; it {rule}."), name);
        }
    }
}
