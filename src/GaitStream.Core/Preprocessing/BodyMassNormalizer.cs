namespace GaitStream.Core.Preprocessing;

/// <summary>
/// Converts forces (N) and moments (N·m) to and from per-kilogram units (N/kg, N·m/kg), the units the models are
/// trained and evaluated in. Owns the plausibility check on body mass, because a mass typed in grams or pounds
/// silently rescales every estimate.
/// </summary>
public static class BodyMassNormalizer
{
    /// <summary>Smallest accepted body mass, kg (a small child).</summary>
    public const double MinBodyMassKg = 20.0;

    /// <summary>Largest accepted body mass, kg.</summary>
    public const double MaxBodyMassKg = 300.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless the mass is finite and within the plausible range.</summary>
    public static void Validate(double bodyMassKg)
    {
        if (!double.IsFinite(bodyMassKg) || bodyMassKg < MinBodyMassKg || bodyMassKg > MaxBodyMassKg)
        {
            throw new ArgumentOutOfRangeException(nameof(bodyMassKg), bodyMassKg,
                $"Body mass must be between {MinBodyMassKg} and {MaxBodyMassKg} kg; got {bodyMassKg}. " +
                "Check the unit (kilograms, not grams or pounds).");
        }
    }

    /// <summary>Divides <paramref name="values"/> by body mass in place (N → N/kg, N·m → N·m/kg).</summary>
    public static void Normalize(Span<double> values, double bodyMassKg)
    {
        Validate(bodyMassKg);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] /= bodyMassKg;
        }
    }

    /// <summary>Divides <paramref name="values"/> by body mass in place.</summary>
    public static void Normalize(Span<float> values, double bodyMassKg)
    {
        Validate(bodyMassKg);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] / bodyMassKg);
        }
    }

    /// <summary>Divides every channel of a channel-major series by body mass, in place.</summary>
    public static void Normalize(IReadOnlyList<double[]> channels, double bodyMassKg)
    {
        ArgumentNullException.ThrowIfNull(channels);
        Validate(bodyMassKg);
        foreach (double[] channel in channels)
        {
            Normalize(channel, bodyMassKg);
        }
    }

    /// <summary>Multiplies <paramref name="values"/> by body mass in place (N/kg → N, N·m/kg → N·m).</summary>
    public static void Denormalize(Span<double> values, double bodyMassKg)
    {
        Validate(bodyMassKg);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= bodyMassKg;
        }
    }

    /// <summary>Multiplies <paramref name="values"/> by body mass in place.</summary>
    public static void Denormalize(Span<float> values, double bodyMassKg)
    {
        Validate(bodyMassKg);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] * bodyMassKg);
        }
    }
}
