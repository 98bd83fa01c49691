using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;

namespace GaitStream.Biomech.Kinematics;

/// <summary>
/// A model's coordinates over time in SI units (radians, metres), coordinate-major: <c>Values[coordinate][frame]</c>.
/// Built from an IK .mot (degrees converted for rotational coordinates only, as OpenSim does); coordinates the file
/// lacks hold their model default and are listed in <see cref="MissingCoordinates"/>.
/// </summary>
public sealed class CoordinateTrajectory
{
    public CoordinateTrajectory(MusculoskeletalModel model, double[] timeS, double[][] values, IReadOnlyList<string>? missingCoordinates = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(timeS);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != model.Coordinates.Count)
        {
            throw new ArgumentException($"Expected {model.Coordinates.Count} coordinate columns, got {values.Length}.", nameof(values));
        }
        foreach (double[] column in values)
        {
            if (column.Length != timeS.Length)
            {
                throw new ArgumentException("Every coordinate column must be as long as the time column.", nameof(values));
            }
        }
        Model = model;
        TimeS = timeS;
        Values = values;
        MissingCoordinates = missingCoordinates ?? [];
    }

    public MusculoskeletalModel Model { get; }

    public double[] TimeS { get; }

    public double[][] Values { get; }

    public IReadOnlyList<string> MissingCoordinates { get; }

    public int FrameCount => TimeS.Length;

    /// <summary>Every <paramref name="step"/>-th frame from the first (e.g. 1000 Hz → 100 Hz with 10).</summary>
    public CoordinateTrajectory Decimate(int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        return new CoordinateTrajectory(Model, Frames.Every(TimeS, step), [.. Values.Select(v => Frames.Every(v, step))], MissingCoordinates);
    }

    /// <summary>Reads the model's coordinates from a Storage table (an IK result).</summary>
    public static CoordinateTrajectory FromStorage(MusculoskeletalModel model, StorageTable table)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(table);
        bool degrees = table.InDegrees ?? throw new ArgumentException(
            $"{table.SourcePath ?? table.Name}: the header does not say inDegrees; cannot tell the angle unit.", nameof(table));
        var missing = new List<string>();
        var values = new double[model.Coordinates.Count][];
        foreach (Coordinate c in model.Coordinates)
        {
            if (table.TryGetColumn(c.Name, out double[] column))
            {
                double scale = degrees && c.IsRotational ? Math.PI / 180.0 : 1.0;
                values[c.Index] = column.Select(v => v * scale).ToArray();
            }
            else
            {
                missing.Add(c.Name);
                values[c.Index] = Enumerable.Repeat(c.DefaultValue, table.RowCount).ToArray();
            }
        }
        return new CoordinateTrajectory(model, (double[])table.Time.Clone(), values, missing);
    }

    /// <summary>Copies frame <paramref name="frame"/> into <paramref name="q"/> (model coordinate order).</summary>
    public void Frame(int frame, Span<double> q)
    {
        for (int c = 0; c < Values.Length; c++)
        {
            q[c] = Values[c][frame];
        }
    }
}
