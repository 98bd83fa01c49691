using System.Globalization;

namespace GaitStream.Core.Protocol;

/// <summary>RMSE, MAE and R² of one channel, exactly as the benchmark protocol defines them.</summary>
public static class RegressionMetrics
{
    /// <summary>
    /// Computes <see cref="ChannelMetrics"/> of <paramref name="predicted"/> against <paramref name="reference"/>.
    /// R² = 1 − SS_res/SS_tot with SS_tot = Σ(r − mean(r))². When every reference value is the same, SS_tot is 0 and
    /// R² is undefined: it is returned as <see cref="double.NaN"/> (averages then leave it out and count what they used).
    /// A constant reference is detected by comparing the values themselves, not SS_tot against zero, because the
    /// floating-point mean of equal values need not equal them and would give SS_tot ≈ 1e-32 and a meaningless R².
    /// </summary>
    /// <exception cref="ArgumentException">Empty input, different lengths, or a NaN / infinite value.</exception>
    public static ChannelMetrics Compute(ReadOnlySpan<double> reference, ReadOnlySpan<double> predicted)
    {
        if (reference.Length != predicted.Length)
        {
            throw new ArgumentException(
                $"Reference and prediction must have the same number of frames; got {reference.Length} and {predicted.Length}.",
                nameof(predicted));
        }
        if (reference.IsEmpty)
        {
            throw new ArgumentException("Metrics need at least one frame; got none.", nameof(reference));
        }

        double sum = 0;
        double first = reference[0];
        bool constant = true;
        for (int i = 0; i < reference.Length; i++)
        {
            CheckFinite(reference[i], i, nameof(reference));
            CheckFinite(predicted[i], i, nameof(predicted));
            sum += reference[i];
            constant &= reference[i] == first;
        }
        double mean = sum / reference.Length;

        double ssRes = 0;
        double ssTot = 0;
        double absSum = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double error = predicted[i] - reference[i];
            ssRes += error * error;
            absSum += Math.Abs(error);
            double deviation = reference[i] - mean;
            ssTot += deviation * deviation;
        }

        return new ChannelMetrics(
            Rmse: Math.Sqrt(ssRes / reference.Length),
            Mae: absSum / reference.Length,
            R2: constant ? double.NaN : 1.0 - (ssRes / ssTot));
    }

    private static void CheckFinite(double value, int frame, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Frame {frame} of '{name}' is {value}; metrics need finite values."),
                name);
        }
    }
}
