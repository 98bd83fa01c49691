namespace GaitStream.Biomech.Model;

/// <summary>An .osim (or ExternalLoads) file GaitStream cannot turn into a model; the message names the file and the element.</summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException()
    {
    }

    public ModelFormatException(string message)
        : base(message)
    {
    }

    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
