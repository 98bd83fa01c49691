namespace GaitStream.Inference.Backends;

/// <summary>Which <see cref="IInferenceBackend"/> serves the models: a configuration value, so moving to a serving engine changes no code that calls it.</summary>
public enum InferenceBackendKind
{
    /// <summary>In-process ONNX Runtime (<see cref="OnnxRuntimeBackend"/>).</summary>
    OnnxRuntime,
}
