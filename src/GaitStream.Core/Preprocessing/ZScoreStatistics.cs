using System.Collections.ObjectModel;
using System.Text.Json;

namespace GaitStream.Core.Preprocessing;

/// <summary>
/// Per-channel z-score statistics (mean and standard deviation by channel name): owns fitting them on training
/// data, applying and inverting them on buffers, and their JSON form, which ships beside each model.
/// </summary>
/// <remarks>
/// <para>The standard deviation is the population one (divide by the frame count, like numpy's default and
/// scikit-learn's StandardScaler): frames are pooled over all training trials, so the difference is immaterial and
/// this keeps the numbers identical to a Python pipeline.</para>
/// <para>Near-zero SD guard: a channel whose SD is at most <see cref="ConstantChannelTolerance"/> × max(1, |mean|)
/// is treated as constant and gets scale 1, so normalising only removes its mean. Dividing by ~0 would turn rounding
/// noise into huge inputs; a constant channel (a locked coordinate, a muscle that never loads) carries no information
/// for the model anyway. <see cref="StandardDeviations"/> keeps the measured value; <see cref="Scales"/> is what
/// Apply divides by.</para>
/// </remarks>
public sealed class ZScoreStatistics
{
    /// <summary>Relative SD below which a channel counts as constant (see remarks).</summary>
    public const double ConstantChannelTolerance = 1e-9;

    private const int JsonVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    private readonly string[] _names;
    private readonly double[] _means;
    private readonly double[] _standardDeviations;
    private readonly double[] _scales;

    /// <summary>Creates statistics from known values (e.g. read from a model card).</summary>
    public ZScoreStatistics(IReadOnlyList<string> channelNames, IReadOnlyList<double> means, IReadOnlyList<double> standardDeviations, long frameCount)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(standardDeviations);
        if (channelNames.Count == 0)
        {
            throw new ArgumentException("Z-score statistics need at least one channel.", nameof(channelNames));
        }
        if (means.Count != channelNames.Count || standardDeviations.Count != channelNames.Count)
        {
            throw new ArgumentException(
                $"There are {channelNames.Count} channel names, {means.Count} means and {standardDeviations.Count} standard deviations; the counts must agree.",
                nameof(means));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < channelNames.Count; c++)
        {
            string? name = channelNames[c];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"Channel name {c} is empty.", nameof(channelNames));
            }
            if (!seen.Add(name))
            {
                throw new ArgumentException($"Channel name '{name}' appears twice.", nameof(channelNames));
            }
            if (!double.IsFinite(means[c]))
            {
                throw new ArgumentException($"Mean of channel '{name}' is {means[c]}; it must be finite.", nameof(means));
            }
            if (!double.IsFinite(standardDeviations[c]) || standardDeviations[c] < 0)
            {
                throw new ArgumentException(
                    $"Standard deviation of channel '{name}' is {standardDeviations[c]}; it must be finite and not negative.", nameof(standardDeviations));
            }
        }
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);

        _names = [.. channelNames];
        _means = [.. means];
        _standardDeviations = [.. standardDeviations];
        _scales = new double[_names.Length];
        for (int c = 0; c < _scales.Length; c++)
        {
            bool constant = _standardDeviations[c] <= ConstantChannelTolerance * Math.Max(1.0, Math.Abs(_means[c]));
            _scales[c] = constant ? 1.0 : _standardDeviations[c];
        }
        FrameCount = frameCount;
    }

    /// <summary>Channel names, in the order of every buffer these statistics apply to.</summary>
    public IReadOnlyList<string> ChannelNames => new ReadOnlyCollection<string>(_names);

    /// <summary>Per-channel mean.</summary>
    public IReadOnlyList<double> Means => new ReadOnlyCollection<double>(_means);

    /// <summary>Per-channel population standard deviation, as measured.</summary>
    public IReadOnlyList<double> StandardDeviations => new ReadOnlyCollection<double>(_standardDeviations);

    /// <summary>Per-channel divisor used by Apply: the SD, or 1 for a constant channel.</summary>
    public IReadOnlyList<double> Scales => new ReadOnlyCollection<double>(_scales);

    /// <summary>Number of channels.</summary>
    public int ChannelCount => _names.Length;

    /// <summary>Number of frames the statistics were fitted on (0 when unknown).</summary>
    public long FrameCount { get; }

    /// <summary>
    /// Fits statistics on many channel-major series (e.g. every trial of every training subject), pooling their frames.
    /// One pass over the sequence, so trials can be streamed from disk: each series gets an exact two-pass mean and sum
    /// of squared deviations, and those are merged with Chan et al.'s pairwise update, which stays accurate where a
    /// running sum of squares would cancel (angles with large offsets, forces in the thousands).
    /// </summary>
    public static ZScoreStatistics Fit(IReadOnlyList<string> channelNames, IEnumerable<IReadOnlyList<double[]>> series)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        ArgumentNullException.ThrowIfNull(series);
        int channels = channelNames.Count;
        var count = new long[channels];
        var mean = new double[channels];
        var sumSquares = new double[channels];

        int index = 0;
        foreach (IReadOnlyList<double[]> one in series)
        {
            if (one is null)
            {
                throw new ArgumentException($"Series {index} is null.", nameof(series));
            }
            if (one.Count != channels)
            {
                throw new ArgumentException($"Series {index} has {one.Count} channels; the statistics have {channels} channel names.", nameof(series));
            }
            int frames = one.Count == 0 ? 0 : one[0].Length;
            for (int c = 0; c < channels; c++)
            {
                double[] values = one[c];
                if (values is null || values.Length != frames)
                {
                    throw new ArgumentException(
                        $"Series {index}: channel '{channelNames[c]}' has {values?.Length ?? 0} frames; channel '{channelNames[0]}' has {frames}.", nameof(series));
                }
                if (frames == 0)
                {
                    continue;
                }

                double seriesMean = 0;
                for (int i = 0; i < frames; i++)
                {
                    if (!double.IsFinite(values[i]))
                    {
                        throw new ArgumentException($"Series {index}: channel '{channelNames[c]}' frame {i} is {values[i]}.", nameof(series));
                    }
                    seriesMean += values[i];
                }
                seriesMean /= frames;
                double seriesSquares = 0;
                for (int i = 0; i < frames; i++)
                {
                    double d = values[i] - seriesMean;
                    seriesSquares += d * d;
                }

                long total = count[c] + frames;
                double delta = seriesMean - mean[c];
                mean[c] += delta * frames / total;
                sumSquares[c] += seriesSquares + delta * delta * ((double)count[c] * frames / total);
                count[c] = total;
            }
            index++;
        }

        if (channels == 0 || count[0] == 0)
        {
            throw new ArgumentException("Cannot fit z-score statistics: the series hold no frames.", nameof(series));
        }
        var sd = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            sd[c] = Math.Sqrt(sumSquares[c] / count[c]);
        }
        return new ZScoreStatistics(channelNames, mean, sd, count[0]);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the differences unless the names equal <see cref="ChannelNames"/>, in order.</summary>
    public void EnsureChannels(IReadOnlyList<string> channelNames)
    {
        ArgumentNullException.ThrowIfNull(channelNames);
        bool same = channelNames.Count == _names.Length;
        for (int c = 0; same && c < _names.Length; c++)
        {
            same = string.Equals(channelNames[c], _names[c], StringComparison.Ordinal);
        }
        if (same)
        {
            return;
        }

        var missing = _names.Except(channelNames, StringComparer.Ordinal).ToList();
        var unexpected = channelNames.Except(_names, StringComparer.Ordinal).ToList();
        string detail = missing.Count == 0 && unexpected.Count == 0
            ? "the same names in a different order"
            : $"missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]";
        throw new ArgumentException(
            $"Channel names do not match the z-score statistics: expected [{string.Join(", ", _names)}], got [{string.Join(", ", channelNames)}] ({detail}).",
            nameof(channelNames));
    }

    /// <summary>Normalises one channel's values in place: (x − mean) / scale.</summary>
    public void Apply(int channel, Span<double> values)
    {
        (double mean, double scale) = At(channel);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i] - mean) / scale;
        }
    }

    /// <summary>Normalises one channel's values in place.</summary>
    public void Apply(int channel, Span<float> values)
    {
        (double mean, double scale) = At(channel);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((values[i] - mean) / scale);
        }
    }

    /// <summary>Restores one channel's values in place: z × scale + mean.</summary>
    public void Invert(int channel, Span<double> values)
    {
        (double mean, double scale) = At(channel);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = values[i] * scale + mean;
        }
    }

    /// <summary>Restores one channel's values in place.</summary>
    public void Invert(int channel, Span<float> values)
    {
        (double mean, double scale) = At(channel);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] * scale + mean);
        }
    }

    /// <summary>Normalises a channel-major series in place after checking its channel names.</summary>
    public void Apply(IReadOnlyList<string> channelNames, IReadOnlyList<double[]> channels)
    {
        CheckSeries(channelNames, channels);
        for (int c = 0; c < _names.Length; c++)
        {
            Apply(c, channels[c]);
        }
    }

    /// <summary>Restores a channel-major series in place after checking its channel names.</summary>
    public void Invert(IReadOnlyList<string> channelNames, IReadOnlyList<double[]> channels)
    {
        CheckSeries(channelNames, channels);
        for (int c = 0; c < _names.Length; c++)
        {
            Invert(c, channels[c]);
        }
    }

    /// <summary>
    /// Normalises an interleaved buffer in place: element i belongs to channel i mod <see cref="ChannelCount"/>.
    /// That is the layout of a model tensor whose last dimension is channels ([batch, L, C] inputs, [batch, C] outputs).
    /// </summary>
    public void ApplyInterleaved(Span<float> values)
    {
        int channels = CheckInterleaved(values);
        for (int i = 0; i < values.Length; i += channels)
        {
            for (int c = 0; c < channels; c++)
            {
                values[i + c] = (float)((values[i + c] - _means[c]) / _scales[c]);
            }
        }
    }

    /// <summary>Restores an interleaved buffer in place (see <see cref="ApplyInterleaved(Span{float})"/>).</summary>
    public void InvertInterleaved(Span<float> values)
    {
        int channels = CheckInterleaved(values);
        for (int i = 0; i < values.Length; i += channels)
        {
            for (int c = 0; c < channels; c++)
            {
                values[i + c] = (float)(values[i + c] * _scales[c] + _means[c]);
            }
        }
    }

    /// <summary>Normalises an interleaved double buffer in place.</summary>
    public void ApplyInterleaved(Span<double> values)
    {
        int channels = CheckInterleaved(values);
        for (int i = 0; i < values.Length; i += channels)
        {
            for (int c = 0; c < channels; c++)
            {
                values[i + c] = (values[i + c] - _means[c]) / _scales[c];
            }
        }
    }

    /// <summary>Restores an interleaved double buffer in place.</summary>
    public void InvertInterleaved(Span<double> values)
    {
        int channels = CheckInterleaved(values);
        for (int i = 0; i < values.Length; i += channels)
        {
            for (int c = 0; c < channels; c++)
            {
                values[i + c] = values[i + c] * _scales[c] + _means[c];
            }
        }
    }

    /// <summary>Serialises to JSON (camelCase; doubles written round-trippably).</summary>
    public string ToJson() =>
        JsonSerializer.Serialize(new Document(JsonVersion, _names, _means, _standardDeviations, FrameCount), JsonOptions);

    /// <summary>Reads statistics written by <see cref="ToJson"/>; throws <see cref="JsonException"/> on malformed or inconsistent content.</summary>
    public static ZScoreStatistics FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Document? document = JsonSerializer.Deserialize<Document>(json, JsonOptions);
        if (document is null)
        {
            throw new JsonException("Z-score statistics JSON is 'null'.");
        }
        if (document.Version != JsonVersion)
        {
            throw new JsonException($"Z-score statistics JSON has version {document.Version}; this build reads version {JsonVersion}.");
        }
        if (document.ChannelNames is null || document.Means is null || document.StandardDeviations is null)
        {
            throw new JsonException("Z-score statistics JSON must contain 'channelNames', 'means' and 'standardDeviations'.");
        }
        try
        {
            return new ZScoreStatistics(document.ChannelNames, document.Means, document.StandardDeviations, document.FrameCount);
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"Z-score statistics JSON is inconsistent: {e.Message}", e);
        }
    }

    private (double Mean, double Scale) At(int channel)
    {
        if ((uint)channel >= (uint)_names.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"Channel index must be in [0, {_names.Length}).");
        }
        return (_means[channel], _scales[channel]);
    }

    private void CheckSeries(IReadOnlyList<string> channelNames, IReadOnlyList<double[]> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        EnsureChannels(channelNames);
        if (channels.Count != _names.Length)
        {
            throw new ArgumentException($"The series has {channels.Count} channels for {_names.Length} channel names.", nameof(channels));
        }
    }

    private int CheckInterleaved<T>(Span<T> values)
    {
        if (values.Length % _names.Length != 0)
        {
            throw new ArgumentException(
                $"An interleaved buffer of {values.Length} values is not a whole number of frames of {_names.Length} channels.", nameof(values));
        }
        return _names.Length;
    }

    private sealed record Document(int Version, string[]? ChannelNames, double[]? Means, double[]? StandardDeviations, long FrameCount);
}
