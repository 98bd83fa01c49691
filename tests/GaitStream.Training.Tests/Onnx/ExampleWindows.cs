using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Tests;
using GaitStream.Training.Training;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Onnx;

/// <summary>
/// Real windows: the embedded walking example (data/examples/gait2354-walk), prepared by Core's preprocessor and
/// z-scored with statistics fitted on it, cut into causal windows of up to <see cref="MaxFrames"/> frames.
/// </summary>
internal static class ExampleWindows
{
    public const int MaxFrames = 100;

    private static readonly Lazy<WindowDataset> Data = new(Load);

    /// <summary>Windows of the example trial: its 22 outputs (6 moments, 16 group forces), stride 1.</summary>
    public static WindowDataset Dataset => Data.Value;

    /// <summary><paramref name="count"/> windows spread evenly over <paramref name="dataset"/>: x [count, L, 10] and y [count, K], standardised.</summary>
    public static (Tensor Inputs, Tensor Targets) Take(WindowDataset dataset, int count)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int[] windows = [.. Enumerable.Range(0, count).Select(i => (int)((long)i * (dataset.Count - 1) / Math.Max(1, count - 1)))];
        var inputs = new float[count * dataset.Window.LengthFrames * dataset.InputChannelCount];
        var targets = new float[count * dataset.OutputChannelCount];
        dataset.CopyWindows(windows, inputs, targets);
        return (tensor(inputs, [count, dataset.Window.LengthFrames, dataset.InputChannelCount]), tensor(targets, [count, dataset.OutputChannelCount]));
    }

    private static WindowDataset Load()
    {
        Dataset example = DatasetCatalog.Load(Path.Combine(RepoPaths.RepoRoot, "data", "examples", "gait2354-walk"));
        PreparedTrial trial = TrialPreprocessor.Prepare(example.LoadTrial(example.Trials[0]));
        (ZScoreStatistics inputs, ZScoreStatistics outputs) = WindowDataset.FitStatistics([trial]);
        // The example's force labels cover a short span; keep at least 16 windows to draw from.
        int frames = Math.Min(MaxFrames, trial.FrameCount - 15);
        return new WindowDataset([trial], inputs, outputs, new WindowSpec(frames, 1));
    }
}
