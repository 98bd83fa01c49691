namespace GaitStream.Server.Sessions;

/// <summary>
/// A session's recent device frames and the online resampling from the device rate to the model rate: the model
/// window ending at the newest frame is read by linear interpolation at model-rate instants
/// t_k = t_newest − (L − 1 − k) / f_model, k = 0 … L − 1.
/// </summary>
/// <remarks>
/// Interpolation uses only frames at or before the newest one, so the window stays causal; at equal rates the
/// instants fall on the frames and the window is the frames themselves. Joint angles in gait carry almost nothing
/// above 10 Hz, so resampling 60–240 Hz without an anti-alias filter changes them by far less than sensor noise
/// (linear interpolation error ≈ h²|θ''|/8: under 0.1° at 60 Hz). The ring holds the window's duration plus
/// margin, so memory per session is fixed at open.
/// </remarks>
internal sealed class SlidingWindow
{
    private readonly double[] _times;
    private readonly float[] _angles;
    private readonly int _channels;
    private readonly int _capacity;
    private readonly double _modelPeriodS;
    private int _head; // index of the newest frame
    private int _count;

    public SlidingWindow(int channels, int windowFrames, double modelRateHz, double deviceRateHz)
    {
        _channels = channels;
        WindowFrames = windowFrames;
        _modelPeriodS = 1.0 / modelRateHz;
        DurationS = (windowFrames - 1) * _modelPeriodS;
        // Frames spanning the window at the device rate, plus room for jitter and a bridged gap.
        _capacity = (int)Math.Ceiling(DurationS * deviceRateHz * 1.5) + 8;
        _times = new double[_capacity];
        _angles = new float[_capacity * channels];
    }

    public int WindowFrames { get; }

    /// <summary>Time the window spans, s: (L − 1) / f_model.</summary>
    public double DurationS { get; }

    public int Count => _count;

    public double NewestTimeS => _count == 0 ? double.NaN : _times[_head];

    /// <summary>Whether the frames reach back far enough for a whole window ending at the newest frame.</summary>
    /// <remarks>A microsecond of slack absorbs timestamp rounding at the window's far end.</remarks>
    public bool IsReady => _count > 0 && _times[Oldest] <= _times[_head] - DurationS + 1e-6;

    public void Clear()
    {
        _count = 0;
        _head = 0;
    }

    /// <summary>Appends a frame whose angles are already in model channel order.</summary>
    public void Append(double timeS, ReadOnlySpan<float> angles)
    {
        _head = _count == 0 ? 0 : (_head + 1) % _capacity;
        _times[_head] = timeS;
        angles.CopyTo(_angles.AsSpan(_head * _channels, _channels));
        if (_count < _capacity)
        {
            _count++;
        }
    }

    /// <summary>Writes the [L, C] window ending at the newest frame into <paramref name="window"/>.</summary>
    public void CopyWindow(Span<float> window)
    {
        double newest = _times[_head];
        int oldest = Oldest;
        // Walk backwards through the ring: k from the last model instant to the first, j the frame at or before it.
        int j = _head;
        int stepsBack = 0;
        for (int k = WindowFrames - 1; k >= 0; k--)
        {
            double t = newest - ((WindowFrames - 1 - k) * _modelPeriodS);
            while (_times[j] > t + 1e-9 && stepsBack < _count - 1)
            {
                j = j == 0 ? _capacity - 1 : j - 1;
                stepsBack++;
            }
            Span<float> row = window.Slice(k * _channels, _channels);
            ReadOnlySpan<float> at = _angles.AsSpan(j * _channels, _channels);
            double tj = _times[j];
            if (j == _head || tj >= t - 1e-9 || (j == oldest && tj > t))
            {
                at.CopyTo(row); // on a frame, or within the readiness slack before the oldest one
                continue;
            }
            int next = (j + 1) % _capacity;
            double w = (t - tj) / (_times[next] - tj);
            ReadOnlySpan<float> after = _angles.AsSpan(next * _channels, _channels);
            for (int c = 0; c < _channels; c++)
            {
                row[c] = (float)(at[c] + (w * (after[c] - at[c])));
            }
        }
    }

    private int Oldest => (_head - _count + 1 + _capacity) % _capacity;
}
