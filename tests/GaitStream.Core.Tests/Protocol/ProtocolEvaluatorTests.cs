using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;

namespace GaitStream.Core.Tests.Protocol;

public class ProtocolEvaluatorTests
{
    private const double Tol = 1e-12;
    private static readonly double Root2 = Math.Sqrt(2.0);

    internal static readonly string[] FourChannels = ["glut_max_r", "glut_med_r", "hip_flexion_r_moment", "hip_adduction_r_moment"];
    internal static readonly ChannelKind[] FourKinds = [ChannelKind.Force, ChannelKind.Force, ChannelKind.Moment, ChannelKind.Moment];
    private static readonly string[] OneForce = ["glut_max_r"];
    private static readonly ChannelKind[] OneForceKind = [ChannelKind.Force];

    internal static PredictionSet Set(string subject, string cohort, string condition, string trial, double[][] reference, double[][] predicted) =>
        reference.Length == 1
            ? new(subject, cohort, condition, trial, OneForce, OneForceKind, reference, predicted)
            : new(subject, cohort, condition, trial, FourChannels, FourKinds, reference, predicted);

    /// <summary>
    /// Two subjects × two force + two moment channels, one trial each, four frames; metrics per channel in comments.
    /// </summary>
    internal static List<PredictionSet> TwoSubjects() =>
    [
        Set("A", "healthy", "cadence_100", "t1",
            reference: [[1, 2, 3, 4], [1, 2, 3, 4], [0, 0, 1, 1], [0, 0, 1, 1]],
            predicted: [
                [1, 2, 3, 5],  // RMSE 0.5, MAE 0.25, R² 1 − 1/5 = 0.8
                [2, 3, 4, 5],  // RMSE 1,   MAE 1,    R² 1 − 4/5 = 0.2
                [0, 0, 1, 1],  // RMSE 0,   MAE 0,    R² 1
                [0, 0, 1, 3],  // errors [0,0,0,2]: RMSE 1, MAE 0.5, SS_tot 1, R² 1 − 4 = −3
            ]),
        Set("B", "healthy", "cadence_100", "t1",
            reference: [[1, 2, 3, 4], [1, 2, 3, 4], [0, 0, 1, 1], [0, 0, 1, 1]],
            predicted: [
                [1, 2, 3, 4],  // RMSE 0,   MAE 0,    R² 1
                [1, 2, 3, 7],  // RMSE 1.5, MAE 0.75, R² 1 − 9/5 = −0.8
                [1, 0, 1, 1],  // RMSE 0.5, MAE 0.25, R² 1 − 1/1 = 0
                [0, 0, 1, 1],  // RMSE 0,   MAE 0,    R² 1
            ]),
    ];

    [Fact]
    public void Per_subject_kind_metrics_average_the_kinds_channels()
    {
        MetricsReport report = ProtocolEvaluator.Evaluate(TwoSubjects());

        // A forces: RMSE (0.5+1)/2 = 0.75, MAE (0.25+1)/2 = 0.625, R² (0.8+0.2)/2 = 0.5
        AssertKind(report.PerSubject["A"].PerKind[ChannelKind.Force], 0.75, 0.625, 0.5);
        // A moments: RMSE (0+1)/2 = 0.5, MAE (0+0.5)/2 = 0.25, R² (1−3)/2 = −1
        AssertKind(report.PerSubject["A"].PerKind[ChannelKind.Moment], 0.5, 0.25, -1.0);
        // B forces: RMSE (0+1.5)/2 = 0.75, MAE (0+0.75)/2 = 0.375, R² (1−0.8)/2 = 0.1
        AssertKind(report.PerSubject["B"].PerKind[ChannelKind.Force], 0.75, 0.375, 0.1);
        // B moments: RMSE (0.5+0)/2 = 0.25, MAE (0.25+0)/2 = 0.125, R² (0+1)/2 = 0.5
        AssertKind(report.PerSubject["B"].PerKind[ChannelKind.Moment], 0.25, 0.125, 0.5);

        Assert.Equal(new ChannelMetrics(1.0, 0.5, -3.0), report.PerSubject["A"].PerChannel["hip_adduction_r_moment"]);
        Assert.Equal(2, report.PerSubject["A"].PerKind[ChannelKind.Force].Channels);
        Assert.Equal(4, report.PerSubject["A"].Frames);
    }

    [Fact]
    public void Overall_is_mean_and_sample_sd_over_subjects()
    {
        MetricsReport report = ProtocolEvaluator.Evaluate(TwoSubjects());
        KindSummary forces = report.Overall[ChannelKind.Force];
        KindSummary moments = report.Overall[ChannelKind.Moment];

        // Two values x ± d: mean x, sample SD √(2d²/1) = d√2.
        // Forces: RMSE [0.75, 0.75] → 0.75 ± 0; MAE [0.625, 0.375] → 0.5 ± 0.125√2; R² [0.5, 0.1] → 0.3 ± 0.2√2
        AssertMeanSd(forces.Rmse, 0.75, 0.0, 2);
        AssertMeanSd(forces.Mae, 0.5, 0.125 * Root2, 2);
        AssertMeanSd(forces.R2, 0.3, 0.2 * Root2, 2);
        // Moments: RMSE [0.5, 0.25] → 0.375 ± 0.125√2; MAE [0.25, 0.125] → 0.1875 ± 0.0625√2; R² [−1, 0.5] → −0.25 ± 0.75√2
        AssertMeanSd(moments.Rmse, 0.375, 0.125 * Root2, 2);
        AssertMeanSd(moments.Mae, 0.1875, 0.0625 * Root2, 2);
        AssertMeanSd(moments.R2, -0.25, 0.75 * Root2, 2);
    }

    [Fact]
    public void A_subjects_trials_are_concatenated_not_averaged()
    {
        // Trial 1: ref [0,2],   pred [0,2]   → RMSE 0, MAE 0, R² 1
        // Trial 2: ref [10,12], pred [11,13] → RMSE 1, MAE 1, R² 1 − 2/2 = 0
        // Averaged per trial would be RMSE 0.5, MAE 0.5, R² 0.5.
        // Concatenated: errors [0,0,1,1] → RMSE √(2/4) = √0.5, MAE 0.5;
        // mean(ref) = 6, SS_tot = 36+16+16+36 = 104, SS_res = 2 → R² = 1 − 2/104.
        List<PredictionSet> sets =
        [
            Set("C", "healthy", "slow", "t1", [[0, 2]], [[0, 2]]),
            Set("C", "healthy", "fast", "t1", [[10, 12]], [[11, 13]]),
        ];

        MetricsReport report = ProtocolEvaluator.Evaluate(sets);

        ChannelMetrics m = report.PerSubject["C"].PerChannel["glut_max_r"];
        Assert.Equal(Math.Sqrt(0.5), m.Rmse, Tol);
        Assert.Equal(0.5, m.Mae, Tol);
        Assert.Equal(1.0 - (2.0 / 104.0), m.R2, Tol);
        AssertMeanSd(report.Overall[ChannelKind.Force].R2, 1.0 - (2.0 / 104.0), 0.0, 1);
        Assert.Equal(["fast", "slow"], report.PerSubject["C"].Conditions);
    }

    [Fact]
    public void Condition_breakdown_uses_only_that_conditions_frames()
    {
        // C slow: perfect → RMSE 0, MAE 0, R² 1.       C fast: ref [10,12], pred [11,13] → RMSE 1, MAE 1, R² 0.
        // D slow: ref [0,2], pred [1,2]: errors [1,0] → RMSE √0.5, MAE 0.5, SS_tot 2, R² 1 − 1/2 = 0.5.
        List<PredictionSet> sets =
        [
            Set("D", "onfh", "slow", "t1", [[0, 2]], [[1, 2]]),
            Set("C", "healthy", "fast", "t1", [[10, 12]], [[11, 13]]),
            Set("C", "healthy", "slow", "t1", [[0, 2]], [[0, 2]]),
        ];

        MetricsReport report = ProtocolEvaluator.Evaluate(sets);
        KindSummary slow = report.PerCondition["slow"][ChannelKind.Force];
        KindSummary fast = report.PerCondition["fast"][ChannelKind.Force];

        // slow over C and D: RMSE [0, √0.5] → √0.5/2 ± 0.5; MAE [0, 0.5] → 0.25 ± 0.25√2; R² [1, 0.5] → 0.75 ± 0.25√2
        AssertMeanSd(slow.Rmse, Math.Sqrt(0.5) / 2, 0.5, 2);
        AssertMeanSd(slow.Mae, 0.25, 0.25 * Root2, 2);
        AssertMeanSd(slow.R2, 0.75, 0.25 * Root2, 2);
        // fast has only C; one subject → SD 0.
        AssertMeanSd(fast.Rmse, 1.0, 0.0, 1);
        AssertMeanSd(fast.Mae, 1.0, 0.0, 1);
        AssertMeanSd(fast.R2, 0.0, 0.0, 1);
        Assert.Equal(["fast", "slow"], report.PerCondition.Keys);
    }

    [Fact]
    public void Cohort_breakdown_summarises_each_cohorts_subjects()
    {
        List<PredictionSet> sets =
        [
            Set("D", "onfh", "slow", "t1", [[0, 2]], [[1, 2]]),
            Set("C", "healthy", "fast", "t1", [[10, 12]], [[11, 13]]),
            Set("C", "healthy", "slow", "t1", [[0, 2]], [[0, 2]]),
        ];

        MetricsReport report = ProtocolEvaluator.Evaluate(sets);

        // healthy = C alone, over both trials (see the concatenation test); onfh = D alone.
        AssertMeanSd(report.PerCohort["healthy"][ChannelKind.Force].R2, 1.0 - (2.0 / 104.0), 0.0, 1);
        AssertMeanSd(report.PerCohort["onfh"][ChannelKind.Force].Rmse, Math.Sqrt(0.5), 0.0, 1);
        AssertMeanSd(report.PerCohort["onfh"][ChannelKind.Force].R2, 0.5, 0.0, 1);
        // Overall RMSE: C √0.5, D √0.5 → √0.5 ± 0.
        AssertMeanSd(report.Overall[ChannelKind.Force].Rmse, Math.Sqrt(0.5), 0.0, 2);
    }

    [Fact]
    public void Undefined_r2_is_left_out_of_averages_and_counted()
    {
        // A: force 1 constant reference → R² NaN; force 2 R² 0.8. A's force R² = 0.8 over 1 of 2 channels.
        // B: both force channels constant → B's force R² NaN, left out of the mean over subjects (N = 1).
        // RMSE and MAE still use every channel: A force 1 errors [1,0,0,0] → RMSE 0.5, MAE 0.25.
        double[][] constant = [[3, 3, 3, 3], [1, 2, 3, 4], [0, 0, 1, 1], [0, 0, 1, 1]];
        List<PredictionSet> sets =
        [
            Set("A", "healthy", "c", "t1", constant, [[4, 3, 3, 3], [1, 2, 3, 5], [0, 0, 1, 1], [0, 0, 1, 1]]),
            Set("B", "healthy", "c", "t1",
                [[3, 3, 3, 3], [5, 5, 5, 5], [0, 0, 1, 1], [0, 0, 1, 1]],
                [[3, 3, 3, 3], [5, 5, 5, 5], [0, 0, 1, 1], [0, 0, 1, 1]]),
        ];

        MetricsReport report = ProtocolEvaluator.Evaluate(sets);

        KindMetrics a = report.PerSubject["A"].PerKind[ChannelKind.Force];
        Assert.Equal(0.8, a.R2, Tol);
        Assert.Equal((2, 1), (a.Channels, a.R2Channels));
        Assert.Equal((0.5 + 0.5) / 2, a.Rmse, Tol);
        Assert.True(double.IsNaN(report.PerSubject["B"].PerKind[ChannelKind.Force].R2));
        AssertMeanSd(report.Overall[ChannelKind.Force].R2, 0.8, 0.0, 1);
        Assert.Equal(2, report.Overall[ChannelKind.Force].Rmse.N);
    }

    [Fact]
    public void Input_order_does_not_change_the_report()
    {
        List<PredictionSet> sets = TwoSubjects();
        string forward = System.Text.Json.JsonSerializer.Serialize(ProtocolEvaluator.Evaluate(sets), ProtocolJson.Options);
        sets.Reverse();
        string backward = System.Text.Json.JsonSerializer.Serialize(ProtocolEvaluator.Evaluate(sets), ProtocolJson.Options);

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Different_channel_lists_in_one_evaluation_are_a_clear_error()
    {
        List<PredictionSet> sets = TwoSubjects();
        sets[1] = sets[1] with { ChannelNames = ["glut_max_r", "glut_med_r", "hip_flexion_r_moment", "hip_rotation_r_moment"] };

        ArgumentException e = Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate(sets));

        Assert.Contains("same channels", e.Message, StringComparison.Ordinal);
        Assert.Contains("hip_rotation_r_moment", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_channel_kinds_in_one_evaluation_are_a_clear_error()
    {
        List<PredictionSet> sets = TwoSubjects();
        sets[1] = sets[1] with { ChannelKinds = [ChannelKind.Force, ChannelKind.Force, ChannelKind.Moment, ChannelKind.Force] };

        ArgumentException e = Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate(sets));
        Assert.Contains("channel kinds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nan_in_a_prediction_is_a_clear_error_naming_subject_channel_and_frame()
    {
        List<PredictionSet> sets = TwoSubjects();
        sets[1].Predicted[2][3] = double.NaN;

        ArgumentException e = Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate(sets));

        Assert.Contains("subject 'B'", e.Message, StringComparison.Ordinal);
        Assert.Contains("hip_flexion_r_moment", e.Message, StringComparison.Ordinal);
        Assert.Contains("frame 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_errors_are_clear()
    {
        List<PredictionSet> missingRow = TwoSubjects();
        missingRow[0] = missingRow[0] with { Predicted = missingRow[0].Predicted[..3] };
        List<PredictionSet> shortRow = TwoSubjects();
        shortRow[0].Predicted[1] = [1, 2, 3];

        Assert.Contains("channel rows", Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate(missingRow)).Message, StringComparison.Ordinal);
        Assert.Contains("'glut_med_r' must have 4", Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate(shortRow)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate([]));
    }

    [Fact]
    public void A_subject_in_two_cohorts_or_a_repeated_trial_is_a_clear_error()
    {
        List<PredictionSet> twoCohorts = [.. TwoSubjects(), TwoSubjects()[0] with { Cohort = "onfh", TrialId = "t2" }];
        List<PredictionSet> repeated = [.. TwoSubjects(), TwoSubjects()[0]];

        Assert.Contains("cohorts 'healthy' and 'onfh'", Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate(twoCohorts)).Message, StringComparison.Ordinal);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => ProtocolEvaluator.Evaluate(repeated)).Message, StringComparison.Ordinal);
    }

    private static void AssertKind(KindMetrics actual, double rmse, double mae, double r2)
    {
        Assert.Equal(rmse, actual.Rmse, Tol);
        Assert.Equal(mae, actual.Mae, Tol);
        Assert.Equal(r2, actual.R2, Tol);
    }

    internal static void AssertMeanSd(MeanSd actual, double mean, double sd, int n)
    {
        Assert.Equal(mean, actual.Mean, Tol);
        Assert.Equal(sd, actual.Sd, Tol);
        Assert.Equal(n, actual.N);
    }
}
