namespace GaitStream.Training.Training;

/// <summary>
/// A progress report from <see cref="Trainer"/>, raised synchronously on the training thread (a CLI renders it as a
/// progress bar; the library never writes to the console). Epochs and steps count from 1.
/// </summary>
/// <param name="Phase">What the report marks.</param>
/// <param name="Epoch">The epoch in progress or just completed (0 before the first).</param>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="StepsPerEpoch">Steps in a full epoch.</param>
/// <param name="GlobalStep">Steps done since the start of training (across resumes).</param>
/// <param name="TotalSteps">Steps if every epoch runs.</param>
/// <param name="Loss">Step: this batch's loss; EpochCompleted / Finished: the epoch's mean training loss; NaN before any step.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="ValidationLoss">The epoch's validation loss, on EpochCompleted with a validation set; else null.</param>
/// <param name="Elapsed">Training time so far, including the time before a resume.</param>
/// <param name="Eta">Estimated time to the last epoch at the current pace (capped by the budget); null until a step has run.</param>
/// <param name="Device">The device training runs on ("cpu", "cuda:0").</param>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    long GlobalStep,
    long TotalSteps,
    double Loss,
    double LearningRate,
    double? ValidationLoss,
    TimeSpan Elapsed,
    TimeSpan? Eta,
    string Device);
