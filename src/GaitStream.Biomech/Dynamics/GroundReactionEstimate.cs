using GaitStream.Core.OpenSim;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// Both feet's ground reactions estimated from kinematics, at the trajectory's frames. <see cref="ToExternalLoadSet"/>
/// lays them out as OpenSim's force-plate files do (<c>ground_force_v*</c> for the right foot, <c>1_ground_force_v*</c>
/// for the left), so <see cref="InverseDynamicsSolver"/> consumes them exactly like measured loads.
/// </summary>
public sealed class GroundReactionEstimate
{
    public GroundReactionEstimate(double[] timeS, FootGroundReaction right, FootGroundReaction left, double floorHeightM)
    {
        ArgumentNullException.ThrowIfNull(timeS);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(left);
        TimeS = timeS;
        Right = right;
        Left = left;
        FloorHeightM = floorHeightM;
    }

    public double[] TimeS { get; }

    public FootGroundReaction Right { get; }

    public FootGroundReaction Left { get; }

    /// <summary>Height of the floor the centres of pressure lie on, m.</summary>
    public double FloorHeightM { get; }

    /// <summary>The estimate as a GRF Storage table with OpenSim's two-plate column names (forces and points in ground).</summary>
    public StorageTable ToStorageTable(string name = "estimated_grf")
    {
        var labels = new List<string>();
        var columns = new List<double[]>();
        foreach ((FootGroundReaction foot, string prefix) in new[] { (Right, ""), (Left, "1_") })
        {
            for (int axis = 0; axis < 3; axis++)
            {
                labels.Add($"{prefix}ground_force_v{"xyz"[axis]}");
                columns.Add(foot.ForceN.Select(v => v[axis]).ToArray());
            }
            for (int axis = 0; axis < 3; axis++)
            {
                labels.Add($"{prefix}ground_force_p{"xyz"[axis]}");
                columns.Add(foot.CenterOfPressureM.Select(v => v[axis]).ToArray());
            }
            for (int axis = 0; axis < 3; axis++)
            {
                labels.Add($"{prefix}ground_torque_{"xyz"[axis]}");
                columns.Add(axis == 1 ? (double[])foot.FreeMomentNm.Clone() : new double[TimeS.Length]);
            }
        }
        return new StorageTable(name, labels, (double[])TimeS.Clone(), columns.ToArray(), inDegrees: false);
    }

    /// <summary>The estimate as external loads on the two feet, in ground, ready for <see cref="InverseDynamicsSolver.Solve"/>.</summary>
    public ExternalLoadSet ToExternalLoadSet() => new(
        [
            new ExternalForceSpec("right", Right.Body, "ground", "ground", "ground_force_v", "ground_force_p", "ground_torque_", Enabled: true),
            new ExternalForceSpec("left", Left.Body, "ground", "ground", "1_ground_force_v", "1_ground_force_p", "1_ground_torque_", Enabled: true),
        ],
        ToStorageTable());
}
