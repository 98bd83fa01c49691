namespace GaitStream.Core.Preprocessing;

/// <summary>
/// Causal sliding windows over a series: owns how many windows fit, which frame each one estimates, and copying
/// them into a model input buffer. Window k ends at, and targets, frame t = L − 1 + k·S and covers frames
/// [t − L + 1, t], so a model sees no frame after the one it estimates and runs unchanged on a live stream.
/// </summary>
/// <remarks>
/// Buffers are laid out [batch, L, channels] row-major (channels fastest), the layout a batch-first ONNX/TorchSharp
/// input tensor uses, while series are channel-major <c>double[][]</c> (channels × frames), so copying transposes.
/// </remarks>
public static class CausalWindows
{
    /// <summary>Number of whole windows: 0 when N &lt; L, otherwise ⌊(N − L) / S⌋ + 1.</summary>
    public static int Count(int frameCount, int lengthFrames, int strideFrames)
    {
        ValidateShape(frameCount, lengthFrames, strideFrames);
        return frameCount < lengthFrames ? 0 : (frameCount - lengthFrames) / strideFrames + 1;
    }

    /// <summary>The frame window <paramref name="window"/> ends at and estimates: L − 1 + window·S.</summary>
    public static int TargetIndex(int window, int lengthFrames, int strideFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        ValidateShape(0, lengthFrames, strideFrames);
        return checked(lengthFrames - 1 + window * strideFrames);
    }

    /// <summary>Target frames of all whole windows, in order: L − 1, L − 1 + S, … ≤ N − 1.</summary>
    public static IEnumerable<int> TargetIndices(int frameCount, int lengthFrames, int strideFrames)
    {
        int count = Count(frameCount, lengthFrames, strideFrames);
        return Enumerable.Range(0, count).Select(k => lengthFrames - 1 + k * strideFrames);
    }

    /// <summary>
    /// Copies windows <paramref name="firstWindow"/> … firstWindow + windowCount − 1 of a channel-major series into
    /// <paramref name="destination"/> as [windowCount, L, channels]. The destination must hold exactly that many values.
    /// </summary>
    public static void CopyWindows(IReadOnlyList<double[]> series, WindowSpec spec, int firstWindow, int windowCount, Span<float> destination)
    {
        int frames = ValidateSeries(series);
        ValidateShape(frames, spec.LengthFrames, spec.StrideFrames);
        int available = Count(frames, spec.LengthFrames, spec.StrideFrames);
        if (firstWindow < 0 || windowCount < 0 || firstWindow > available - windowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(firstWindow), firstWindow,
                $"Windows [{firstWindow}, {firstWindow + windowCount}) are not all inside the {available} windows of a {frames}-frame series.");
        }
        CheckDestination(destination, windowCount, spec.LengthFrames, series.Count);
        for (int b = 0; b < windowCount; b++)
        {
            int target = spec.LengthFrames - 1 + (firstWindow + b) * spec.StrideFrames;
            CopyOne(series, target, spec.LengthFrames, destination.Slice(b * spec.LengthFrames * series.Count, spec.LengthFrames * series.Count));
        }
    }

    /// <summary>
    /// Copies the windows ending at each of <paramref name="targetFrames"/> (any order, e.g. a shuffled training batch)
    /// into <paramref name="destination"/> as [targets, L, channels]. Every target must satisfy L − 1 ≤ t &lt; N.
    /// </summary>
    public static void CopyWindows(IReadOnlyList<double[]> series, ReadOnlySpan<int> targetFrames, int lengthFrames, Span<float> destination)
    {
        int frames = ValidateSeries(series);
        ValidateShape(frames, lengthFrames, 1);
        CheckDestination(destination, targetFrames.Length, lengthFrames, series.Count);
        int windowValues = lengthFrames * series.Count;
        for (int b = 0; b < targetFrames.Length; b++)
        {
            int target = targetFrames[b];
            if (target < lengthFrames - 1 || target >= frames)
            {
                throw new ArgumentOutOfRangeException(nameof(targetFrames), target,
                    $"Target frame {target} (entry {b}) has no whole causal window of {lengthFrames} frames in a {frames}-frame series; " +
                    $"targets must be in [{lengthFrames - 1}, {frames - 1}].");
            }
            CopyOne(series, target, lengthFrames, destination.Slice(b * windowValues, windowValues));
        }
    }

    /// <summary>
    /// Copies single frames of a channel-major series into <paramref name="destination"/> as [targets, channels]:
    /// the labels that go with <see cref="CopyWindows(IReadOnlyList{double[]}, ReadOnlySpan{int}, int, Span{float})"/>.
    /// </summary>
    public static void CopyFrames(IReadOnlyList<double[]> series, ReadOnlySpan<int> frames, Span<float> destination)
    {
        int frameCount = ValidateSeries(series);
        int channels = series.Count;
        if (destination.Length != frames.Length * channels)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} values; {frames.Length} frames × {channels} channels need {frames.Length * channels}.",
                nameof(destination));
        }
        for (int b = 0; b < frames.Length; b++)
        {
            int f = frames[b];
            if ((uint)f >= (uint)frameCount)
            {
                throw new ArgumentOutOfRangeException(nameof(frames), f, $"Frame {f} (entry {b}) is outside the {frameCount}-frame series.");
            }
            for (int c = 0; c < channels; c++)
            {
                destination[b * channels + c] = (float)series[c][f];
            }
        }
    }

    // Writes one window sequentially (frame by frame, channels fastest); reads hop between the channel arrays.
    private static void CopyOne(IReadOnlyList<double[]> series, int target, int lengthFrames, Span<float> window)
    {
        int channels = series.Count;
        int start = target - lengthFrames + 1;
        for (int l = 0; l < lengthFrames; l++)
        {
            int row = l * channels;
            for (int c = 0; c < channels; c++)
            {
                window[row + c] = (float)series[c][start + l];
            }
        }
    }

    private static void ValidateShape(int frameCount, int lengthFrames, int strideFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(lengthFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(strideFrames, 1);
    }

    private static int ValidateSeries(IReadOnlyList<double[]> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0)
        {
            throw new ArgumentException("The series has no channels.", nameof(series));
        }
        int frames = series[0]?.Length ?? throw new ArgumentException("Channel 0 is null.", nameof(series));
        for (int c = 1; c < series.Count; c++)
        {
            if (series[c] is null || series[c].Length != frames)
            {
                throw new ArgumentException(
                    $"Channel {c} has {series[c]?.Length ?? 0} frames; channel 0 has {frames}. A series' channels must be equally long.", nameof(series));
            }
        }
        return frames;
    }

    private static void CheckDestination(Span<float> destination, int windows, int lengthFrames, int channels)
    {
        long needed = (long)windows * lengthFrames * channels;
        if (destination.Length != needed)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} values; {windows} windows × {lengthFrames} frames × {channels} channels need {needed}.",
                nameof(destination));
        }
    }
}
