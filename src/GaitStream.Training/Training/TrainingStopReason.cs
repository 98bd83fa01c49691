namespace GaitStream.Training.Training;

/// <summary>Why training ended.</summary>
public enum TrainingStopReason
{
    /// <summary>All <see cref="TrainingOptions.Epochs"/> ran.</summary>
    MaxEpochs,

    /// <summary>The validation loss stopped improving for <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs.</summary>
    EarlyStopping,

    /// <summary><see cref="TrainingOptions.MaxWallClock"/> ran out (the last epoch may be partial).</summary>
    WallClockBudget,
}
