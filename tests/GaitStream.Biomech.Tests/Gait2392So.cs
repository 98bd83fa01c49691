using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;
using GaitStream.Tests;

namespace GaitStream.Biomech.Tests;

/// <summary>The shared gait2392 static-optimization walking trial (OpenSim's SO inputs and output), read once per run.</summary>
internal static class Gait2392So
{
    private static readonly Lazy<MusculoskeletalModel> LazyModel =
        new(() => OsimModelReader.Read(File("subject01_simbody_adjusted_StaticOp.osim")));

    private static readonly Lazy<StorageTable> LazyKinematics = new(() => StorageReader.Read(File("subject01_walk1_kinematics.sto")));

    private static readonly Lazy<StorageTable> LazySoForces = new(() => StorageReader.Read(File("subject01_walk1_so_force.sto")));

    private static readonly Lazy<ExternalLoadSet> LazyLoads = new(() => ExternalLoadSet.Read(File("foot_floor_loads.xml")));

    private static readonly Lazy<(CoordinateTrajectory, InverseDynamicsResult)> LazyAt100Hz = new(SolveAt100Hz);

    public static MusculoskeletalModel Model => LazyModel.Value;

    /// <summary>OpenSim's static-optimization muscle forces, N, 151 rows at 0.01 s.</summary>
    public static StorageTable SoForces => LazySoForces.Value;

    /// <summary>The 1000 Hz kinematics taken every 10th frame (0.50, 0.51, … 1.99 s: OpenSim SO's step_interval 10).</summary>
    public static CoordinateTrajectory Trajectory100Hz => LazyAt100Hz.Value.Item1;

    /// <summary>
    /// Inverse dynamics with the real GRF on the full 1000 Hz kinematics, unfiltered as in the SO setup
    /// (<c>lowpass_cutoff_frequency_for_coordinates</c> = −1), then every 10th frame. The loads file is used as published,
    /// right-foot torque identifier <c>left_foot_torque_</c> included, because that is what OpenSim's SO ran on.
    /// </summary>
    public static InverseDynamicsResult Moments100Hz => LazyAt100Hz.Value.Item2;

    public static string File(string name) => RepoPaths.OpenSimReference("gait2392_so_walk", name);

    private static (CoordinateTrajectory, InverseDynamicsResult) SolveAt100Hz()
    {
        MusculoskeletalModel model = Model;
        CoordinateTrajectory full = CoordinateTrajectory.FromStorage(model, LazyKinematics.Value);
        InverseDynamicsResult id = new InverseDynamicsSolver(model).Solve(full, LazyLoads.Value, new InverseDynamicsOptions { CoordinateCutoffHz = null });
        var trajectory = full.Decimate(10);
        var moments = id.Decimate(10);
        return (trajectory, moments);
    }
}
