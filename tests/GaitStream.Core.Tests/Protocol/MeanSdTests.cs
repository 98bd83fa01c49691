using GaitStream.Core.Protocol;

namespace GaitStream.Core.Tests.Protocol;

public class MeanSdTests
{
    [Fact]
    public void Sd_is_the_sample_sd_with_n_minus_one()
    {
        // [2,4,4,4,5,5,7,9]: mean 5, Σ(x−5)² = 32 → sample SD √(32/7) (population SD would be 2)
        MeanSd s = MeanSd.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(5.0, s.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(32.0 / 7.0), s.Sd, 1e-12);
        Assert.Equal(8, s.N);
    }

    [Fact]
    public void Single_value_has_sd_zero()
    {
        Assert.Equal(new MeanSd(0.7, 0, 1), MeanSd.Of([0.7]));
    }

    [Fact]
    public void Nan_values_are_left_out_and_not_counted()
    {
        // [1, NaN, 3] → mean 2 over N = 2, SD √((1+1)/1) = √2
        MeanSd s = MeanSd.Of([1, double.NaN, 3]);

        Assert.Equal(2.0, s.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(2.0), s.Sd, 1e-12);
        Assert.Equal(2, s.N);
    }

    [Fact]
    public void No_defined_values_give_nan_with_n_zero()
    {
        MeanSd s = MeanSd.Of([double.NaN]);

        Assert.True(double.IsNaN(s.Mean));
        Assert.True(double.IsNaN(s.Sd));
        Assert.Equal(0, s.N);
    }
}
