using GaitStream.Biomech.Kinematics;
using GaitStream.Core.OpenSim;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// Generalized forces per coordinate and frame, N·m for rotational coordinates and N for translational ones, labelled
/// as OpenSim labels them (<c>hip_flexion_r_moment</c>, <c>pelvis_tx_force</c>).
/// </summary>
public sealed class InverseDynamicsResult
{
    private readonly Dictionary<string, int> _index;

    public InverseDynamicsResult(double[] timeS, IReadOnlyList<string> labels, double[][] values, double bodyMassKg)
    {
        ArgumentNullException.ThrowIfNull(timeS);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        TimeS = timeS;
        Labels = labels;
        Values = values;
        BodyMassKg = bodyMassKg;
        _index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
    }

    public double[] TimeS { get; }

    /// <summary>Column labels in model coordinate order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Coordinate-major values: <c>Values[coordinate][frame]</c>.</summary>
    public double[][] Values { get; }

    /// <summary>The model's total mass, kg, for normalising (N·m/kg).</summary>
    public double BodyMassKg { get; }

    /// <summary>A column by label (e.g. <c>hip_flexion_r_moment</c>).</summary>
    public double[] Column(string label) =>
        _index.TryGetValue(label, out int i) ? Values[i] : throw new KeyNotFoundException($"Inverse dynamics result has no column '{label}'.");

    /// <summary>Every <paramref name="step"/>-th frame from the first (e.g. 1000 Hz → 100 Hz with 10).</summary>
    public InverseDynamicsResult Decimate(int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        return new InverseDynamicsResult(Frames.Every(TimeS, step), Labels, [.. Values.Select(v => Frames.Every(v, step))], BodyMassKg);
    }

    /// <summary>The result as an OpenSim Storage table, ready for <see cref="StorageWriter"/>.</summary>
    public StorageTable ToStorageTable(string name = "Inverse Dynamics Generalized Forces") =>
        new(name, Labels, TimeS, Values, inDegrees: false);
}
