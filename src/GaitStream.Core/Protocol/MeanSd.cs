namespace GaitStream.Core.Protocol;

/// <summary>Mean ± sample standard deviation of a metric over subjects, and how many subjects entered.</summary>
/// <param name="Mean">Arithmetic mean; <see cref="double.NaN"/> when <paramref name="N"/> is 0.</param>
/// <param name="Sd">Sample standard deviation (divisor n − 1); 0 when <paramref name="N"/> is 1 (one subject
/// has no spread to estimate: reported as 0, read it with N); <see cref="double.NaN"/> when N is 0.</param>
/// <param name="N">Number of values used; NaN values (an undefined R²) are left out and not counted.</param>
public sealed record MeanSd(double Mean, double Sd, int N)
{
    /// <summary>Mean ± sample SD of <paramref name="values"/>, leaving out NaN (undefined) values.</summary>
    public static MeanSd Of(ReadOnlySpan<double> values)
    {
        int n = 0;
        double sum = 0;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                n++;
                sum += v;
            }
        }
        if (n == 0)
        {
            return new MeanSd(double.NaN, double.NaN, 0);
        }
        double mean = sum / n;
        if (n == 1)
        {
            return new MeanSd(mean, 0, 1);
        }
        double squares = 0;
        foreach (double v in values)
        {
            if (!double.IsNaN(v))
            {
                squares += (v - mean) * (v - mean);
            }
        }
        return new MeanSd(mean, Math.Sqrt(squares / (n - 1)), n);
    }
}
