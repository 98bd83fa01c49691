using System.Globalization;

namespace GaitStream.Core.Protocol;

/// <summary>
/// Fractions of the (non-external) subjects that go to training, validation and test. Each fraction is finite
/// and ≥ 0 and they sum to 1 within <see cref="SumTolerance"/>; the constructor refuses anything else, so an
/// instance is always valid (also when it is read back from JSON).
/// </summary>
public sealed record SplitFractions
{
    /// <summary>How far the three fractions may sum away from 1.</summary>
    public const double SumTolerance = 1e-9;

    /// <summary>The benchmark default: 70 % train, 10 % validation, 20 % test.</summary>
    public static SplitFractions Default { get; } = new(0.70, 0.10, 0.20);

    public SplitFractions(double train, double validation, double test)
    {
        Check(train, nameof(train));
        Check(validation, nameof(validation));
        Check(test, nameof(test));
        double sum = train + validation + test;
        if (Math.Abs(sum - 1.0) > SumTolerance)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Split fractions must sum to 1 (±{SumTolerance:g}); got train {train:g} + validation {validation:g} + test {test:g} = {sum:R}."),
                nameof(test));
        }
        Train = train;
        Validation = validation;
        Test = test;
    }

    public double Train { get; }

    public double Validation { get; }

    public double Test { get; }

    private static void Check(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value,
                $"Split fraction '{name}' must be a finite number ≥ 0.");
        }
    }
}
