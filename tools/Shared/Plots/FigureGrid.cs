using ScottPlot;
using SkiaSharp;

namespace GaitStream.Tools.Plots;

/// <summary>
/// A grid of ScottPlot panels saved as one PNG: each panel is rendered on its own and composited, so every panel
/// keeps its own axes, title and legend. Shared by the command-line tools as a linked source file
/// (<c>&lt;Compile Include="../Shared/Plots/*.cs" /&gt;</c>): one small type does not earn a project of its own,
/// and the server, which never draws, should not reference ScottPlot.
/// </summary>
internal sealed class FigureGrid
{
    private readonly Plot[] _panels;

    public FigureGrid(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        Rows = rows;
        Columns = columns;
        _panels = [.. Enumerable.Range(0, rows * columns).Select(_ => new Plot())];
    }

    public int Rows { get; }

    public int Columns { get; }

    public Plot this[int row, int column] => _panels[(row * Columns) + column];

    /// <summary>Writes the grid as a PNG of <paramref name="panelWidth"/> × <paramref name="panelHeight"/> pixels per panel.</summary>
    public void SavePng(string path, int panelWidth = 420, int panelHeight = 300)
    {
        int width = panelWidth * Columns;
        int height = panelHeight * Rows;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                byte[] png = this[r, c].GetImageBytes(panelWidth, panelHeight, ImageFormat.Png);
                using var bitmap = SKBitmap.Decode(png);
                surface.Canvas.DrawBitmap(bitmap, c * panelWidth, r * panelHeight);
            }
        }
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, data.ToArray());
    }
}
