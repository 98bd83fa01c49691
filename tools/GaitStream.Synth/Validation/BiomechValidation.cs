using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Biomech.Validation;
using GaitStream.Core.OpenSim;
using GaitStream.Synth.Plots;
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

        progress?.Report("inverse dynamics with measured ground reactions (gait2354 walk)");
        InverseDynamicsWithMeasuredGrf(Path.Combine(referenceDir, "gait2354_walk"), outDir, entries, figures);

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
                DrawOverlay(grid[s, j], channel.Replace("_moment", " moment", StringComparison.Ordinal), "N·m/kg", ours.TimeS,
                    [.. ours.Column(channel).Select(v => v / ours.BodyMassKg)], openSim.Time, [.. openSim.Column(channel).Select(v => v / ours.BodyMassKg)],
                    c, legend: s == 0 && j == 0);
            }
        }
        string file = name + ".png";
        grid.SavePng(Path.Combine(outDir, file));
        figures.Add(file);
    }

    private static void DrawOverlay(Plot plot, string title, string unit, double[] t, double[] ours, double[] tRef, double[] reference, ComparisonResult c, bool legend)
    {
        var openSim = plot.Add.ScatterLine(tRef, reference);
        openSim.LegendText = "OpenSim";
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
