using System.Globalization;

namespace GaitStream.Core.OpenSim;

/// <summary>
/// Reads OpenSim Storage files (.mot, .sto) as OpenSim writes them: a name line, header lines
/// (<c>version=1</c>, <c>nRows=</c>, <c>nColumns=</c>, <c>inDegrees=</c>, or the old style <c>name</c>,
/// <c>datacolumns</c>, <c>datarows</c>, <c>range</c>), free text, <c>endheader</c>, one column-label line, then rows.
/// Cells are separated by tabs or spaces; numbers may use scientific notation; LF or CRLF line ends.
/// Anything malformed is a <see cref="StorageFormatException"/> naming file, line and column.
/// </summary>
public static class StorageReader
{
    private const NumberStyles CellStyle = NumberStyles.Float;

    /// <summary>Reads a Storage file from disk.</summary>
    public static StorageTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"OpenSim Storage file not found: '{path}'.", path);
        }
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    /// <summary>Reads Storage text; <paramref name="sourceName"/> names the source in errors.</summary>
    public static StorageTable Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int lineNo = 0;

        // Header: everything up to the endheader line.
        string? name = null;
        var headerLines = new List<string>();
        bool? inDegrees = null;
        int? declaredRows = null;
        int? declaredColumns = null;
        bool sawEndHeader = false;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            string trimmed = line.Trim();
            if (trimmed.Equals("endheader", StringComparison.OrdinalIgnoreCase))
            {
                sawEndHeader = true;
                break;
            }

            if (name is null)
            {
                // The first line is the table's name; the old style writes it as "name <value>".
                name = trimmed.StartsWith("name ", StringComparison.Ordinal) ? trimmed[5..].Trim() : trimmed;
                continue;
            }

            headerLines.Add(line.TrimEnd());
            ParseHeaderKey(trimmed, sourceName, lineNo, ref inDegrees, ref declaredRows, ref declaredColumns);
        }

        if (!sawEndHeader)
        {
            throw new StorageFormatException(sourceName, Math.Max(lineNo, 1), null, null,
                "missing 'endheader': an OpenSim Storage header must end with a line reading 'endheader'.");
        }

        // Column labels: the first non-blank line after endheader.
        string? labelLine = null;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                labelLine = line;
                break;
            }
        }
        if (labelLine is null)
        {
            throw new StorageFormatException(sourceName, lineNo + 1, null, null, "no column-label line after 'endheader'.");
        }
        int labelLineNo = lineNo;
        string[] labels = SplitLabels(labelLine);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < labels.Length; c++)
        {
            if (!seen.TryAdd(labels[c], c))
            {
                throw new StorageFormatException(sourceName, labelLineNo, c + 1, labels[c],
                    $"duplicate column name (first seen as column {seen[labels[c]] + 1}).");
            }
        }
        if (labels.Length < 1)
        {
            throw new StorageFormatException(sourceName, labelLineNo, null, null, "the column-label line is empty.");
        }
        if (declaredColumns is int nc && nc != labels.Length)
        {
            throw new StorageFormatException(sourceName, labelLineNo, null, null,
                $"the header declares {nc} columns but the label line has {labels.Length}.");
        }

        // Rows.
        int width = labels.Length;
        int capacity = declaredRows is > 0 and < 50_000_000 ? declaredRows.Value : 256;
        var time = new List<double>(capacity);
        var data = new List<double>[width - 1];
        for (int c = 0; c < data.Length; c++)
        {
            data[c] = new List<double>(capacity);
        }

        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            ReadOnlySpan<char> rest = line.AsSpan();
            if (rest.IsWhiteSpace())
            {
                continue;
            }

            int column = 0;
            while (NextToken(ref rest, out ReadOnlySpan<char> token))
            {
                if (column >= width)
                {
                    throw new StorageFormatException(sourceName, lineNo, column + 1, null,
                        $"ragged row: more cells than the {width} column labels.");
                }
                if (!TryParseCell(token, out double value))
                {
                    throw new StorageFormatException(sourceName, lineNo, column + 1, labels[column],
                        $"'{token.ToString()}' is not a number.");
                }
                if (column == 0)
                {
                    if (!double.IsFinite(value))
                    {
                        throw new StorageFormatException(sourceName, lineNo, 1, labels[0], "time is not a finite number.");
                    }
                    if (time.Count > 0 && value <= time[^1])
                    {
                        throw new StorageFormatException(sourceName, lineNo, 1, labels[0],
                            $"time is not increasing ({value.ToString("R", CultureInfo.InvariantCulture)} after " +
                            $"{time[^1].ToString("R", CultureInfo.InvariantCulture)}).");
                    }
                    time.Add(value);
                }
                else
                {
                    data[column - 1].Add(value);
                }
                column++;
            }
            if (column < width)
            {
                throw new StorageFormatException(sourceName, lineNo, column + 1, labels[column],
                    $"ragged row: {column} cells where the label line has {width}.");
            }
        }

        if (declaredRows is int nr && nr != time.Count)
        {
            throw new StorageFormatException(sourceName, lineNo, null, null,
                $"the header declares {nr} rows but the file has {time.Count}.");
        }

        var columns = new double[width - 1][];
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = [.. data[c]];
        }
        return new StorageTable(name ?? string.Empty, labels[1..], [.. time], columns, inDegrees, headerLines, sourceName, labels[0]);
    }

    private static void ParseHeaderKey(string trimmed, string source, int lineNo, ref bool? inDegrees, ref int? rows, ref int? columns)
    {
        string key;
        string value;
        int eq = trimmed.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            key = trimmed[..eq].Trim();
            value = trimmed[(eq + 1)..].Trim();
        }
        else
        {
            // Old-style keys are "key value" (datacolumns 19, datarows 9009, range 0 15).
            int sp = trimmed.IndexOfAny([' ', '\t']);
            if (sp <= 0)
            {
                return;
            }
            key = trimmed[..sp];
            value = trimmed[sp..].Trim();
            if (key is not ("datacolumns" or "datarows" or "range"))
            {
                return; // free text
            }
        }

        switch (key)
        {
            case "inDegrees":
                inDegrees = value.ToUpperInvariant() switch
                {
                    "YES" or "TRUE" => true,
                    "NO" or "FALSE" => false,
                    _ => throw new StorageFormatException(source, lineNo, null, null, $"inDegrees must be yes or no, not '{value}'."),
                };
                break;
            case "nRows" or "datarows":
                rows = ParseCount(value, key, source, lineNo);
                break;
            case "nColumns" or "datacolumns":
                columns = ParseCount(value, key, source, lineNo);
                break;
            default:
                break;
        }
    }

    private static int ParseCount(string value, string key, string source, int lineNo) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new StorageFormatException(source, lineNo, null, null, $"{key} must be a non-negative integer, not '{value}'.");

    /// <summary>Labels are tab-separated when the line has a tab (a label may then hold spaces), else space-separated.</summary>
    private static string[] SplitLabels(string line) =>
        line.Contains('\t', StringComparison.Ordinal)
            ? line.Split('\t', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static bool NextToken(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> token)
    {
        int start = 0;
        while (start < rest.Length && IsSeparator(rest[start]))
        {
            start++;
        }
        if (start == rest.Length)
        {
            token = default;
            rest = default;
            return false;
        }
        int end = start;
        while (end < rest.Length && !IsSeparator(rest[end]))
        {
            end++;
        }
        token = rest[start..end];
        rest = rest[end..];
        return true;
    }

    private static bool IsSeparator(char c) => c is ' ' or '\t' or '\r';

    private static bool TryParseCell(ReadOnlySpan<char> token, out double value)
    {
        if (double.TryParse(token, CellStyle, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        // OpenSim (C++ printf) writes non-finite values as nan / inf / -inf.
        if (token.Equals("nan", StringComparison.OrdinalIgnoreCase) || token.Equals("-nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        if (token.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            value = double.PositiveInfinity;
            return true;
        }
        if (token.Equals("-inf", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NegativeInfinity;
            return true;
        }
        return false;
    }
}
