namespace GaitStream.Training.Training;

/// <summary>What a <see cref="TrainingProgress"/> report marks.</summary>
public enum TrainingPhase
{
    /// <summary>Before the first step: the device is chosen, the step counts are known.</summary>
    Started,

    /// <summary>After an optimiser step.</summary>
    Step,

    /// <summary>After an epoch's validation (and checkpoint, when one is written).</summary>
    EpochCompleted,

    /// <summary>Training ended; the best weights are back in the model.</summary>
    Finished,
}
