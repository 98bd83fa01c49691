namespace GaitStream.Core.Datasets;

/// <summary>One CSV record and the 1-based line it starts on.</summary>
public sealed record CsvRow(int Line, IReadOnlyList<string> Cells);
