using GaitStream.Training.Onnx;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Onnx;

/// <summary>Runs an exported model on ONNX Runtime's CPU provider (one thread, default graph optimisations, as a service would).</summary>
internal sealed class OnnxRuntimeRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;

    public OnnxRuntimeRunner(byte[] model)
    {
        _options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model, _options);
    }

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>Runs <paramref name="x"/> [B, L, C] and returns <paramref name="output"/> as a CPU tensor of its shape.</summary>
    public Tensor Run(Tensor x, string output = OnnxExporter.OutputName)
    {
        using var cpu = x.cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(values, cpu.shape);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, [OnnxExporter.InputName], [input], [output]);
        var result = results[0];
        var shape = result.GetTensorTypeAndShape().Shape;
        return tensor(result.GetTensorDataAsSpan<float>().ToArray(), shape);
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
