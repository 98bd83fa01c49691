using System.Text;

namespace GaitStream.Core.Datasets;

/// <summary>
/// A small RFC 4180 CSV table: a header row and data rows, quoted fields with doubled quotes, LF or CRLF.
/// Rows remember their 1-based line number so validation errors can point at them.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _index;

    private CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<CsvRow> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
        _index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++)
        {
            _index.TryAdd(header[i], i);
        }
    }

    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    public bool HasColumn(string name) => _index.ContainsKey(name);

    /// <summary>The cell of <paramref name="row"/> in column <paramref name="name"/>, trimmed; empty when the column is absent.</summary>
    public string Cell(CsvRow row, string name)
    {
        ArgumentNullException.ThrowIfNull(row);
        return _index.TryGetValue(name, out int i) && i < row.Cells.Count ? row.Cells[i].Trim() : string.Empty;
    }

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CSV file not found: '{path}'.", path);
        }
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path);
    }

    public static CsvTable Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new List<CsvRow>();
        int line = 1;
        while (true)
        {
            int startLine = line;
            List<string>? cells = ReadRecord(reader, ref line, source);
            if (cells is null)
            {
                break;
            }
            if (cells.Count == 1 && cells[0].Length == 0)
            {
                continue; // blank line
            }
            records.Add(new CsvRow(startLine, cells));
        }
        if (records.Count == 0)
        {
            throw new InvalidDataException($"{source}: empty file; a header row is required.");
        }
        var header = records[0].Cells.Select(c => c.Trim()).ToList();
        return new CsvTable(source, header, records.Skip(1).ToList());
    }

    private static List<string>? ReadRecord(TextReader reader, ref int line, string source)
    {
        int c = reader.Peek();
        if (c < 0)
        {
            return null;
        }
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        int startLine = line;
        while (true)
        {
            c = reader.Read();
            if (quoted)
            {
                if (c < 0)
                {
                    throw new InvalidDataException($"{source}:{startLine}: a quoted field is not closed.");
                }
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        cell.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    cell.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case -1:
                    cells.Add(cell.ToString());
                    return cells;
                case '\r':
                    break;
                case '\n':
                    line++;
                    cells.Add(cell.ToString());
                    return cells;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '"' when cell.Length == 0 || cell.ToString().Trim().Length == 0:
                    cell.Clear();
                    quoted = true;
                    break;
                default:
                    cell.Append((char)c);
                    break;
            }
        }
    }
}
