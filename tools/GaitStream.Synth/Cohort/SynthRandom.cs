namespace GaitStream.Synth.Cohort;

/// <summary>
/// The generator's explicit PRNG: SplitMix64 (Steele, Lea &amp; Flood 2014), the same published generator Core's
/// subject split uses, with uniform and Gaussian draws on top. A stream is derived from (seed, keys…) by hashing,
/// so every subject and trial owns its own stream and the cohort does not depend on the order trials run in.
/// </summary>
public sealed class SynthRandom
{
    private ulong _state;
    private double? _spare;

    public SynthRandom(ulong seed) => _state = seed;

    /// <summary>A stream for (seed, keys…): each key is mixed through the SplitMix64 finaliser in turn.</summary>
    public static SynthRandom Derive(ulong seed, params ReadOnlySpan<ulong> keys)
    {
        ulong h = Mix(seed ^ 0x5851F42D4C957F2DUL);
        foreach (ulong k in keys)
        {
            h = Mix(h ^ Mix(k + 0x9E3779B97F4A7C15UL));
        }
        return new SynthRandom(h);
    }

    /// <summary>A stable 64-bit key for a name (FNV-1a over UTF-16 code units), for deriving streams from ids.</summary>
    public static ulong Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ulong h = 14695981039346656037UL;
        foreach (char c in name)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Standard normal by the polar Box–Muller method (the spare value is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_spare is double s)
        {
            _spare = null;
            return s;
        }
        double u, v, r2;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            r2 = (u * u) + (v * v);
        }
        while (r2 >= 1 || r2 == 0);
        double f = Math.Sqrt(-2 * Math.Log(r2) / r2);
        _spare = v * f;
        return u * f;
    }

    public double Normal(double mean, double sd) => mean + (sd * NextGaussian());

    /// <summary>Normal truncated to [min, max] by redrawing (the bounds are a few SD out, so this ends quickly).</summary>
    public double TruncatedNormal(double mean, double sd, double min, double max)
    {
        for (int i = 0; i < 1000; i++)
        {
            double x = Normal(mean, sd);
            if (x >= min && x <= max)
            {
                return x;
            }
        }
        return Math.Clamp(mean, min, max);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
