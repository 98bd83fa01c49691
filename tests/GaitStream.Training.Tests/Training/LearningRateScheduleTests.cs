using GaitStream.Training.Training;

namespace GaitStream.Training.Tests.Training;

public sealed class LearningRateScheduleTests
{
    private static readonly TrainingOptions Options = new() { LearningRate = 2e-3, WarmupFraction = 0.1, FinalLearningRateFraction = 0.05 };

    [Fact]
    public void The_rate_warms_up_linearly_to_the_peak_then_decays_by_a_half_cosine_to_the_floor()
    {
        const long total = 100;
        double[] rates = [.. Enumerable.Range(0, (int)total).Select(s => LearningRateSchedule.At(s, total, Options))];

        Assert.Equal(10, LearningRateSchedule.WarmupSteps(total, Options.WarmupFraction));
        for (int s = 0; s < 10; s++)
        {
            Assert.Equal(2e-3 * (s + 1) / 10, rates[s], 1e-15);
        }
        Assert.Equal(2e-3, rates[10], 1e-15);
        Assert.Equal(1e-4, rates[^1], 1e-15);
        // A half cosine is point-symmetric about the middle of the decay (steps 10 … 99): mirrored rates sum to peak + floor.
        for (int s = 10; s < total; s++)
        {
            Assert.Equal(2e-3 + 1e-4, rates[s] + rates[109 - s], 1e-15);
        }
        for (int s = 11; s < total; s++)
        {
            Assert.True(rates[s] < rates[s - 1], $"step {s}: {rates[s]} should be below {rates[s - 1]}");
        }
    }

    [Fact]
    public void Without_warm_up_the_first_step_runs_at_the_peak_and_a_single_step_run_at_the_floor()
    {
        TrainingOptions noWarmup = Options with { WarmupFraction = 0 };
        Assert.Equal(2e-3, LearningRateSchedule.At(0, 50, noWarmup), 1e-15);
        Assert.Equal(1e-4, LearningRateSchedule.At(0, 1, Options), 1e-15);
    }
}
