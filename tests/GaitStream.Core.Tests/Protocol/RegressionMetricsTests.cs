using GaitStream.Core.Protocol;

namespace GaitStream.Core.Tests.Protocol;

public class RegressionMetricsTests
{
    private const double Tol = 1e-12;

    [Fact]
    public void One_wrong_frame_gives_hand_computed_rmse_mae_and_r2()
    {
        // errors [0,0,0,1]: RMSE = √(1/4) = 0.5, MAE = 1/4 = 0.25
        // mean(ref) = 2.5, SS_tot = 2.25+0.25+0.25+2.25 = 5, SS_res = 1 → R² = 1 − 1/5 = 0.8
        ChannelMetrics m = RegressionMetrics.Compute([1, 2, 3, 4], [1, 2, 3, 5]);

        Assert.Equal(0.5, m.Rmse, Tol);
        Assert.Equal(0.25, m.Mae, Tol);
        Assert.Equal(0.8, m.R2, Tol);
    }

    [Fact]
    public void Constant_offset_is_penalised_by_r2_about_the_reference_mean()
    {
        // errors [1,1,1,1]: RMSE 1, MAE 1; SS_res = 4, SS_tot = 5 → R² = 1 − 4/5 = 0.2
        // (a correlation-based r² would be 1 here; the protocol's R² is not)
        ChannelMetrics m = RegressionMetrics.Compute([1, 2, 3, 4], [2, 3, 4, 5]);

        Assert.Equal(1.0, m.Rmse, Tol);
        Assert.Equal(1.0, m.Mae, Tol);
        Assert.Equal(0.2, m.R2, Tol);
    }

    [Fact]
    public void Prediction_worse_than_the_mean_gives_negative_r2()
    {
        // ref [0,2], pred [2,0]: errors [2,−2] → RMSE 2, MAE 2; mean 1, SS_tot = 2, SS_res = 8 → R² = 1 − 4 = −3
        ChannelMetrics m = RegressionMetrics.Compute([0, 2], [2, 0]);

        Assert.Equal(2.0, m.Rmse, Tol);
        Assert.Equal(2.0, m.Mae, Tol);
        Assert.Equal(-3.0, m.R2, Tol);
    }

    [Fact]
    public void Rmse_weights_large_errors_more_than_mae()
    {
        // errors [0,0,0,3]: RMSE = √(9/4) = 1.5, MAE = 3/4 = 0.75, R² = 1 − 9/5 = −0.8
        ChannelMetrics m = RegressionMetrics.Compute([1, 2, 3, 4], [1, 2, 3, 7]);

        Assert.Equal(1.5, m.Rmse, Tol);
        Assert.Equal(0.75, m.Mae, Tol);
        Assert.Equal(-0.8, m.R2, Tol);
    }

    [Fact]
    public void Perfect_prediction_gives_zero_errors_and_r2_of_one()
    {
        ChannelMetrics m = RegressionMetrics.Compute([0.3, -1.7, 2.2], [0.3, -1.7, 2.2]);

        Assert.Equal(0.0, m.Rmse);
        Assert.Equal(0.0, m.Mae);
        Assert.Equal(1.0, m.R2);
    }

    [Fact]
    public void Constant_reference_leaves_r2_undefined_but_errors_defined()
    {
        // errors [−1,0,1]: RMSE = √(2/3), MAE = 2/3; SS_tot = 0 → R² NaN by convention.
        // 0.1 three times has a floating-point mean ≠ 0.1, which must not yield a huge negative R².
        ChannelMetrics m = RegressionMetrics.Compute([2, 2, 2], [1, 2, 3]);
        ChannelMetrics tenths = RegressionMetrics.Compute([0.1, 0.1, 0.1], [0.2, 0.1, 0.1]);

        Assert.Equal(Math.Sqrt(2.0 / 3.0), m.Rmse, Tol);
        Assert.Equal(2.0 / 3.0, m.Mae, Tol);
        Assert.True(double.IsNaN(m.R2));
        Assert.True(double.IsNaN(tenths.R2));
    }

    [Fact]
    public void Length_mismatch_is_a_clear_error()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1, 2, 3], [1, 2]));
        Assert.Contains("same number of frames", e.Message, StringComparison.Ordinal);
        Assert.Contains("3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_is_a_clear_error()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([], []));
        Assert.Contains("at least one frame", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, 1.0, "reference")]
    [InlineData(1.0, double.NaN, "predicted")]
    [InlineData(double.PositiveInfinity, 1.0, "reference")]
    public void Non_finite_values_are_a_clear_error_naming_the_frame(double reference, double predicted, string which)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => RegressionMetrics.Compute([0, reference, 2], [0, predicted, 2]));
        Assert.Equal(which, e.ParamName);
        Assert.Contains("Frame 1", e.Message, StringComparison.Ordinal);
    }
}
