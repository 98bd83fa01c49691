using System.Globalization;
using System.Text;

namespace GaitStream.Core.OpenSim;

/// <summary>
/// Writes OpenSim Storage files in the current OpenSim layout (<c>version=1</c>, <c>nRows</c>, <c>nColumns</c>,
/// <c>inDegrees</c>, free-text header lines kept, <c>endheader</c>, tab-separated labels and cells).
/// By default numbers are written in the shortest form that reads back to the same double, so a file read and
/// written again holds exactly the values it was read with; <see cref="StorageWriteOptions.FixedDecimals"/>
/// gives OpenSim's own fixed layout instead.
/// </summary>
public static class StorageWriter
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="path"/> (folders are created).</summary>
    public static void Write(StorageTable table, string path, StorageWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Write(table, writer, options);
    }

    /// <summary>Writes <paramref name="table"/> as Storage text.</summary>
    public static void Write(StorageTable table, TextWriter writer, StorageWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= StorageWriteOptions.Default;
        string nl = options.NewLine;

        writer.Write(string.IsNullOrWhiteSpace(table.Name) ? "Storage" : table.Name);
        writer.Write(nl);
        writer.Write("version=1");
        writer.Write(nl);
        writer.Write(FormattableString.Invariant($"nRows={table.RowCount}"));
        writer.Write(nl);
        writer.Write(FormattableString.Invariant($"nColumns={table.ColumnCount + 1}"));
        writer.Write(nl);
        bool? inDegrees = table.InDegrees;
        if (inDegrees is bool deg)
        {
            writer.Write(deg ? "inDegrees=yes" : "inDegrees=no");
            writer.Write(nl);
        }
        foreach (string line in table.HeaderLines)
        {
            if (IsRegeneratedKey(line))
            {
                continue;
            }
            writer.Write(line);
            writer.Write(nl);
        }
        writer.Write("endheader");
        writer.Write(nl);

        writer.Write(table.TimeLabel);
        foreach (string label in table.ColumnLabels)
        {
            writer.Write('\t');
            writer.Write(label);
        }
        writer.Write(nl);

        Span<char> buffer = stackalloc char[64];
        for (int r = 0; r < table.RowCount; r++)
        {
            WriteNumber(writer, table.Time[r], options, buffer);
            for (int c = 0; c < table.ColumnCount; c++)
            {
                writer.Write('\t');
                WriteNumber(writer, table.Columns[c][r], options, buffer);
            }
            writer.Write(nl);
        }
    }

    private static bool IsRegeneratedKey(string line)
    {
        string t = line.Trim();
        return t.StartsWith("version=", StringComparison.Ordinal)
            || t.StartsWith("nRows=", StringComparison.Ordinal)
            || t.StartsWith("nColumns=", StringComparison.Ordinal)
            || t.StartsWith("inDegrees=", StringComparison.Ordinal)
            || t.StartsWith("datacolumns ", StringComparison.Ordinal)
            || t.StartsWith("datarows ", StringComparison.Ordinal)
            || t.StartsWith("range ", StringComparison.Ordinal);
    }

    private static void WriteNumber(TextWriter writer, double value, StorageWriteOptions options, Span<char> buffer)
    {
        if (double.IsNaN(value))
        {
            writer.Write("NaN");
            return;
        }
        if (double.IsInfinity(value))
        {
            writer.Write(value > 0 ? "inf" : "-inf");
            return;
        }
        ReadOnlySpan<char> format = options.FixedDecimals is int d ? FixedFormats[Math.Clamp(d, 0, FixedFormats.Length - 1)] : "R";
        if (value.TryFormat(buffer, out int written, format, CultureInfo.InvariantCulture))
        {
            writer.Write(buffer[..written]);
        }
        else
        {
            writer.Write(value.ToString(format.ToString(), CultureInfo.InvariantCulture));
        }
    }

    private static readonly string[] FixedFormats = [.. Enumerable.Range(0, 21).Select(d => "F" + d.ToString(CultureInfo.InvariantCulture))];
}
