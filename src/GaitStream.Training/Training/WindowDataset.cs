using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using TorchSharp;
using static TorchSharp.torch;

namespace GaitStream.Training.Training;

/// <summary>
/// The causal windows of a set of prepared trials, as a model trains on them: owns which (trial, target frame) pairs
/// exist, the order an epoch visits them in, and copying them, standardised, into tensors x [B, L, inputs] and
/// y [B, K] (the reference at each window's last frame, the frame the protocol estimates).
/// </summary>
/// <remarks>
/// <para><b>Output standardisation is the loss weighting.</b> Group forces (N/kg) vary an order of magnitude more
/// than hip moments (N·m/kg); a mean squared error in physical units would be all forces and leave the moments
/// unlearnt. Each output channel is therefore z-scored with statistics fitted on the training subjects only (the
/// same rule as the inputs, <see cref="FitStatistics"/>), so the MSE is a sum of per-channel errors relative to each
/// channel's spread and every channel, of either kind, counts alike. The statistics ship with the model;
/// <see cref="Predictor"/> turns estimates back into physical units with them.</para>
/// <para>Series are standardised once, in double precision, when the dataset is built; a batch is then one float
/// copy of each window straight into the tensor's memory, so the hot path allocates nothing managed per batch
/// (the window order is a pooled array for the whole epoch).</para>
/// <para>Window k of a trial ends at frame L − 1 + k·S, as <see cref="CausalWindows"/> defines it. Windows are
/// numbered across trials in trial order; a trial shorter than L contributes none.</para>
/// </remarks>
public sealed class WindowDataset
{
    private readonly PreparedTrial[] _trials;
    private readonly double[][][] _inputs;   // trial → channel → frame, standardised
    private readonly double[][][] _outputs;  // trial → channel → frame, standardised
    private readonly int[] _firstWindow;     // window number of each trial's first window; one extra entry = Count

    /// <summary>Builds the windows of <paramref name="trials"/> under <paramref name="window"/>.</summary>
    /// <exception cref="ArgumentException">A trial whose input or output channels differ from the statistics', or
    /// trials at different sample rates (window sizes are in frames).</exception>
    public WindowDataset(IReadOnlyList<PreparedTrial> trials, ZScoreStatistics inputStatistics, ZScoreStatistics outputStatistics, WindowSpec window)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(inputStatistics);
        ArgumentNullException.ThrowIfNull(outputStatistics);
        if (window.LengthFrames < 1)
        {
            throw new ArgumentException("The window spec is uninitialised (length 0); create it with new WindowSpec(...) or WindowSpec.FromSeconds.", nameof(window));
        }

        _trials = [.. trials];
        _inputs = new double[_trials.Length][][];
        _outputs = new double[_trials.Length][][];
        _firstWindow = new int[_trials.Length + 1];
        for (int t = 0; t < _trials.Length; t++)
        {
            PreparedTrial trial = _trials[t] ?? throw new ArgumentException($"Trial {t} is null.", nameof(trials));
            string where = $"Trial {trial.Labels.SubjectId}/{trial.Labels.Condition}/{trial.Labels.TrialId}";
            CheckChannels(inputStatistics, trial.InputChannels, where, "input");
            CheckChannels(outputStatistics, trial.OutputChannels, where, "output");
            if (trial.SampleRateHz != _trials[0].SampleRateHz)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"{where} is at {trial.SampleRateHz} Hz but the first trial is at {_trials[0].SampleRateHz} Hz; window sizes are in frames, so every trial of a dataset must be at one rate."),
                    nameof(trials));
            }
            _inputs[t] = Standardise(inputStatistics, trial.Inputs);
            _outputs[t] = Standardise(outputStatistics, trial.Outputs);
            _firstWindow[t + 1] = checked(_firstWindow[t] + window.Count(trial.FrameCount));
        }

        InputStatistics = inputStatistics;
        OutputStatistics = outputStatistics;
        Window = window;
    }

    /// <summary>The trials, in window-numbering order.</summary>
    public IReadOnlyList<PreparedTrial> Trials => _trials;

    /// <summary>Input z-score statistics (fitted on training subjects only).</summary>
    public ZScoreStatistics InputStatistics { get; }

    /// <summary>Output z-score statistics (fitted on training subjects only): the loss weighting, see remarks.</summary>
    public ZScoreStatistics OutputStatistics { get; }

    /// <summary>Window length and stride, in frames.</summary>
    public WindowSpec Window { get; }

    /// <summary>Channels per input frame (the ten angles).</summary>
    public int InputChannelCount => InputStatistics.ChannelCount;

    /// <summary>Output channels K.</summary>
    public int OutputChannelCount => OutputStatistics.ChannelCount;

    /// <summary>Number of windows over all trials.</summary>
    public int Count => _firstWindow[^1];

    /// <summary>Number of batches of <paramref name="batchSize"/> in an epoch (the last one may be smaller).</summary>
    public int BatchCount(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return (Count + batchSize - 1) / batchSize;
    }

    /// <summary>The trial (index into <see cref="Trials"/>) and target frame of window <paramref name="index"/>.</summary>
    public (int Trial, int TargetFrame) WindowAt(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Window index must be in [0, {Count}).");
        }
        // Last trial whose first window is ≤ index; trials without windows share their successor's start and are skipped.
        int trial = Array.BinarySearch(_firstWindow, index);
        if (trial < 0)
        {
            trial = ~trial - 1;
        }
        while (_firstWindow[trial + 1] == index)
        {
            trial++;
        }
        int k = index - _firstWindow[trial];
        return (trial, Window.LengthFrames - 1 + k * Window.StrideFrames);
    }

    /// <summary>
    /// The order <see cref="Batches"/> visits windows in: 0 … Count − 1, or a Fisher–Yates shuffle of it drawn from
    /// SplitMix64 seeded with <paramref name="seed"/> (the generator the subject split uses), identical on every
    /// platform and .NET version for a given seed.
    /// </summary>
    public int[] Order(bool shuffle, long seed)
    {
        int[] order = new int[Count];
        FillOrder(order, shuffle, seed);
        return order;
    }

    /// <summary>
    /// Copies windows, standardised, into caller buffers: <paramref name="inputs"/> as [n, L, inputs],
    /// <paramref name="targets"/> as [n, K] (each window's last frame) and, when not empty,
    /// <paramref name="sequenceTargets"/> as [n, L, K] (every frame of the window).
    /// </summary>
    public void CopyWindows(ReadOnlySpan<int> windows, Span<float> inputs, Span<float> targets, Span<float> sequenceTargets = default)
    {
        int length = Window.LengthFrames;
        int inputValues = length * InputChannelCount;
        int k = OutputChannelCount;
        CheckLength(inputs, windows.Length * inputValues, nameof(inputs));
        CheckLength(targets, windows.Length * k, nameof(targets));
        bool sequence = !sequenceTargets.IsEmpty;
        if (sequence)
        {
            CheckLength(sequenceTargets, windows.Length * length * k, nameof(sequenceTargets));
        }

        for (int b = 0; b < windows.Length; b++)
        {
            (int trial, int target) = WindowAt(windows[b]);
            ReadOnlySpan<int> one = new(in target);
            CausalWindows.CopyWindows(_inputs[trial], one, length, inputs.Slice(b * inputValues, inputValues));
            CausalWindows.CopyFrames(_outputs[trial], one, targets.Slice(b * k, k));
            if (sequence)
            {
                CausalWindows.CopyWindows(_outputs[trial], one, length, sequenceTargets.Slice(b * length * k, length * k));
            }
        }
    }

    /// <summary>
    /// An epoch of batches in <see cref="Order"/>(<paramref name="shuffle"/>, <paramref name="seed"/>): consecutive
    /// runs of <paramref name="batchSize"/> windows, the last one smaller when the count does not divide. Each batch
    /// owns its tensors (dispose it); they are float32, on <paramref name="device"/> (CPU when null).
    /// <paramref name="sequenceTargets"/> adds every frame's target, for a causal all-frames loss.
    /// </summary>
    public IEnumerable<WindowBatch> Batches(int batchSize, bool shuffle, long seed, Device? device = null, bool sequenceTargets = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Enumerate(batchSize, shuffle, seed, device, sequenceTargets);
    }

    /// <summary>
    /// Fits input and output z-score statistics on <paramref name="trainingTrials"/>, all frames pooled. Pass the
    /// training subjects' trials only: statistics from validation or test subjects would leak them into the model.
    /// </summary>
    public static (ZScoreStatistics Inputs, ZScoreStatistics Outputs) FitStatistics(IReadOnlyList<PreparedTrial> trainingTrials)
    {
        ArgumentNullException.ThrowIfNull(trainingTrials);
        if (trainingTrials.Count == 0)
        {
            throw new ArgumentException("Cannot fit statistics without training trials.", nameof(trainingTrials));
        }
        PreparedTrial first = trainingTrials[0];
        foreach (PreparedTrial trial in trainingTrials)
        {
            if (!trial.InputChannels.SequenceEqual(first.InputChannels, StringComparer.Ordinal)
                || !trial.OutputChannels.SequenceEqual(first.OutputChannels, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Trial {trial.Labels.SubjectId}/{trial.Labels.Condition}/{trial.Labels.TrialId} has channels " +
                    $"[{string.Join(", ", trial.InputChannels)}] → [{string.Join(", ", trial.OutputChannels)}]; the first training trial has " +
                    $"[{string.Join(", ", first.InputChannels)}] → [{string.Join(", ", first.OutputChannels)}]. Prepare every trial with the same outputs.",
                    nameof(trainingTrials));
            }
        }
        return (ZScoreStatistics.Fit(first.InputChannels, trainingTrials.Select(t => t.Inputs)),
                ZScoreStatistics.Fit(first.OutputChannels, trainingTrials.Select(t => t.Outputs)));
    }

    private IEnumerable<WindowBatch> Enumerate(int batchSize, bool shuffle, long seed, Device? device, bool sequenceTargets)
    {
        int count = Count;
        int[] order = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        try
        {
            FillOrder(order.AsSpan(0, count), shuffle, seed);
            for (int start = 0; start < count; start += batchSize)
            {
                yield return CreateBatch(order, start, Math.Min(batchSize, count - start), device, sequenceTargets);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
        }
    }

    private WindowBatch CreateBatch(int[] order, int start, int n, Device? device, bool sequenceTargets)
    {
        long length = Window.LengthFrames;
        Tensor? x = null;
        Tensor? y = null;
        Tensor? ySequence = null;
        try
        {
            // Filled in place on the CPU (a contiguous tensor's bytes are its storage), then moved once.
            x = torch.empty([n, length, InputChannelCount], ScalarType.Float32);
            y = torch.empty([n, OutputChannelCount], ScalarType.Float32);
            ySequence = sequenceTargets ? torch.empty([n, length, OutputChannelCount], ScalarType.Float32) : null;
            CopyWindows(
                order.AsSpan(start, n),
                MemoryMarshal.Cast<byte, float>(x.bytes),
                MemoryMarshal.Cast<byte, float>(y.bytes),
                ySequence is null ? default : MemoryMarshal.Cast<byte, float>(ySequence.bytes));
            if (device is not null && device.type != DeviceType.CPU)
            {
                x = MoveTo(x, device);
                y = MoveTo(y, device);
                ySequence = ySequence is null ? null : MoveTo(ySequence, device);
            }
            return new WindowBatch(x, y, ySequence, n);
        }
        catch
        {
            x?.Dispose();
            y?.Dispose();
            ySequence?.Dispose();
            throw;
        }
    }

    private static Tensor MoveTo(Tensor cpu, Device device)
    {
        using (cpu)
        {
            return cpu.to(device);
        }
    }

    private static void FillOrder(Span<int> order, bool shuffle, long seed)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        if (shuffle)
        {
            new SplitMix64(unchecked((ulong)seed)).Shuffle(order);
        }
    }

    private static double[][] Standardise(ZScoreStatistics statistics, double[][] series)
    {
        var result = new double[series.Length][];
        for (int c = 0; c < series.Length; c++)
        {
            result[c] = (double[])series[c].Clone();
            statistics.Apply(c, result[c]);
        }
        return result;
    }

    private static void CheckChannels(ZScoreStatistics statistics, IReadOnlyList<string> channels, string where, string what)
    {
        try
        {
            statistics.EnsureChannels(channels);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{where}: its {what} channels do not match the {what} statistics. {e.Message}", nameof(channels), e);
        }
    }

    private static void CheckLength(Span<float> buffer, int needed, string name)
    {
        if (buffer.Length != needed)
        {
            throw new ArgumentException($"Buffer '{name}' holds {buffer.Length} values; the windows need {needed}.", name);
        }
    }
}
