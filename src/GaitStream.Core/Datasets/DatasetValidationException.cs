namespace GaitStream.Core.Datasets;

/// <summary>
/// A dataset folder that does not follow the layout. Lists every problem found (not only the first), each naming
/// the file and row, so a lab can fix its folder in one pass.
/// </summary>
public sealed class DatasetValidationException : Exception
{
    public DatasetValidationException(string datasetRoot, IReadOnlyList<string> problems)
        : base(Compose(datasetRoot, problems))
    {
        DatasetRoot = datasetRoot;
        Problems = problems;
    }

    public DatasetValidationException() : this(string.Empty, [])
    {
    }

    public DatasetValidationException(string message) : this(string.Empty, [message])
    {
    }

    public DatasetValidationException(string message, Exception innerException) : base(message, innerException)
    {
        DatasetRoot = string.Empty;
        Problems = [message];
    }

    public string DatasetRoot { get; }

    public IReadOnlyList<string> Problems { get; }

    private static string Compose(string root, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"Dataset '{root}' is invalid: {problems[0]}"
            : $"Dataset '{root}' is invalid ({problems.Count} problems):{Environment.NewLine}  - " +
              string.Join(Environment.NewLine + "  - ", problems);
}
