using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Biomech.Muscles;
using GaitStream.Biomech.Validation;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Schema;
using GaitStream.Tools.Plots;
using ScottPlot;

namespace GaitStream.Synth.Validation;

/// <summary>
/// Runs every comparison of GaitStream's physics with OpenSim on the shared real files
/// (<c>../shared/data/opensim-reference</c>) and draws one figure per comparison. Targets are the Biomech issue's.
/// </summary>
public static class BiomechValidation
{
    private static readonly string[] Joints = ["hip_flexion", "hip_adduction", "hip_rotation", "knee_angle", "ankle_angle"];

    public static ValidationReport Run(string referenceDir, string outDir, IProgress<string>? progress = null)
    {
        if (!Directory.Exists(referenceDir))
        {
            throw new DirectoryNotFoundException($"OpenSim reference folder not found: '{referenceDir}' (expected ../shared/data/opensim-reference).");
        }
        Directory.CreateDirectory(outDir);
        var entries = new List<ValidationEntry>();
        var figures = new List<string>();

        string walk = Path.Combine(referenceDir, "gait2354_walk");
        progress?.Report("inverse dynamics with measured ground reactions (gait2354 walk)");
        InverseDynamicsWithMeasuredGrf(walk, outDir, entries, figures);
        progress?.Report("ground reactions estimated from kinematics, and inverse dynamics with them (gait2354 walk)");
        EstimatedGroundReactions(walk, outDir, entries, figures);
        progress?.Report("static optimization (gait2392 walk)");
        StaticOptimization(Path.Combine(referenceDir, "gait2392_so_walk"), outDir, entries, figures);

        return new ValidationReport(entries, figures);
    }

    /// <summary>Hip, knee and ankle moments from real IK + real force plates vs OpenSim's ID tool on the same trial.</summary>
    private static void InverseDynamicsWithMeasuredGrf(string dir, string outDir, List<ValidationEntry> entries, List<string> figures)
    {
        const string name = "inverse_dynamics_measured_grf";
        MusculoskeletalModel model = OsimModelReader.Read(Path.Combine(dir, "subject01_simbody.osim"));
        StorageTable ik = StorageReader.Read(Path.Combine(dir, "subject01_walk1_ik.mot"));
        StorageTable openSim = StorageReader.Read(Path.Combine(dir, "subject01_walk1_id.sto"));
        ExternalLoadSet loads = ExternalLoadSet.Read(Path.Combine(dir, "subject01_walk1_grf.xml"));
        InverseDynamicsResult ours = new InverseDynamicsSolver(model).Solve(CoordinateTrajectory.FromStorage(model, ik), loads, new InverseDynamicsOptions());

        var grid = new FigureGrid(2, Joints.Length);
        for (int s = 0; s < 2; s++)
        {
            string side = s == 0 ? "_r" : "_l";
            for (int j = 0; j < Joints.Length; j++)
            {
                string channel = Joints[j] + side + "_moment";
                ComparisonResult c = SeriesComparison.Compare(ours.TimeS, ours.Column(channel), openSim.Time, openSim.Column(channel), ours.BodyMassKg);
                bool hip = j < 3;
                double minR = Joints[j] == "hip_rotation" ? 0.85 : 0.95;
                entries.Add(new ValidationEntry(name, channel, "pearson_r", c.PearsonR, "", hip ? minR : null, AtLeast: true));
                entries.Add(new ValidationEntry(name, channel, "rmse", c.Rmse, "N·m/kg", hip && Joints[j] != "hip_rotation" ? 0.10 : null, AtLeast: false));
                entries.Add(new ValidationEntry(name, channel, "peak_ratio", c.PeakRatio, "", null, AtLeast: false));
                DrawOverlay(grid[s, j], channel.Replace("_moment", " moment", StringComparison.Ordinal), "N·m/kg", ours.TimeS,
                    [.. ours.Column(channel).Select(v => v / ours.BodyMassKg)], openSim.Time, [.. openSim.Column(channel).Select(v => v / ours.BodyMassKg)],
                    c, legend: s == 0 && j == 0);
            }
        }
        string file = name + ".png";
        grid.SavePng(Path.Combine(outDir, file));
        figures.Add(file);
    }

    /// <summary>
    /// Ground reactions from whole-body motion alone vs the force plates, per foot, and the hip moments that inverse
    /// dynamics gives with them vs OpenSim's ID with the plates.
    /// </summary>
    private static void EstimatedGroundReactions(string dir, string outDir, List<ValidationEntry> entries, List<string> figures)
    {
        const string grfName = "ground_reactions_estimated";
        const string idName = "inverse_dynamics_estimated_grf";
        MusculoskeletalModel model = OsimModelReader.Read(Path.Combine(dir, "subject01_simbody.osim"));
        StorageTable ik = StorageReader.Read(Path.Combine(dir, "subject01_walk1_ik.mot"));
        StorageTable plates = StorageReader.Read(Path.Combine(dir, "subject01_walk1_grf.mot"));
        StorageTable openSimId = StorageReader.Read(Path.Combine(dir, "subject01_walk1_id.sto"));
        CoordinateTrajectory trajectory = CoordinateTrajectory.FromStorage(model, ik);
        GroundReactionEstimate estimate = new GroundReactionEstimator(model).Estimate(trajectory);
        StorageTable estimated = estimate.ToStorageTable();
        double weightN = model.TotalMassKg * 9.80665;

        // Force-plate columns: right foot ground_force_v*, left 1_ground_force_v*; ground X forward, Y up, Z lateral.
        (string Axis, string Label, double? MinR)[] axes = [("vy", "vertical", 0.90), ("vx", "anterior-posterior", 0.80), ("vz", "medio-lateral", null)];
        var grfGrid = new FigureGrid(2, axes.Length);
        for (int s = 0; s < 2; s++)
        {
            string prefix = s == 0 ? "ground_force_" : "1_ground_force_";
            string foot = s == 0 ? "right" : "left";
            for (int a = 0; a < axes.Length; a++)
            {
                string column = prefix + axes[a].Axis;
                ComparisonResult c = SeriesComparison.Compare(estimated.Time, estimated.Column(column), plates.Time, plates.Column(column), weightN, toleranceS: 1e-3);
                string channel = $"{foot} {axes[a].Label}";
                entries.Add(new ValidationEntry(grfName, channel, "pearson_r", c.PearsonR, "", axes[a].MinR, AtLeast: true));
                entries.Add(new ValidationEntry(grfName, channel, "rmse", c.Rmse, "BW", null, AtLeast: false));
                entries.Add(new ValidationEntry(grfName, channel, "peak_ratio", c.PeakRatio, "", null, AtLeast: false));
                DrawOverlay(grfGrid[s, a], $"{foot} GRF {axes[a].Label}", "body weights", estimated.Time, [.. estimated.Column(column).Select(v => v / weightN)],
                    plates.Time, [.. plates.Column(column).Select(v => v / weightN)], c, legend: s == 0 && a == 0, referenceName: "force plate");
            }
        }
        grfGrid.SavePng(Path.Combine(outDir, grfName + ".png"));
        figures.Add(grfName + ".png");

        InverseDynamicsResult ours = new InverseDynamicsSolver(model).Solve(trajectory, estimate.ToExternalLoadSet(), new InverseDynamicsOptions());
        var idGrid = new FigureGrid(2, 3);
        for (int s = 0; s < 2; s++)
        {
            string side = s == 0 ? "_r" : "_l";
            for (int j = 0; j < 3; j++)
            {
                string channel = Joints[j] + side + "_moment";
                ComparisonResult c = SeriesComparison.Compare(ours.TimeS, ours.Column(channel), openSimId.Time, openSimId.Column(channel), ours.BodyMassKg);
                entries.Add(new ValidationEntry(idName, channel, "pearson_r", c.PearsonR, "", j == 0 ? 0.85 : null, AtLeast: true));
                entries.Add(new ValidationEntry(idName, channel, "rmse", c.Rmse, "N·m/kg", null, AtLeast: false));
                entries.Add(new ValidationEntry(idName, channel, "peak_ratio", c.PeakRatio, "", null, AtLeast: false));
                DrawOverlay(idGrid[s, j], channel.Replace("_moment", " moment", StringComparison.Ordinal), "N·m/kg", ours.TimeS,
                    [.. ours.Column(channel).Select(v => v / ours.BodyMassKg)], openSimId.Time, [.. openSimId.Column(channel).Select(v => v / ours.BodyMassKg)],
                    c, legend: s == 0 && j == 0, referenceName: "OpenSim ID (force plates)");
            }
        }
        idGrid.SavePng(Path.Combine(outDir, idName + ".png"));
        figures.Add(idName + ".png");
    }

    /// <summary>
    /// Hip muscle-group forces from GaitStream's static optimization (ID with the trial's real GRF, whole-leg moment
    /// constraints) vs OpenSim's static optimization on the same trial, both summed into the schema's sixteen groups.
    /// </summary>
    private static void StaticOptimization(string dir, string outDir, List<ValidationEntry> entries, List<string> figures)
    {
        const string name = "static_optimization";
        MusculoskeletalModel model = OsimModelReader.Read(Path.Combine(dir, "subject01_simbody_adjusted_StaticOp.osim"));
        StorageTable kinematics = StorageReader.Read(Path.Combine(dir, "subject01_walk1_kinematics.sto"));
        StorageTable openSimForces = StorageReader.Read(Path.Combine(dir, "subject01_walk1_so_force.sto"));
        ExternalLoadSet loads = ExternalLoadSet.Read(Path.Combine(dir, "foot_floor_loads.xml"));

        // As OpenSim's setup: coordinates unfiltered (cutoff −1), forces every 10th frame of the 1000 Hz kinematics.
        CoordinateTrajectory full = CoordinateTrajectory.FromStorage(model, kinematics);
        InverseDynamicsResult moments = new InverseDynamicsSolver(model).Solve(full, loads, new InverseDynamicsOptions { CoordinateCutoffHz = null }).Decimate(10);
        StaticOptimizationResult so = new StaticOptimizer(model).Solve(full.Decimate(10), moments);
        GroupForces ours = GroupForces.FromForceTable(so.ToStorageTable(includeReserves: false), MuscleGroupTable.Gait2392);
        GroupForces reference = GroupForces.FromForceTable(openSimForces, MuscleGroupTable.Gait2392);

        var grid = new FigureGrid(2, ChannelSchema.MuscleGroups.Count);
        for (int g = 0; g < ChannelSchema.GroupForces.Count; g++)
        {
            string channel = ChannelSchema.GroupForces[g];
            ComparisonResult c = SeriesComparison.Compare(ours.Time, ours.ForcesN[g], reference.Time, reference.ForcesN[g], model.TotalMassKg, toleranceS: 1e-4);
            bool targeted = channel.StartsWith("glut_med", StringComparison.Ordinal) || channel.StartsWith("glut_max", StringComparison.Ordinal)
                || channel.StartsWith("iliopsoas", StringComparison.Ordinal);
            entries.Add(new ValidationEntry(name, channel, "pearson_r", c.PearsonR, "", targeted ? 0.7 : null, AtLeast: true));
            entries.Add(new ValidationEntry(name, channel, "rmse", c.Rmse, "N/kg", null, AtLeast: false));
            entries.Add(new ValidationEntry(name, channel, "peak_ratio", c.PeakRatio, "", null, AtLeast: false));
            DrawOverlay(grid[g / ChannelSchema.MuscleGroups.Count, g % ChannelSchema.MuscleGroups.Count], channel, "N/kg", ours.Time,
                [.. ours.ForcesN[g].Select(v => v / model.TotalMassKg)], reference.Time, [.. reference.ForcesN[g].Select(v => v / model.TotalMassKg)],
                c, legend: g == 0, referenceName: "OpenSim SO");
        }
        grid.SavePng(Path.Combine(outDir, name + ".png"), panelWidth: 320);
        figures.Add(name + ".png");

        double worstReserve = so.ReserveUsage().Max(r => r.MaxAbsNm);
        entries.Add(new ValidationEntry(name, "all coordinates", "max_reserve", worstReserve, "N·m", 1.0, AtLeast: false));
    }

    private static void DrawOverlay(Plot plot, string title, string unit, double[] t, double[] ours, double[] tRef, double[] reference, ComparisonResult c,
        bool legend, string referenceName = "OpenSim")
    {
        var openSim = plot.Add.ScatterLine(tRef, reference);
        openSim.LegendText = referenceName;
        openSim.LineWidth = 3;
        openSim.Color = Colors.Black.WithAlpha(0.45);
        var gait = plot.Add.ScatterLine(t, ours);
        gait.LegendText = "GaitStream";
        gait.LineWidth = 1.5f;
        gait.Color = new Color(0, 114, 178); // Okabe–Ito blue: legible for colour-blind readers
        plot.Title(title, size: 13);
        plot.XLabel($"time (s)    r = {c.PearsonR:0.000}, RMSE = {c.Rmse:0.000} {unit}", size: 11);
        plot.YLabel(unit, size: 11);
        if (legend)
        {
            plot.ShowLegend(Alignment.LowerLeft);
        }
        else
        {
            plot.HideLegend();
        }
    }
}
