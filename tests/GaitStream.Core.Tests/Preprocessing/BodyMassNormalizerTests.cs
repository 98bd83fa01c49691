using GaitStream.Core.Preprocessing;

namespace GaitStream.Core.Tests.Preprocessing;

public class BodyMassNormalizerTests
{
    [Fact]
    public void BodyMassNormalizer_divides_forces_and_moments_by_mass()
    {
        double[] forcesN = [735.0, 1470.0, -73.5];
        BodyMassNormalizer.Normalize(forcesN, 73.5);
        Assert.Equal(new[] { 10.0, 20.0, -1.0 }, forcesN);

        float[] momentsNm = [147f, -36.75f];
        BodyMassNormalizer.Normalize(momentsNm, 73.5);
        Assert.Equal(new[] { 2f, -0.5f }, momentsNm);

        double[][] channels = [[80.0], [160.0]];
        BodyMassNormalizer.Normalize(channels, 80.0);
        Assert.Equal(1.0, channels[0][0]);
        Assert.Equal(2.0, channels[1][0]);
    }

    [Fact]
    public void BodyMassNormalizer_denormalize_restores_newtons()
    {
        double[] perKg = [10.0, -1.25];
        BodyMassNormalizer.Denormalize(perKg, 80.0);
        Assert.Equal(new[] { 800.0, -100.0 }, perKg);

        float[] perKgFloat = [2.5f];
        BodyMassNormalizer.Denormalize(perKgFloat, 64.0);
        Assert.Equal(160f, perKgFloat[0]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(19.9)]
    [InlineData(300.1)]
    [InlineData(75000.0)] // grams
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BodyMassNormalizer_rejects_implausible_masses_with_a_unit_hint(double massKg)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BodyMassNormalizer.Normalize(new double[] { 1.0 }, massKg));
        Assert.Contains("between 20 and 300 kg", error.Message, StringComparison.Ordinal);
        Assert.Contains("kilograms", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(300.0)]
    public void BodyMassNormalizer_accepts_the_range_ends(double massKg)
    {
        BodyMassNormalizer.Validate(massKg);
        double[] values = [massKg];
        BodyMassNormalizer.Normalize(values, massKg);
        Assert.Equal(1.0, values[0]);
    }
}
