namespace GaitStream.Inference.Backends;

/// <summary>Where ONNX Runtime runs the graph.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when this build and machine have it, else the CPU with a logged warning.</summary>
    Auto,

    /// <summary>CUDA or a clear error (needs the GPU build, <c>-p:GaitStreamOnnxGpu=true</c>, and a driver).</summary>
    Cuda,

    Cpu,
}
