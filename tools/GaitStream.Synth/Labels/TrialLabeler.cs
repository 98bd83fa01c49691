using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Biomech.Muscles;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Schema;
using GaitStream.Synth.Cohort;
using GaitStream.Synth.Kinematics;

namespace GaitStream.Synth.Labels;

/// <summary>
/// Labels a synthetic trial with GaitStream.Biomech, as the real pipeline would a measured one: ground reactions
/// estimated from the whole-body motion, inverse dynamics with them (OpenSim's 6 Hz coordinate filter), whole-leg
/// static optimization → per-muscle forces. Labels always come from the clean motion; measurement noise, when asked
/// for, is added only to the angles written to the IK file.
/// </summary>
public static class TrialLabeler
{
    /// <summary>Frames at each end whose cycles are left out of the averages (filter and padding edge effects), s.</summary>
    private const double EdgeS = 0.3;

    public static LabelledTrial Label(MusculoskeletalModel model, SynthesizedMotion motion, double angleNoiseDeg, SynthRandom noise)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(motion);
        ArgumentNullException.ThrowIfNull(noise);
        var trajectory = new CoordinateTrajectory(model, motion.TimeS, motion.Values);
        // Contacts are the events the motion was generated with (as foot switches would give them), not the height rule.
        GroundReactionEstimate grf = new GroundReactionEstimator(model).Estimate(trajectory, new GroundReactionOptions { RightContact = motion.RightContact, LeftContact = motion.LeftContact });
        InverseDynamicsResult id = new InverseDynamicsSolver(model).Solve(trajectory, grf.ToExternalLoadSet(), new InverseDynamicsOptions());
        StaticOptimizationResult so = new StaticOptimizer(model).Solve(trajectory, id);

        StorageTable forces = so.ToStorageTable();
        GroupForces groups = GroupForces.FromForceTable(forces);
        double mass = model.TotalMassKg;
        double weight = mass * Math.Abs(model.GravityMps2.Y);
        var channels = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (string side in (string[])["r", "l"])
        {
            channels[$"hip_flexion_{side}"] = Degrees(motion.Values[model.CoordinateIndex($"hip_flexion_{side}")]);
            channels[$"hip_adduction_{side}"] = Degrees(motion.Values[model.CoordinateIndex($"hip_adduction_{side}")]);
            channels[$"hip_flexion_{side}_moment"] = PerKg(id.Column($"hip_flexion_{side}_moment"), mass);
            channels[$"hip_adduction_{side}_moment"] = PerKg(id.Column($"hip_adduction_{side}_moment"), mass);
            channels[$"hip_rotation_{side}_moment"] = PerKg(id.Column($"hip_rotation_{side}_moment"), mass);
            FootGroundReaction foot = side == "r" ? grf.Right : grf.Left;
            channels[$"grf_vertical_{side}"] = [.. foot.ForceN.Select(f => f.Y / weight)];
        }
        for (int g = 0; g < ChannelSchema.GroupForces.Count; g++)
        {
            channels[ChannelSchema.GroupForces[g]] = PerKg(groups.ForcesN[g], mass);
        }

        double meanGrf = 0;
        for (int i = 0; i < motion.TimeS.Length; i++)
        {
            meanGrf += (grf.Right.ForceN[i].Y + grf.Left.ForceN[i].Y) / weight;
        }
        meanGrf /= motion.TimeS.Length;
        double maxReserve = so.ReserveUsage().Select(r => r.MaxAbsNm).DefaultIfEmpty(0).Max();

        return new LabelledTrial(
            IkTable(model, motion, angleNoiseDeg, noise),
            id.ToStorageTable(),
            forces,
            Average("r", motion.TimeS, grf.Right.InContact, channels),
            Average("l", motion.TimeS, grf.Left.InContact, channels),
            meanGrf,
            maxReserve);
    }

    /// <summary>The motion as an OpenSim IK .mot: rotational coordinates in degrees, translations in metres.</summary>
    public static StorageTable IkTable(MusculoskeletalModel model, SynthesizedMotion motion, double angleNoiseDeg, SynthRandom noise)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(motion);
        ArgumentNullException.ThrowIfNull(noise);
        var columns = new double[model.Coordinates.Count][];
        foreach (Coordinate c in model.Coordinates)
        {
            double[] v = motion.Values[c.Index];
            columns[c.Index] = c.IsRotational ? Degrees(v) : (double[])v.Clone();
            if (c.IsRotational && angleNoiseDeg > 0)
            {
                for (int i = 0; i < v.Length; i++)
                {
                    columns[c.Index][i] += angleNoiseDeg * noise.NextGaussian();
                }
            }
        }
        return new StorageTable("Coordinates", [.. model.Coordinates.Select(c => c.Name)], (double[])motion.TimeS.Clone(), columns, inDegrees: true,
            headerLines: ["Units are S.I. units (second, meters, Newtons, ...)", "Angles are in degrees.", "Synthetic motion (GaitStream.Synth)."]);
    }

    private static SideCycles Average(string side, double[] t, bool[] contact, Dictionary<string, double[]> channels)
    {
        List<int> strikes = [];
        for (int i = 1; i < contact.Length; i++)
        {
            if (contact[i] && !contact[i - 1] && t[i] >= EdgeS && t[i] <= t[^1] - EdgeS)
            {
                strikes.Add(i);
            }
        }
        string own = "_" + side;
        var names = channels.Keys.Where(k => k.Contains(own + "_", StringComparison.Ordinal) || k.EndsWith(own, StringComparison.Ordinal)).ToList();
        var sums = names.ToDictionary(n => BaseChannel(n, side), _ => new double[SideCycles.Points], StringComparer.Ordinal);
        double stance = 0, stride = 0;
        int cycles = 0;
        for (int s = 0; s + 1 < strikes.Count; s++)
        {
            int a = strikes[s], b = strikes[s + 1];
            int off = a;
            while (off < b && contact[off])
            {
                off++;
            }
            stance += (t[off] - t[a]) / (t[b] - t[a]);
            stride += t[b] - t[a];
            cycles++;
            foreach (string n in names)
            {
                double[] src = channels[n];
                double[] dst = sums[BaseChannel(n, side)];
                for (int p = 0; p < SideCycles.Points; p++)
                {
                    double x = a + ((b - a) * p / (double)(SideCycles.Points - 1));
                    int i0 = Math.Min((int)x, b - 1);
                    double u = x - i0;
                    dst[p] += src[i0] + (u * (src[i0 + 1] - src[i0]));
                }
            }
        }
        if (cycles > 0)
        {
            foreach (double[] curve in sums.Values)
            {
                for (int p = 0; p < curve.Length; p++)
                {
                    curve[p] /= cycles;
                }
            }
        }
        return new SideCycles(side, cycles, cycles > 0 ? stance / cycles : double.NaN, cycles > 0 ? stride / cycles : double.NaN, sums);
    }

    /// <summary>Channel name without its side: hip_flexion_r_moment → hip_flexion_moment, glut_med_r → glut_med.</summary>
    private static string BaseChannel(string name, string side) =>
        name.EndsWith("_" + side, StringComparison.Ordinal) ? name[..^2] : name.Replace("_" + side + "_", "_", StringComparison.Ordinal);

    private static double[] Degrees(double[] rad) => [.. rad.Select(v => v * 180 / Math.PI)];

    private static double[] PerKg(double[] v, double mass) => [.. v.Select(x => x / mass)];
}
