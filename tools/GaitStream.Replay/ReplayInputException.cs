namespace GaitStream.Replay;

/// <summary>Bad input to the replay (options, files, selection, tolerance): exit code 2 with its message.</summary>
public sealed class ReplayInputException : Exception
{
    public ReplayInputException()
    {
    }

    public ReplayInputException(string message)
        : base(message)
    {
    }

    public ReplayInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
