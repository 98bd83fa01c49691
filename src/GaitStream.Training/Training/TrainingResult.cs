namespace GaitStream.Training.Training;

/// <summary>
/// What a training run did. Losses are mean squared errors of standardised outputs (see <see cref="WindowDataset"/>):
/// the training loss is the objective averaged over the epoch's windows, the validation loss the last-frame MSE over
/// every validation window after the epoch.
/// </summary>
/// <param name="EpochsRun">Epochs trained, including those before a resume (the last may be partial under a budget).</param>
/// <param name="BestEpoch">1-based epoch whose weights the model holds now: the lowest validation loss, or the last epoch without validation.</param>
/// <param name="BestValidationLoss">Validation loss of <see cref="BestEpoch"/>; NaN without validation.</param>
/// <param name="TrainLoss">Per epoch, the mean training loss.</param>
/// <param name="ValidationLoss">Per epoch, the validation loss (empty without a validation set).</param>
/// <param name="StopReason">Why training ended.</param>
/// <param name="GlobalSteps">Optimiser steps taken in all.</param>
/// <param name="WindowsTrained">Training windows processed (forward and backward) in this call, not counting before a resume.</param>
/// <param name="TrainingTime">Time spent in training steps in this call (no validation, no checkpoints).</param>
/// <param name="WallTime">Time in all, including the time before a resume.</param>
/// <param name="Device">The device it ran on.</param>
public sealed record TrainingResult(
    int EpochsRun,
    int BestEpoch,
    double BestValidationLoss,
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double> ValidationLoss,
    TrainingStopReason StopReason,
    long GlobalSteps,
    long WindowsTrained,
    TimeSpan TrainingTime,
    TimeSpan WallTime,
    string Device)
{
    /// <summary>Training throughput of this call: windows per second of step time.</summary>
    public double WindowsPerSecond => TrainingTime > TimeSpan.Zero ? WindowsTrained / TrainingTime.TotalSeconds : double.NaN;
}
