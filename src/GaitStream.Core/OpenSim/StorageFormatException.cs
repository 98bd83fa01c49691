namespace GaitStream.Core.OpenSim;

/// <summary>
/// A malformed OpenSim Storage file. The message always names the file, the 1-based line and, where it applies,
/// the 1-based column with its label, so a lab can open the file at the right place.
/// </summary>
public sealed class StorageFormatException : FormatException
{
    public StorageFormatException(string source, int line, int? column, string? columnLabel, string problem)
        : base(Compose(source, line, column, columnLabel, problem))
    {
        FilePath = source;
        Line = line;
        Column = column;
        ColumnLabel = columnLabel;
        Problem = problem;
    }

    public StorageFormatException()
    {
        FilePath = string.Empty;
        Problem = string.Empty;
    }

    public StorageFormatException(string message) : base(message)
    {
        FilePath = string.Empty;
        Problem = message;
    }

    public StorageFormatException(string message, Exception innerException) : base(message, innerException)
    {
        FilePath = string.Empty;
        Problem = message;
    }

    /// <summary>The file (or stream name) being read.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number in the file.</summary>
    public int Line { get; }

    /// <summary>1-based column number (the time column is 1), when the problem is in one cell.</summary>
    public int? Column { get; }

    public string? ColumnLabel { get; }

    /// <summary>The problem alone, without the location.</summary>
    public string Problem { get; }

    private static string Compose(string source, int line, int? column, string? label, string problem)
    {
        string where = column is int c
            ? $"{source}:{line}: column {c}{(label is null ? string.Empty : $" ('{label}')")}"
            : $"{source}:{line}";
        return $"{where}: {problem}";
    }
}
