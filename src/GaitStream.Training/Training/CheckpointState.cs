namespace GaitStream.Training.Training;

/// <summary>
/// Where a training run stood when its checkpoint was written: enough, with the weights, optimiser moments and
/// torch's generator state stored beside it, to continue the run as if it had never stopped. Each epoch's window
/// shuffle is a function of <see cref="TrainingOptions.Seed"/> and the epoch number, so no shuffle state is kept.
/// </summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="GlobalStep">Optimiser steps taken (the learning-rate schedule's position).</param>
/// <param name="BestEpoch">Epoch with the lowest validation loss so far (the last one without validation); 0 before any.</param>
/// <param name="BestValidationLoss">Its validation loss; NaN without validation.</param>
/// <param name="EpochsWithoutImprovement">Epochs since the best one (early-stopping counter).</param>
/// <param name="TrainLoss">Mean training loss per completed epoch.</param>
/// <param name="ValidationLoss">Validation loss per completed epoch (empty without validation).</param>
/// <param name="Elapsed">Wall-clock time trained so far.</param>
/// <param name="StopReason">Set when the run had ended (a later resume does nothing); null while it may go on.</param>
/// <param name="TrainWindowCount">Windows in the training set, to refuse resuming on different data.</param>
/// <param name="Options">The run's options; a resume must agree on every option that shapes the trajectory.</param>
public sealed record CheckpointState(
    int Epoch,
    long GlobalStep,
    int BestEpoch,
    double BestValidationLoss,
    int EpochsWithoutImprovement,
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double> ValidationLoss,
    TimeSpan Elapsed,
    TrainingStopReason? StopReason,
    int TrainWindowCount,
    TrainingOptions Options);
