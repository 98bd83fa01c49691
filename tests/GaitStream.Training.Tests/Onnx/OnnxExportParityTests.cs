using GaitStream.Training.Models;
using GaitStream.Training.Onnx;
using GaitStream.Training.Runtime;
using GaitStream.Training.Tests.Models;
using GaitStream.Training.Tests.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Onnx;

/// <summary>
/// Every architecture, exported and run on ONNX Runtime (CPU), gives TorchSharp's last-frame estimate to 1e-4 on
/// random windows and real ones (the embedded walking example, 22 frames; the shared running trials, 100 frames) at
/// batch 1 and 7, freshly initialised and after a few training steps; and every file passes onnx's own checker.
/// </summary>
[Collection(TorchGlobalRng.Name)]
public sealed class OnnxExportParityTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>float32 parity bound on standardised estimates (values of order 1).</summary>
    private const float Tolerance = 1e-4f;

    private const int OutputChannels = 22;
    private const int WindowFrames = 100;

    private readonly string _directory = Directory.CreateTempSubdirectory("gaitstream-onnx-").FullName;

    public static TheoryData<Architecture, bool> Cases => new()
    {
        { Architecture.Lstm, false }, { Architecture.Lstm, true },
        { Architecture.Transformer, false }, { Architecture.Transformer, true },
        { Architecture.Mamba, false }, { Architecture.Mamba, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_matches_TorchSharp_on_the_last_frame_within_1e_4(Architecture architecture, bool trained)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(trained ? 11 : 7);
        using var model = SequenceModel.Create(ModelConfig.Default(architecture, OutputChannels, WindowFrames));
        if (trained)
        {
            TrainBriefly(model);
        }
        model.eval();

        var path = Path.Combine(_directory, $"{architecture}-{(trained ? "trained" : "init")}.onnx");
        OnnxExporter.Export(model, path);
        var bytes = File.ReadAllBytes(path);
        output.WriteLine($"{architecture} {(trained ? "trained" : "init")}: {bytes.Length / 1024.0:F1} KiB, {model.ParameterCount()} parameters");
        output.WriteLine("checker: " + OnnxChecker.AssertValid(path));

        using var onnx = new OnnxRuntimeRunner(bytes);
        manual_seed(3);
        var random = randn(7, WindowFrames, SyntheticSequences.InputChannels);
        var walking = ExampleWindows.Take(ExampleWindows.Dataset, 7).Inputs;                    // [7, 22, 10], the embedded example
        var running = ExampleWindows.Take(RunningData.Windows(RunningData.Test, strideFrames: 50), 7).Inputs; // [7, 100, 10]
        foreach (var (name, x) in new[] { ("random", random), ("walk", walking), ("run", running) })
        {
            foreach (var batch in new[] { 1, 7 })
            {
                var input = x.narrow(0, 0, batch);
                using var expected = LastFrame(model, input);
                using var actual = onnx.Run(input);
                Assert.Equal(expected.shape, actual.shape);
                var maxAbs = (actual - expected).abs().max().item<float>();
                output.WriteLine($"  {name,-6} L={input.size(1),3} B={batch}: max |Δ| = {maxAbs:E2} (|y| up to {expected.abs().max().item<float>():F2})");
                Assert.True(maxAbs <= Tolerance, $"{architecture} {name} B={batch}: ONNX Runtime differs from TorchSharp by {maxAbs:E3} > {Tolerance:E0}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void The_per_frame_output_matches_every_frame_at_another_window_length(Architecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = SequenceModel.Create(ModelConfig.Default(architecture, OutputChannels, WindowFrames));
        model.eval();
        var path = Path.Combine(_directory, $"{architecture}-per-frame.onnx");
        OnnxExporter.Export(model, path, new OnnxExportOptions { PerFrameOutput = true });
        OnnxChecker.AssertValid(path);

        using var onnx = new OnnxRuntimeRunner(File.ReadAllBytes(path));
        Assert.Equal([OnnxExporter.OutputName, OnnxExporter.PerFrameOutputName], onnx.OutputNames);
        var x = randn(3, 37, SyntheticSequences.InputChannels);                 // frames is dynamic: not the export's 100
        using var expected = Forward(model, x);                                  // [3, 37, 22]
        using var actual = onnx.Run(x, OnnxExporter.PerFrameOutputName);
        using var last = onnx.Run(x);
        Assert.Equal(expected.shape, actual.shape);
        var maxAbs = (actual - expected).abs().max().item<float>();
        output.WriteLine($"{architecture} every frame, L=37 B=3: max |Δ| = {maxAbs:E2}");
        Assert.True(maxAbs <= Tolerance, $"{architecture}: per-frame output differs by {maxAbs:E3}");
        // The last-frame output is the per-frame output's last frame (same graph, heads on one frame).
        Assert.True((last - actual.select(1, -1)).abs().max().item<float>() <= 1e-6f);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Tensor Forward(SequenceModel model, Tensor x)
    {
        using var _ = no_grad();
        return model.forward(x);
    }

    private static Tensor LastFrame(SequenceModel model, Tensor x)
    {
        using var perFrame = Forward(model, x);
        return perFrame.select(1, -1).clone();
    }

    /// <summary>A few AdamW steps on the real example windows, so no weight is at its initial value.</summary>
    private static void TrainBriefly(SequenceModel model)
    {
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        var step = 0;
        foreach (var batch in ExampleWindows.Dataset.Batches(8, shuffle: true, seed: 1))
        {
            using (batch)
            using (var stepScope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(model.forward(batch.Inputs).select(1, -1), batch.Targets);
                loss.backward();
                optimizer.step();
            }
            if (++step == 5)
            {
                break;
            }
        }
    }
}
