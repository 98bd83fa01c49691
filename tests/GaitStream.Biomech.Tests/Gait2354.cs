using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;
using GaitStream.Tests;

namespace GaitStream.Biomech.Tests;

/// <summary>The shared gait2354 walking trial, read once per test run (the files never change during a run).</summary>
internal static class Gait2354
{
    private static readonly Lazy<MusculoskeletalModel> LazyModel =
        new(() => OsimModelReader.Read(RepoPaths.OpenSimReference("gait2354_walk", "subject01_simbody.osim")));

    private static readonly Lazy<StorageTable> LazyIk =
        new(() => StorageReader.Read(RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_ik.mot")));

    private static readonly Lazy<StorageTable> LazyId =
        new(() => StorageReader.Read(RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_id.sto")));

    private static readonly Lazy<ExternalLoadSet> LazyLoads =
        new(() => ExternalLoadSet.Read(RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_grf.xml")));

    public static MusculoskeletalModel Model => LazyModel.Value;

    public static StorageTable Ik => LazyIk.Value;

    /// <summary>OpenSim's own inverse dynamics for the trial (N·m, N).</summary>
    public static StorageTable Id => LazyId.Value;

    public static ExternalLoadSet Loads => LazyLoads.Value;

    public static CoordinateTrajectory Trajectory => CoordinateTrajectory.FromStorage(Model, Ik);
}
