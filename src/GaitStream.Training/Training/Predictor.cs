using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GaitStream.Training.Training;

/// <summary>
/// Runs a trained sequence model over prepared trials the way the protocol scores it: every causal window, batched,
/// in eval mode without gradients, the estimate of each window's last frame de-standardised with the training
/// subjects' output statistics, then <see cref="ProtocolEvaluator"/> for the metrics.
/// </summary>
/// <remarks>
/// The protocol estimates every frame that has a whole window behind it, so evaluate with stride 1
/// (<see cref="EveryFrame"/>); a larger stride scores a subsample of those frames (quicker, for monitoring).
/// </remarks>
public sealed class Predictor
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly Device _device;
    private readonly int _batchSize;

    /// <summary>
    /// Creates a predictor. <paramref name="device"/> defaults to the device of the model's first parameter.
    /// </summary>
    public Predictor(
        nn.Module<Tensor, Tensor> model,
        ZScoreStatistics inputStatistics,
        ZScoreStatistics outputStatistics,
        WindowSpec window,
        Device? device = null,
        int batchSize = Trainer.EvaluationBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputStatistics);
        ArgumentNullException.ThrowIfNull(outputStatistics);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        TorchRuntime.EnsureInitialized();
        _model = model;
        _device = device ?? model.parameters().FirstOrDefault()?.device ?? torch.CPU;
        _batchSize = batchSize;
        InputStatistics = inputStatistics;
        OutputStatistics = outputStatistics;
        Window = window;
    }

    public ZScoreStatistics InputStatistics { get; }

    public ZScoreStatistics OutputStatistics { get; }

    public WindowSpec Window { get; }

    /// <summary>The protocol's evaluation windows: <paramref name="lengthFrames"/> long, one ending at every frame.</summary>
    public static WindowSpec EveryFrame(int lengthFrames) => new(lengthFrames, strideFrames: 1);

    /// <summary>Estimates at the target frame of every window of <paramref name="trial"/> (none when it is shorter than a window).</summary>
    public TrialPrediction Predict(PreparedTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var dataset = new WindowDataset([trial], InputStatistics, OutputStatistics, Window);
        int n = dataset.Count;
        int k = dataset.OutputChannelCount;
        int[] targets = new int[n];
        double[][] reference = new double[k][];
        double[][] predicted = new double[k][];
        for (int c = 0; c < k; c++)
        {
            reference[c] = new double[n];
            predicted[c] = new double[n];
        }
        for (int i = 0; i < n; i++)
        {
            targets[i] = dataset.WindowAt(i).TargetFrame;
            for (int c = 0; c < k; c++)
            {
                reference[c][i] = trial.Outputs[c][targets[i]];
            }
        }

        bool wasTraining = _model.training;
        _model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            int offset = 0;
            foreach (WindowBatch batch in dataset.Batches(_batchSize, shuffle: false, seed: 0, _device))
            {
                using (batch)
                using (var scope = torch.NewDisposeScope())
                {
                    // The accessor honours strides and storage offsets (a [1, K] slice of [1, L, K] is "contiguous" at an offset).
                    float[] z = Trainer.Forward(_model, batch, dataset).select(1, -1).to(torch.CPU).data<float>().ToArray();
                    for (int b = 0; b < batch.Count; b++)
                    {
                        for (int c = 0; c < k; c++)
                        {
                            predicted[c][offset + b] = z[(b * k) + c];
                        }
                    }
                    offset += batch.Count;
                }
            }
        }
        finally
        {
            _model.train(wasTraining);
        }
        for (int c = 0; c < k; c++)
        {
            OutputStatistics.Invert(c, predicted[c]);
        }
        return new TrialPrediction(trial, targets, reference, predicted);
    }

    /// <summary>Prediction sets for the evaluator, one per trial that has at least one window.</summary>
    public IReadOnlyList<PredictionSet> PredictionSets(IEnumerable<PreparedTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return [.. trials.Select(Predict).Where(p => p.TargetFrames.Length > 0).Select(p => p.ToPredictionSet())];
    }

    /// <summary>The protocol's metrics over <paramref name="trials"/> (test or external subjects).</summary>
    public MetricsReport Evaluate(IEnumerable<PreparedTrial> trials) => ProtocolEvaluator.Evaluate(PredictionSets(trials));
}
