using GaitStream.Core.Preprocessing;

namespace GaitStream.Core.OpenSim;

/// <summary>
/// An OpenSim Storage table (.mot / .sto): a header, a time column and named data columns.
/// Owns the data of one file in memory, channel-major (one array per column), which is the layout every
/// later stage (resampling, filtering, windows) works on.
/// </summary>
public sealed class StorageTable
{
    private readonly Dictionary<string, int> _columnIndex;

    /// <summary>Creates a table. <paramref name="columns"/> are the data columns (time excluded), each as long as <paramref name="time"/>.</summary>
    public StorageTable(
        string name,
        IReadOnlyList<string> columnLabels,
        double[] time,
        double[][] columns,
        bool? inDegrees = null,
        IReadOnlyList<string>? headerLines = null,
        string? sourcePath = null,
        string timeLabel = "time")
    {
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(columns);
        if (columnLabels.Count != columns.Length)
        {
            throw new ArgumentException($"{columnLabels.Count} column labels for {columns.Length} columns.", nameof(columnLabels));
        }

        _columnIndex = new Dictionary<string, int>(columnLabels.Count, StringComparer.Ordinal);
        for (int c = 0; c < columns.Length; c++)
        {
            if (columns[c].Length != time.Length)
            {
                throw new ArgumentException($"Column '{columnLabels[c]}' has {columns[c].Length} rows; the time column has {time.Length}.", nameof(columns));
            }
            if (!_columnIndex.TryAdd(columnLabels[c], c))
            {
                throw new ArgumentException($"Duplicate column label '{columnLabels[c]}'.", nameof(columnLabels));
            }
        }

        Name = name;
        ColumnLabels = columnLabels;
        Time = time;
        Columns = columns;
        InDegrees = inDegrees;
        HeaderLines = headerLines ?? [];
        SourcePath = sourcePath;
        TimeLabel = timeLabel;
    }

    /// <summary>The table's name: the first header line (or the old-style <c>name</c> key).</summary>
    public string Name { get; }

    /// <summary>Data column labels, in file order, without the time column.</summary>
    public IReadOnlyList<string> ColumnLabels { get; }

    /// <summary>Label of the first (independent) column, normally <c>time</c>.</summary>
    public string TimeLabel { get; }

    /// <summary>Time of each row, seconds, strictly increasing.</summary>
    public double[] Time { get; }

    /// <summary>Data columns, channel-major: <c>Columns[c][row]</c>.</summary>
    public double[][] Columns { get; }

    /// <summary><c>inDegrees</c> from the header: true for degrees, false for radians, null when the header does not say.</summary>
    public bool? InDegrees { get; }

    /// <summary>Header lines between the name line and <c>endheader</c>, verbatim (trailing whitespace removed).</summary>
    public IReadOnlyList<string> HeaderLines { get; }

    /// <summary>File the table was read from, for error messages; null for tables built in memory.</summary>
    public string? SourcePath { get; }

    public int RowCount => Time.Length;

    public int ColumnCount => Columns.Length;

    /// <summary>Sample rate from the median time step, Hz (robust to a few irregular steps).</summary>
    public double SampleRateHz => Resampler.MedianRateHz(Time);

    public bool HasColumn(string label) => _columnIndex.ContainsKey(label);

    /// <summary>Index of a data column, or -1.</summary>
    public int IndexOf(string label) => _columnIndex.TryGetValue(label, out int i) ? i : -1;

    /// <summary>The column with this label; a clear error naming the file when it is absent.</summary>
    public double[] Column(string label)
    {
        if (_columnIndex.TryGetValue(label, out int i))
        {
            return Columns[i];
        }
        throw new KeyNotFoundException($"{SourcePath ?? Name}: no column '{label}'.");
    }

    public bool TryGetColumn(string label, out double[] column)
    {
        if (_columnIndex.TryGetValue(label, out int i))
        {
            column = Columns[i];
            return true;
        }
        column = [];
        return false;
    }
}
