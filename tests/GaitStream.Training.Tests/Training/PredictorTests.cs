using System.Runtime.InteropServices;
using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Tests;
using GaitStream.Training.Runtime;
using GaitStream.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Training;

public sealed class PredictorTests
{
    public PredictorTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void A_windows_estimate_is_the_models_last_frame_destandardised_and_the_reference_is_copied_exactly()
    {
        (PreparedTrial trial, ZScoreStatistics inputs, ZScoreStatistics outputs) = ExampleWalk();
        const int length = 20;
        torch.manual_seed(3);
        using var model = new CausalConvStandIn(10, outputs.ChannelCount);

        TrialPrediction prediction = new Predictor(model, inputs, outputs, Predictor.EveryFrame(length), batchSize: 7).Predict(trial);

        int n = trial.FrameCount - length + 1;
        Assert.Equal([.. Enumerable.Range(length - 1, n)], prediction.TargetFrames);
        for (int c = 0; c < outputs.ChannelCount; c++)
        {
            Assert.Equal(n, prediction.Predicted[c].Length);
            Assert.Equal(trial.Outputs[c][(length - 1)..], prediction.Reference[c]);
        }

        // By hand for one window: standardise its angles, run the model, take the last frame, undo the output z-score.
        int window = n / 2;
        int target = prediction.TargetFrames[window];
        float[] x = new float[length * 10];
        for (int l = 0; l < length; l++)
        {
            for (int c = 0; c < 10; c++)
            {
                x[(l * 10) + c] = (float)((trial.Inputs[c][target - length + 1 + l] - inputs.Means[c]) / inputs.Scales[c]);
            }
        }
        model.eval();
        float[] z;
        using (torch.no_grad())
        using (Tensor input = torch.tensor(x, [1, length, 10]))
        using (Tensor y = model.call(input))
        {
            z = y[0, length - 1].data<float>().ToArray();
        }
        for (int c = 0; c < outputs.ChannelCount; c++)
        {
            double expected = (z[c] * outputs.Scales[c]) + outputs.Means[c];
            Assert.Equal(expected, prediction.Predicted[c][window], Math.Max(1e-5, Math.Abs(expected) * 1e-5));
        }
    }

    [Fact]
    public void Batching_does_not_change_the_estimates()
    {
        (PreparedTrial trial, ZScoreStatistics inputs, ZScoreStatistics outputs) = ExampleWalk();
        torch.manual_seed(4);
        using var model = new CausalConvStandIn(10, outputs.ChannelCount);
        WindowSpec window = Predictor.EveryFrame(20);

        TrialPrediction one = new Predictor(model, inputs, outputs, window, batchSize: 1).Predict(trial);
        TrialPrediction many = new Predictor(model, inputs, outputs, window, batchSize: 256).Predict(trial);

        for (int c = 0; c < outputs.ChannelCount; c++)
        {
            for (int i = 0; i < one.TargetFrames.Length; i++)
            {
                Assert.Equal(one.Predicted[c][i], many.Predicted[c][i], Math.Max(1e-5, Math.Abs(one.Predicted[c][i]) * 1e-5));
            }
        }
    }

    [Fact]
    public void Protocol_metrics_through_the_predictor_equal_regression_metrics_of_the_same_arrays()
    {
        (PreparedTrial trial, ZScoreStatistics inputs, ZScoreStatistics outputs) = ExampleWalk();
        torch.manual_seed(5);
        using var model = new CausalConvStandIn(10, outputs.ChannelCount);
        var predictor = new Predictor(model, inputs, outputs, Predictor.EveryFrame(20));

        TrialPrediction prediction = predictor.Predict(trial);
        MetricsReport report = predictor.Evaluate([trial]);

        SubjectMetrics subject = Assert.Single(report.PerSubject.Values);
        Assert.Equal(trial.Labels.SubjectId, subject.SubjectId);
        Assert.Equal(prediction.TargetFrames.Length, subject.Frames);
        var expected = new ChannelMetrics[outputs.ChannelCount];
        for (int c = 0; c < outputs.ChannelCount; c++)
        {
            expected[c] = RegressionMetrics.Compute(prediction.Reference[c], prediction.Predicted[c]);
            Assert.Equal(expected[c], subject.PerChannel[trial.OutputChannels[c]]);
        }
        foreach (ChannelKind kind in new[] { ChannelKind.Moment, ChannelKind.Force })
        {
            ChannelMetrics[] ofKind = [.. expected.Where((_, c) => ChannelSchema.KindOf(trial.OutputChannels[c]) == kind)];
            Assert.Equal(kind == ChannelKind.Moment ? 6 : 16, ofKind.Length);
            Assert.Equal(ofKind.Average(m => m.Rmse), subject.PerKind[kind].Rmse, 1e-12);
            Assert.Equal(ofKind.Average(m => m.Mae), subject.PerKind[kind].Mae, 1e-12);
            Assert.Equal(ofKind.Average(m => m.Rmse), report.Overall[kind].Rmse.Mean, 1e-12);
        }
    }

    [Fact]
    public void A_subjects_metrics_cover_its_trials_concatenated_on_real_running_data()
    {
        torch.manual_seed(6);
        using var model = new CausalConvStandIn(10, 6);
        var predictor = new Predictor(model, RunningData.InputStatistics, RunningData.OutputStatistics, Predictor.EveryFrame(100));
        IReadOnlyList<PreparedTrial> trials = RunningData.All;

        IReadOnlyList<PredictionSet> sets = predictor.PredictionSets(trials);
        MetricsReport report = ProtocolEvaluator.Evaluate(sets);

        Assert.Equal(8, sets.Count);
        Assert.Equal(4, report.PerSubject.Count);
        foreach (SubjectMetrics subject in report.PerSubject.Values)
        {
            PredictionSet[] own = [.. sets.Where(s => s.SubjectId == subject.SubjectId).OrderBy(s => s.Condition, StringComparer.Ordinal)];
            Assert.Equal(2, own.Length);
            Assert.Equal(own.Sum(s => s.Reference[0].Length), subject.Frames);
            for (int c = 0; c < 6; c++)
            {
                double[] reference = [.. own.SelectMany(s => s.Reference[c])];
                double[] predicted = [.. own.SelectMany(s => s.Predicted[c])];
                Assert.Equal(RegressionMetrics.Compute(reference, predicted), subject.PerChannel[ChannelSchema.HipMoments[c]]);
            }
        }
    }

    [Fact]
    public void A_trial_shorter_than_the_window_has_no_estimates_and_no_prediction_set()
    {
        PreparedTrial trial = RunningData.Test[0];
        torch.manual_seed(7);
        using var model = new CausalConvStandIn(10, 6);
        var predictor = new Predictor(model, RunningData.InputStatistics, RunningData.OutputStatistics, Predictor.EveryFrame(trial.FrameCount + 1));

        Assert.Empty(predictor.Predict(trial).TargetFrames);
        Assert.Empty(predictor.PredictionSets([trial]));
    }

    private static (PreparedTrial Trial, ZScoreStatistics Inputs, ZScoreStatistics Outputs) ExampleWalk()
    {
        Dataset example = DatasetCatalog.Load(Path.Combine(RepoPaths.RepoRoot, "data", "examples", "gait2354-walk"));
        PreparedTrial trial = TrialPreprocessor.Prepare(example.LoadTrial(example.Trials[0]));
        (ZScoreStatistics inputs, ZScoreStatistics outputs) = WindowDataset.FitStatistics([trial]);
        return (trial, inputs, outputs);
    }
}
