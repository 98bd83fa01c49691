namespace GaitStream.Training.Training;

/// <summary>
/// The learning rate of every optimiser step, in closed form from the step number: a linear warm-up from 0 to the
/// peak over the first ⌈warm-up fraction × total⌉ steps, then a half cosine from the peak down to peak × final
/// fraction on the last step. Closed form, so a resumed run needs nothing but its step number.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>Warm-up steps for a run of <paramref name="totalSteps"/>.</summary>
    public static long WarmupSteps(long totalSteps, double warmupFraction) =>
        Math.Min(totalSteps - 1, (long)Math.Ceiling(warmupFraction * totalSteps));

    /// <summary>Learning rate of step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double At(long step, long totalSteps, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        double peak = options.LearningRate;
        double floor = peak * options.FinalLearningRateFraction;
        long warmup = Math.Max(0, WarmupSteps(totalSteps, options.WarmupFraction));
        if (step < warmup)
        {
            return peak * (step + 1) / warmup;
        }
        long decaySteps = totalSteps - warmup - 1;
        double progress = decaySteps <= 0 ? 1.0 : Math.Min(1.0, (double)(step - warmup) / decaySteps);
        return floor + ((peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
