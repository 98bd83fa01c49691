namespace GaitStream.Inference.Registry;

/// <summary>Where the registry looks for model cards (<c>Inference:Models</c> in configuration).</summary>
public sealed class ModelRegistryOptions
{
    public const string DefaultDirectory = "models";

    /// <summary>Folder holding <c>NAME.json</c> + <c>NAME.onnx</c> pairs; relative paths are from the working folder.</summary>
    public string Directory { get; set; } = DefaultDirectory;
}
