using GaitStream.Core.Protocol;
using GaitStream.Training.Models;
using GaitStream.Training.Training;

namespace GaitStream.Trainer;

/// <summary>A model trained under the protocol, its card, how training went, and its test-subject estimates and metrics.</summary>
internal sealed record TrainedModel(
    SequenceModel Model,
    ModelCard Card,
    TrainingResult Result,
    IReadOnlyList<TrialPrediction> TestPredictions,
    MetricsReport Metrics) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
