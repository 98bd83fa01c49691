namespace GaitStream.Core.Preprocessing;

/// <summary>Causal window shape in frames: each window is <see cref="LengthFrames"/> long; consecutive targets are <see cref="StrideFrames"/> apart.</summary>
public readonly record struct WindowSpec
{
    /// <summary>Creates a spec; both sizes must be at least one frame.</summary>
    public WindowSpec(int lengthFrames, int strideFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lengthFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strideFrames, 1);
        LengthFrames = lengthFrames;
        StrideFrames = strideFrames;
    }

    /// <summary>Frames per window (L).</summary>
    public int LengthFrames { get; }

    /// <summary>Frames between consecutive window targets (S).</summary>
    public int StrideFrames { get; }

    /// <summary>
    /// Converts durations to frames at <paramref name="sampleRateHz"/>, rounding to the nearest frame (so 1 s at
    /// 60, 100 or 200 Hz is 60, 100 or 200 frames); both must come to at least one frame.
    /// </summary>
    public static WindowSpec FromSeconds(double lengthS, double strideS, double sampleRateHz)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be a positive, finite number of Hz.");
        }
        return new WindowSpec(ToFrames(lengthS, sampleRateHz, nameof(lengthS)), ToFrames(strideS, sampleRateHz, nameof(strideS)));
    }

    /// <summary>Number of whole windows in a series of <paramref name="frameCount"/> frames.</summary>
    public int Count(int frameCount) => CausalWindows.Count(frameCount, LengthFrames, StrideFrames);

    private static int ToFrames(double seconds, double sampleRateHz, string parameterName)
    {
        double frames = Math.Round(seconds * sampleRateHz, MidpointRounding.AwayFromZero);
        if (!double.IsFinite(frames) || frames < 1 || frames > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(parameterName, seconds,
                $"{seconds} s at {sampleRateHz} Hz is {frames} frames; a window size must be at least one frame.");
        }
        return (int)frames;
    }
}
