namespace GaitStream.Core.OpenSim;

/// <summary>How <see cref="StorageWriter"/> lays numbers and lines out.</summary>
public sealed record StorageWriteOptions
{
    public static StorageWriteOptions Default { get; } = new();

    /// <summary>
    /// Digits after the decimal point (OpenSim itself writes 8); null (default) writes the shortest text that
    /// reads back to the identical double.
    /// </summary>
    public int? FixedDecimals { get; init; }

    /// <summary>Line ending; "\n" by default, "\r\n" for tools that want CRLF.</summary>
    public string NewLine { get; init; } = "\n";
}
