namespace GaitStream.Inference.Backends;

/// <summary>ONNX Runtime's graph optimisation level.</summary>
public enum GraphOptimization
{
    Disabled,
    Basic,
    Extended,
    All,
}
