namespace GaitStream.Inference.Registry;

/// <summary>A model could not be loaded: missing, corrupt, tampered with, or its card disagrees with its graph.</summary>
public sealed class ModelLoadException : IOException
{
    public ModelLoadException()
    {
    }

    public ModelLoadException(string message)
        : base(message)
    {
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
