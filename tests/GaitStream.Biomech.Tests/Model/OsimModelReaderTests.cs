using System.Xml.Linq;
using GaitStream.Biomech.Functions;
using GaitStream.Biomech.Model;
using GaitStream.Tests;

namespace GaitStream.Biomech.Tests.Model;

public sealed class OsimModelReaderTests
{
    [Fact]
    public void Gait2354_loads_bodies_joints_coordinates_and_muscles()
    {
        MusculoskeletalModel m = Gait2354.Model;

        Assert.Equal(13, m.Bodies.Count); // ground + 12 segments
        Assert.Equal("ground", m.Bodies[0].Name);
        Assert.Equal(12, m.Joints.Count);
        Assert.Equal(23, m.Coordinates.Count);
        Assert.Equal(54, m.Muscles.Count);
        Assert.Equal(72.6, m.TotalMassKg, 2);
        Assert.Equal(-9.80665, m.GravityMps2.Y, 10);

        Body femur = m.Body("femur_r");
        Assert.Equal(8.98403823076288, femur.MassKg, 10);
        Assert.Equal(-0.195031, femur.MassCenterM.Y, 10);
        Assert.Equal(0.129331, femur.InertiaKgM2.M11, 10);
        Assert.Equal(0.0339024, femur.InertiaKgM2.M22, 10);
        Assert.Equal(0.136382, femur.InertiaKgM2.M33, 10);

        Joint hip = m.Joint("hip_r");
        Assert.Equal(JointKind.Custom, hip.Kind);
        Assert.Equal(m.BodyIndex("pelvis"), hip.ParentBodyIndex);
        Assert.Equal(m.BodyIndex("femur_r"), hip.ChildBodyIndex);
        Assert.Equal(-0.0677245, hip.ParentOffset.TranslationM.Y, 10);
        Assert.Equal(0.0855522, hip.ParentOffset.TranslationM.Z, 10);
        Assert.Equal(["hip_flexion_r", "hip_adduction_r", "hip_rotation_r"], hip.Axes.Take(3).Select(a => a.CoordinateName!));
        Assert.Equal(1, hip.Axes[0].UnitAxis.Z, 12); // flexion about Z, then adduction about X, rotation about Y

        Coordinate ty = m.Coordinate("pelvis_ty");
        Assert.Equal(CoordinateMotion.Translational, ty.Motion);
        Assert.Equal(1.015, ty.DefaultValue, 10);
        Assert.Equal(-1, ty.RangeMin);
        Assert.Equal(2, ty.RangeMax);
        Assert.Equal(CoordinateMotion.Rotational, m.Coordinate("knee_angle_r").Motion);
        Assert.Equal(-2.0943951, m.Coordinate("knee_angle_r").RangeMin, 7);

        // Joints come parent-first, so forward kinematics can walk them in order.
        var placed = new HashSet<int> { 0 };
        foreach (Joint j in m.Joints)
        {
            Assert.Contains(j.ParentBodyIndex, placed);
            placed.Add(j.ChildBodyIndex);
        }
    }

    [Fact]
    public void Knee_translations_are_scaled_simm_splines_of_knee_angle()
    {
        Joint knee = Gait2354.Model.Joint("knee_r");
        TransformAxis ty = knee.Axes[4];
        Assert.Equal("knee_angle_r", ty.CoordinateName);
        var mult = Assert.IsType<MultiplierFunction>(ty.Function);
        Assert.Equal(1.14724, mult.Scale, 10);
        var spline = Assert.IsType<SimmSpline>(mult.Inner);
        Assert.Equal(7, spline.X.Count);
        // At a knot the spline returns the knot value: −0.3976 at −0.349066 rad, times the scale.
        Assert.Equal(-0.3976 * 1.14724, ty.Function.Value(-0.349066), 12);
        // Translation 3 has no coordinate: a scaled constant zero.
        Assert.False(knee.Axes[5].HasCoordinate);
        Assert.Equal(0, knee.Axes[5].Function.Value(0));
    }

    [Fact]
    public void Muscles_keep_strength_and_all_three_kinds_of_path_point()
    {
        MusculoskeletalModel m = Gait2354.Model;
        Muscle gmed = m.Muscles.Single(x => x.Name == "glut_med1_r");
        Assert.Equal(1119, gmed.MaxIsometricForceN);
        Assert.Equal("Thelen2003Muscle", gmed.ModelType);
        Assert.Equal(["pelvis", "femur_r"], gmed.PathPoints.Select(p => p.BodyName));
        Assert.Equal(0.123871, gmed.PathPoints[0].LocationM.Z, 10);

        Assert.Equal(12, m.Muscles.SelectMany(x => x.PathPoints).OfType<ConditionalPathPoint>().Count());
        Assert.Equal(4, m.Muscles.SelectMany(x => x.PathPoints).OfType<MovingPathPoint>().Count());

        ConditionalPathPoint grac = m.Muscles.Single(x => x.Name == "grac_r").PathPoints.OfType<ConditionalPathPoint>().Single();
        Assert.Equal("knee_angle_r", grac.CoordinateName);
        Assert.Equal(-0.436332, grac.RangeMin, 10);
        Assert.Equal(0.174533, grac.RangeMax, 10);

        MovingPathPoint rf = m.Muscles.Single(x => x.Name == "rect_fem_r").PathPoints.OfType<MovingPathPoint>().Single();
        Assert.Equal(m.CoordinateIndex("knee_angle_r"), rf.XCoordinateIndex);
        double[] q = m.DefaultCoordinates();
        q[m.CoordinateIndex("knee_angle_r")] = -1.0472; // a knot of the x spline: 0.0365695 × scale
        Assert.Equal(0.0365695 * 0.988523, rf.LocationAt(q).X, 10);
    }

    [Fact]
    public void Hip_crossing_muscles_are_the_hip_muscles_of_that_side()
    {
        var names = Gait2354.Model.MusclesCrossing("hip_r").Select(x => x.Name).ToHashSet();
        string[] expected = ["glut_med1_r", "glut_max1_r", "iliacus_r", "psoas_r", "add_mag2_r", "rect_fem_r", "bifemlh_r", "tfl_r", "grac_r", "pect_r"];
        Assert.All(expected, n => Assert.Contains(n, names));
        Assert.DoesNotContain("vas_int_r", names);   // knee only
        Assert.DoesNotContain("soleus_r", names);    // ankle only
        Assert.DoesNotContain(names, n => n.EndsWith("_l", StringComparison.Ordinal));
        Assert.Equal(18, names.Count);
    }

    [Fact]
    public void Gait2392_static_optimization_model_loads_with_all_92_muscles()
    {
        MusculoskeletalModel m = OsimModelReader.Read(RepoPaths.OpenSimReference("gait2392_so_walk", "subject01_simbody_adjusted_StaticOp.osim"));
        Assert.Equal(13, m.Bodies.Count);
        Assert.Equal(23, m.Coordinates.Count);
        Assert.Equal(92, m.Muscles.Count);
        Assert.Equal(72.6, m.TotalMassKg, 2);
        Assert.Equal(26, m.Muscles.SelectMany(x => x.PathPoints).OfType<ConditionalPathPoint>().Count());
        Assert.Equal(8, m.Muscles.SelectMany(x => x.PathPoints).OfType<MovingPathPoint>().Count());
        var hip = m.MusclesCrossing("hip_l").Select(x => x.Name).ToHashSet();
        string[] groups = ["glut_max1_l", "glut_med3_l", "glut_min1_l", "glut_min2_l", "glut_min3_l", "add_long_l", "add_brev_l",
            "add_mag1_l", "add_mag3_l", "semimem_l", "semiten_l", "bifemlh_l", "iliacus_l", "psoas_l", "rect_fem_l", "tfl_l"];
        Assert.All(groups, n => Assert.Contains(n, hip));
        Assert.DoesNotContain("bifemsh_l", hip); // short head of biceps: knee only
    }

    [Fact]
    public void Unused_elements_are_reported_not_dropped_silently()
    {
        MusculoskeletalModel m = Gait2354.Model;
        Assert.Contains(m.Warnings, w => w.Contains("MarkerSet: 39", StringComparison.Ordinal));

        XDocument doc = XDocument.Load(RepoPaths.OpenSimReference("gait2354_walk", "subject01_simbody.osim"));
        XElement model = doc.Root!.Element("Model")!;
        model.Add(new XElement("MysteryElement", "42"));
        model.Element("BodySet")!.Element("objects")!.Elements("Body").First().Add(new XElement("colour", "red"));
        model.Element("ForceSet")!.Element("objects")!.Add(new XElement("CoordinateActuator", new XAttribute("name", "reserve_hip")));
        MusculoskeletalModel edited = OsimModelReader.Read(doc, "edited.osim");

        Assert.Contains(edited.Warnings, w => w.Contains("MysteryElement", StringComparison.Ordinal));
        Assert.Contains(edited.Warnings, w => w.Contains("Body 'pelvis'", StringComparison.Ordinal) && w.Contains("colour", StringComparison.Ordinal));
        Assert.Contains(edited.Warnings, w => w.Contains("CoordinateActuator 'reserve_hip'", StringComparison.Ordinal));
    }

    [Fact]
    public void Pre_4_0_models_and_unsupported_joints_fail_with_a_clear_message()
    {
        var old = XDocument.Parse("<OpenSimDocument Version=\"30000\"><Model name=\"m\"><SimbodyEngine/></Model></OpenSimDocument>");
        var e = Assert.Throws<ModelFormatException>(() => OsimModelReader.Read(old, "old.osim"));
        Assert.Contains("old.osim", e.Message, StringComparison.Ordinal);
        Assert.Contains("4.x", e.Message, StringComparison.Ordinal);

        XDocument doc = XDocument.Load(RepoPaths.OpenSimReference("gait2354_walk", "subject01_simbody.osim"));
        doc.Root!.Element("Model")!.Element("JointSet")!.Element("objects")!.Elements().Last().Name = "BallJoint";
        var e2 = Assert.Throws<ModelFormatException>(() => OsimModelReader.Read(doc, "ball.osim"));
        Assert.Contains("BallJoint", e2.Message, StringComparison.Ordinal);
    }
}
