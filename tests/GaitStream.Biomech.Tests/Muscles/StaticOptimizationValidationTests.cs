using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Biomech.Muscles;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Schema;

namespace GaitStream.Biomech.Tests.Muscles;

/// <summary>
/// GaitStream static optimization against OpenSim's on the gait2392 walk: our inverse dynamics with the real GRF, our
/// moment arms, forces grouped into the schema's sixteen hip channels with <see cref="GroupForces"/>, compared at
/// OpenSim's 151 output times (150 of them lie on our 0.01 s grid; 1.999 s does not). OpenSim ran with muscle
/// physiology (force-length-velocity) on; ours uses F0 as every muscle's strength.
/// </summary>
public sealed class StaticOptimizationValidationTests
{
    private const double BodyMassKg = 72.6;

    private static readonly Lazy<StaticOptimizationResult> Leg = new(() => Solve(StaticOptimizationOptions.LegCoordinates));

    private static readonly Lazy<StaticOptimizationResult> HipKnee = new(() => Solve(StaticOptimizationOptions.HipKneeCoordinates));

    private static readonly Lazy<StaticOptimizationResult> HipOnly = new(() => Solve(StaticOptimizationOptions.HipCoordinates));

    private static readonly Lazy<GroupForces> Reference = new(() => GroupForces.FromForceTable(Gait2392So.SoForces, MuscleGroupTable.Gait2392));

    public static TheoryData<string, double, double> LegTargets() => new()
    {
        // group channel, minimum Pearson r, maximum RMSE N/kg. The issue's target is r ≥ 0.7 for glut_med, glut_max and
        // iliopsoas; the other bounds sit a little below what the whole-leg solution measures (r, RMSE in comments).
        { "glut_max_r", 0.95, 0.35 },    // 0.982, 0.26
        { "glut_med_r", 0.98, 0.65 },    // 0.995, 0.53
        { "glut_min_r", 0.95, 0.35 },    // 0.993, 0.27
        { "iliopsoas_r", 0.95, 1.25 },   // 0.984, 1.09
        { "adductors_r", 0.95, 0.45 },   // 0.978, 0.36
        { "hamstrings_r", 0.95, 0.65 },  // 0.982, 0.52
        { "rect_fem_r", 0.85, 0.70 },    // 0.892, 0.57
        { "tfl_r", 0.90, 0.20 },         // 0.934, 0.13
        { "glut_max_l", 0.92, 0.30 },    // 0.954, 0.22
        { "glut_med_l", 0.98, 0.70 },    // 0.995, 0.60
        { "glut_min_l", 0.95, 0.60 },    // 0.990, 0.48
        { "iliopsoas_l", 0.95, 1.25 },   // 0.993, 1.08
        { "adductors_l", 0.95, 0.45 },   // 0.988, 0.32
        { "hamstrings_l", 0.95, 0.45 },  // 0.991, 0.35
        { "rect_fem_l", 0.95, 0.75 },    // 0.979, 0.62
        { "tfl_l", 0.95, 0.30 },         // 0.972, 0.23
    };

    [Theory]
    [MemberData(nameof(LegTargets))]
    public void Whole_leg_static_optimization_matches_OpenSim_group_forces(string channel, double minR, double maxRmseNPerKg)
    {
        (double r, double rmse) = Compare(Leg.Value, channel);
        Assert.True(r >= minR, $"{channel}: r = {r:F3} < {minR}");
        Assert.True(rmse <= maxRmseNPerKg, $"{channel}: RMSE = {rmse:F3} N/kg > {maxRmseNPerKg}");
    }

    [Theory]
    [InlineData("glut_max_r")]
    [InlineData("glut_max_l")]
    [InlineData("glut_med_r")]
    [InlineData("glut_med_l")]
    [InlineData("iliopsoas_r")]
    [InlineData("iliopsoas_l")]
    public void Issue_target_r_of_0_7_holds_with_the_hip_and_knee_constraints_too(string channel)
    {
        (double r, _) = Compare(HipKnee.Value, channel);
        Assert.True(r >= 0.7, $"{channel}: r = {r:F3}");
    }

    [Fact]
    public void Balancing_the_knee_as_well_as_the_hip_fixes_gluteus_maximus_and_rectus_femoris()
    {
        // Hip moments alone let the biarticular muscles (hamstrings, rectus femoris) act at no cost at the knee, so they
        // take over hip extension and flexion from gluteus maximus and iliopsoas: measured r 0.53 → 0.88 (glut_max_l)
        // and 0.35 → 0.90 (rect_fem_r) when the knee is balanced too.
        Assert.True(Compare(HipOnly.Value, "glut_max_l").R < 0.6);
        Assert.True(Compare(HipKnee.Value, "glut_max_l").R > Compare(HipOnly.Value, "glut_max_l").R + 0.25);
        Assert.True(Compare(HipKnee.Value, "rect_fem_r").R > Compare(HipOnly.Value, "rect_fem_r").R + 0.4);
        Assert.True(Compare(Leg.Value, "glut_max_l").R > Compare(HipKnee.Value, "glut_max_l").R);
    }

    [Fact]
    public void Muscles_produce_the_inverse_dynamics_moments_without_reserves_and_within_their_bounds()
    {
        StaticOptimizationResult result = Leg.Value;
        Assert.All(result.ReserveUsage(), u => Assert.True(u.MaxAbsNm < 0.01, $"{u.Coordinate}: reserve up to {u.MaxAbsNm:F4} N·m"));
        MusculoskeletalModel model = Gait2392So.Model;
        for (int m = 0; m < result.MuscleNames.Count; m++)
        {
            double f0 = model.Muscles.First(x => x.Name == result.MuscleNames[m]).MaxIsometricForceN;
            Assert.All(result.ForcesN[m], f => Assert.InRange(f, 0, f0 * (1 + 1e-12)));
        }

        // Independent check of the moment balance with freshly computed moment arms at a few frames.
        var geometry = new MusclePathGeometry(model, result.MuscleNames.Select(n => model.Muscles.First(x => x.Name == n)).ToList());
        string[] coordinates = ["hip_flexion_r", "hip_adduction_l", "knee_angle_r", "ankle_angle_l"];
        int[] indices = coordinates.Select(model.CoordinateIndex).ToArray();
        var arms = new double[result.MuscleNames.Count * indices.Length];
        var q = new double[model.Coordinates.Count];
        foreach (int k in new[] { 0, 37, 75, 120 })
        {
            Gait2392So.Trajectory100Hz.Frame(k, q);
            geometry.MomentArms(q, indices, arms);
            for (int j = 0; j < indices.Length; j++)
            {
                double produced = 0;
                for (int m = 0; m < result.MuscleNames.Count; m++)
                {
                    produced += arms[(m * indices.Length) + j] * result.ForcesN[m][k];
                }
                Assert.Equal(Gait2392So.Moments100Hz.Column(coordinates[j] + "_moment")[k], produced, 0.001);
            }
        }
    }

    [Fact]
    public void Reserves_take_what_the_muscles_cannot_and_are_reported_per_coordinate()
    {
        // Ten times the measured hip moments exceed what the hip muscles can produce at F0.
        InverseDynamicsResult id = Gait2392So.Moments100Hz;
        var strong = new InverseDynamicsResult(id.TimeS, id.Labels, id.Values.Select(v => v.Select(x => 10 * x).ToArray()).ToArray(), id.BodyMassKg);
        StaticOptimizationResult result = new StaticOptimizer(Gait2392So.Model, new StaticOptimizationOptions { Coordinates = StaticOptimizationOptions.HipCoordinates })
            .Solve(Gait2392So.Trajectory100Hz, strong);

        ReserveUsage flexion = result.ReserveUsage().Single(u => u.Coordinate == "hip_flexion_r");
        double[] reserve = result.ReserveNm[result.Coordinates.ToList().IndexOf("hip_flexion_r")];
        Assert.True(flexion.MaxAbsNm > 100, $"max reserve {flexion.MaxAbsNm:F1} N·m");
        Assert.Equal(reserve.Max(Math.Abs), flexion.MaxAbsNm, 12);
        Assert.Equal(Math.Sqrt(reserve.Average(r => r * r)), flexion.RmsNm, 12);
        Assert.True(flexion.FramesAbove1Nm > 0);
        // Where the reserve works, the muscles on its side are saturated: some sit at F0.
        int k = Array.IndexOf(reserve, reserve.MaxBy(Math.Abs));
        Assert.Contains(result.MuscleNames.Select((n, m) => (n, m)).Where(p => p.n.EndsWith("_r", StringComparison.Ordinal)),
            p => result.ForcesN[p.m][k] >= Gait2392So.Model.Muscles.First(x => x.Name == p.n).MaxIsometricForceN * (1 - 1e-9));
    }

    [Fact]
    public void Forces_round_trip_through_an_OpenSim_force_file_into_the_schema_groups()
    {
        StaticOptimizationResult result = Leg.Value;
        StorageTable table = result.ToStorageTable();
        using var writer = new StringWriter();
        StorageWriter.Write(table, writer);
        StorageTable read = StorageReader.Read(new StringReader(writer.ToString()), "so_force.sto");

        Assert.Equal(result.MuscleNames.Count + result.Coordinates.Count, read.ColumnCount);
        Assert.Contains("hip_flexion_r_reserve", read.ColumnLabels);
        GroupForces groups = GroupForces.FromForceTable(read);
        Assert.Equal(MuscleModel.Gait2392, groups.Model);
        Assert.Empty(groups.MissingMembers);
        int glutMed = ChannelSchema.GroupForces.ToList().IndexOf("glut_med_r");
        double[] expected = result.Force("glut_med1_r").Select((f, k) => f + result.Force("glut_med2_r")[k] + result.Force("glut_med3_r")[k]).ToArray();
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], groups.ForcesN[glutMed][k], 6);
        }
    }

    private static StaticOptimizationResult Solve(IReadOnlyList<string> coordinates) =>
        new StaticOptimizer(Gait2392So.Model, new StaticOptimizationOptions { Coordinates = coordinates })
            .Solve(Gait2392So.Trajectory100Hz, Gait2392So.Moments100Hz);

    /// <summary>Pearson r and RMSE (N/kg) of one group channel against OpenSim, over the OpenSim rows on our time grid.</summary>
    internal static (double R, double RmseNPerKg) Compare(StaticOptimizationResult result, string channel)
    {
        Assert.Equal(BodyMassKg, result.BodyMassKg, 2);
        GroupForces ours = GroupForces.FromForceTable(result.ToStorageTable(), MuscleGroupTable.Gait2392);
        GroupForces reference = Reference.Value;
        int g = ChannelSchema.GroupForces.ToList().IndexOf(channel);
        var a = new List<double>();
        var b = new List<double>();
        for (int j = 0; j < reference.Time.Length; j++)
        {
            int k = (int)Math.Round((reference.Time[j] - ours.Time[0]) / 0.01);
            if (k >= 0 && k < ours.Time.Length && Math.Abs(ours.Time[k] - reference.Time[j]) < 1e-6)
            {
                a.Add(ours.ForcesN[g][k]);
                b.Add(reference.ForcesN[g][j]);
            }
        }
        Assert.Equal(150, a.Count);
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0, se = 0;
        for (int i = 0; i < a.Count; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
            se += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return (sab / Math.Sqrt(saa * sbb), Math.Sqrt(se / a.Count) / BodyMassKg);
    }
}
