using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Estimation;
using GaitStream.Inference.Registry;
using GaitStream.Training.Training;
using Microsoft.Extensions.Logging;

namespace GaitStream.Inference.Tests;

[Collection(ExportedModelGroup.Name)]
public sealed class BackendTests(ExportedModelFixture fixture)
{
    private RegisteredModel Model => new ModelRegistry(fixture.ModelsDir).Load(ExportedModelFixture.Name);

    [Fact]
    public void Auto_falls_back_to_the_cpu_on_this_build_and_logs_a_warning()
    {
        Assert.False(OnnxRuntimeBackend.CudaBuildAvailable);
        var logger = new ListLogger();
        using var backend = OnnxRuntimeBackend.Create(Model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Auto }, logger);

        Assert.Equal(OnnxRuntimeBackend.CpuProvider, backend.ExecutionProvider);
        Assert.Equal("onnxruntime/CPUExecutionProvider", backend.Description);
        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.StartsWith("CUDA is not available, running ONNX Runtime on the CPU: ExecutionProvider 'cuda' is not available", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_without_a_cuda_build_is_a_clear_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OnnxRuntimeBackend.Create(Model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cuda }));
        Assert.Contains("ExecutionProvider 'cuda' is not available", e.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", e.Message, StringComparison.Ordinal);
        Assert.Contains("-p:GaitStreamOnnxGpu=true", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_the_option_name()
    {
        var e = Assert.Throws<ArgumentException>(() => new InferenceOptions { MaxBatchSize = 0 }.Validate());
        Assert.Contains("Inference:MaxBatchSize", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new InferenceOptions { IntraOpThreads = -1 }.Validate());
        Assert.Contains("IntraOpThreads", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimator_equals_the_torchsharp_predictor_on_a_real_trial()
    {
        // The trainer's own route: model.pt + model.json, Predictor (TorchSharp), de-standardised.
        var trainedCard = Trainer.ModelCard.Load(fixture.TrainDir);
        using var torchModel = trainedCard.LoadModel(fixture.TrainDir);
        Dataset dataset = DatasetCatalog.Load(ExportedModelFixture.Running);
        TrialInfo info = dataset.Trials.First(t => t.SubjectId == "subject04");
        PreparedTrial trial = TrialPreprocessor.Prepare(dataset.LoadTrial(info), trainedCard.PreprocessingForOutputs);
        var predictor = new Predictor(torchModel, trainedCard.InputStatistics, trainedCard.OutputStatistics, Predictor.EveryFrame(100));
        TrialPrediction expected = predictor.Predict(trial);

        RegisteredModel model = Model;
        using var backend = OnnxRuntimeBackend.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1 });
        var estimator = new Estimator(backend, model.Card);
        const int batch = 64;
        int k = model.Card.Outputs.Count;
        foreach (int first in new[] { 0, expected.TargetFrames.Length - batch })
        {
            float[] windows = new float[batch * estimator.WindowLength];
            CausalWindows.CopyWindows(trial.Inputs, Predictor.EveryFrame(100), first, batch, windows);
            float[] perKg = new float[batch * k];
            estimator.EstimatePerKg(windows, batch, perKg);
            float[] newtons = new float[batch * k];
            estimator.Estimate(windows, batch, trial.BodyMassKg, newtons);

            double worst = 0;
            for (int b = 0; b < batch; b++)
            {
                for (int c = 0; c < k; c++)
                {
                    double reference = expected.Predicted[c][first + b];
                    worst = Math.Max(worst, Math.Abs(perKg[(b * k) + c] - reference));
                    Assert.Equal(reference * trial.BodyMassKg, newtons[(b * k) + c], 1e-4 * trial.BodyMassKg);
                }
            }
            Assert.True(worst <= 1e-4, $"max |ONNX − TorchSharp| = {worst:E2} N·m/kg");
            Assert.True(perKg.Any(v => Math.Abs(v) > 0.05), "estimates are not all near zero");
        }
    }

    [Fact]
    public void Preallocated_path_repeats_exactly_and_agrees_across_batch_sizes_1_and_64()
    {
        RegisteredModel model = Model;
        using var backend = OnnxRuntimeBackend.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1, MaxBatchSize = 64 });
        int length = backend.WindowFrames * backend.InputChannels;
        int k = backend.OutputChannels;
        var random = new Random(3);
        float[] windows = [.. Enumerable.Range(0, 64 * length).Select(_ => (float)((random.NextDouble() * 4) - 2))];

        float[] first = new float[64 * k];
        backend.Run(windows, 64, first);
        float[] again = new float[64 * k];
        for (int repeat = 0; repeat < 3; repeat++)
        {
            backend.Run(windows, 64, again);
            Assert.Equal(first, again);
        }

        float[] one = new float[k];
        double worst = 0;
        for (int b = 0; b < 64; b++)
        {
            backend.Run(windows.AsSpan(b * length, length), 1, one);
            for (int c = 0; c < k; c++)
            {
                worst = Math.Max(worst, Math.Abs(one[c] - first[(b * k) + c]));
            }
        }
        Assert.True(worst <= 1e-6, $"batch 1 vs 64: max |Δ| = {worst:E2}");

        // Steady state: the bindings exist, so a call allocates nothing managed.
        backend.Run(windows, 64, again);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            backend.Run(windows, 64, again);
            backend.Run(windows.AsSpan(0, length), 1, one);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 20 steady-state calls");

        Assert.Throws<ArgumentOutOfRangeException>(() => backend.Run(new float[65 * length], 65, new float[65 * k]));
        var e = Assert.Throws<ArgumentException>(() => backend.Run(windows.AsSpan(0, length - 1), 1, one));
        Assert.Contains("1 × 100 frames × 10 channels is 1000", e.Message, StringComparison.Ordinal);
    }
}
