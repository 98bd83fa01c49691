using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;

namespace GaitStream.Biomech.Tests.Kinematics;

public sealed class ForwardKinematicsTests
{
    private static readonly MusculoskeletalModel Model = Gait2354.Model;

    private static IEnumerable<(double TimeS, BodyPose[] Poses, double[] Q)> Frames()
    {
        CoordinateTrajectory traj = Gait2354.Trajectory;
        var fk = new ForwardKinematics(Model);
        for (int k = 0; k < traj.FrameCount; k++)
        {
            var q = new double[Model.Coordinates.Count];
            traj.Frame(k, q);
            yield return (traj.TimeS[k], fk.Compute(q), q);
        }
    }

    [Fact]
    public void Pelvis_origin_is_the_pelvis_translation_coordinates()
    {
        // ground_pelvis translates along ground X, Y, Z after its rotations; the translation is expressed in the
        // parent (ground) frame, so the pelvis origin equals (pelvis_tx, pelvis_ty, pelvis_tz) whatever the tilt.
        foreach ((_, BodyPose[] poses, double[] q) in Frames())
        {
            Vec3 o = poses[Model.BodyIndex("pelvis")].OriginM;
            Assert.Equal(q[Model.CoordinateIndex("pelvis_tx")], o.X, 12);
            Assert.Equal(q[Model.CoordinateIndex("pelvis_ty")], o.Y, 12);
            Assert.Equal(q[Model.CoordinateIndex("pelvis_tz")], o.Z, 12);
        }
    }

    [Fact]
    public void Rotations_stay_orthonormal_and_rigid_segment_lengths_stay_constant()
    {
        var lengths = new List<(double Pelvis, double Shank, double Foot)>();
        foreach ((_, BodyPose[] p, _) in Frames())
        {
            foreach (BodyPose pose in p)
            {
                Mat33 rrt = pose.Rotation * pose.Rotation.Transpose();
                Assert.Equal(1, rrt.M11, 12);
                Assert.Equal(0, rrt.M12, 12);
                Assert.Equal(1, rrt.M33, 12);
            }
            lengths.Add((
                (p[Model.BodyIndex("femur_r")].OriginM - p[Model.BodyIndex("femur_l")].OriginM).Length,
                (p[Model.BodyIndex("tibia_r")].OriginM - p[Model.BodyIndex("talus_r")].OriginM).Length,
                (p[Model.BodyIndex("calcn_l")].OriginM - p[Model.BodyIndex("toes_l")].OriginM).Length));
        }
        // Hip centres 2 × 0.0855522 m apart; tibia → ankle 0.425065 m; calcaneus → toes |(0.183643, −0.00205, 0.00111)|.
        Assert.All(lengths, l => Assert.Equal(2 * 0.0855522, l.Pelvis, 9));
        Assert.All(lengths, l => Assert.Equal(0.425065, l.Shank, 9));
        Assert.All(lengths, l => Assert.Equal(0.18365778, l.Foot, 6));
    }

    [Fact]
    public void Knee_centre_slides_with_knee_angle_as_the_coupled_splines_say()
    {
        foreach ((_, BodyPose[] p, double[] q) in Frames())
        {
            double knee = q[Model.CoordinateIndex("knee_angle_r")];
            Joint joint = Model.Joint("knee_r");
            Vec3 expectedInFemur = new(joint.Axes[3].Function.Value(knee), joint.Axes[4].Function.Value(knee), 0);
            BodyPose femur = p[Model.BodyIndex("femur_r")];
            Vec3 tibiaInFemur = femur.ToBody(p[Model.BodyIndex("tibia_r")].OriginM);
            Assert.Equal(expectedInFemur.X, tibiaInFemur.X, 12);
            Assert.Equal(expectedInFemur.Y, tibiaInFemur.Y, 12);
            Assert.Equal(0, tibiaInFemur.Z, 12);
            Assert.InRange(tibiaInFemur.Y, -0.49, -0.45); // ≈ 0.4 m × 1.147 scale
        }
    }

    [Fact]
    public void Feet_are_on_the_floor_under_the_centre_of_pressure_during_stance()
    {
        // Validates the frame conventions end to end against independent data: where the force plate measured load,
        // the model's calcaneus must be near the floor (y ≈ 0) and the centre of pressure under that foot.
        var grf = Gait2354.Loads.Data;
        int stanceFrames = 0;
        foreach ((double t, BodyPose[] p, _) in Frames())
        {
            int row = Array.BinarySearch(grf.Time, t);
            row = row >= 0 ? row : ~row;
            foreach ((string body, string prefix) in new[] { ("calcn_r", "ground_force_"), ("calcn_l", "1_ground_force_") })
            {
                if (grf.Column(prefix + "vy")[row] < 200)
                {
                    continue;
                }
                stanceFrames++;
                BodyPose calcn = p[Model.BodyIndex(body)];
                Vec3 heel = calcn.OriginM;
                Vec3 toes = p[Model.BodyIndex(body.Replace("calcn", "toes", StringComparison.Ordinal))].OriginM;
                Assert.InRange(heel.Y, 0.0, 0.2); // the heel rises in push-off, the forefoot stays down
                Assert.InRange(Math.Min(heel.Y, toes.Y), 0.0, 0.08); // both origins sit 4–6 cm above the sole in flat foot
                var cop = new Vec3(grf.Column(prefix + "px")[row], 0, grf.Column(prefix + "pz")[row]);
                // The centre of pressure lies between heel and toes, within a foot length, and on the foot's side.
                Vec3 mid = 0.5 * (heel + toes);
                Assert.InRange(Math.Sqrt(Math.Pow(cop.X - mid.X, 2) + Math.Pow(cop.Z - mid.Z, 2)), 0, 0.2);
                Assert.Equal(Math.Sign(heel.Z - p[Model.BodyIndex("pelvis")].OriginM.Z), Math.Sign(cop.Z - p[Model.BodyIndex("pelvis")].OriginM.Z));
            }
        }
        Assert.True(stanceFrames > 60, $"only {stanceFrames} stance foot-frames");
    }

    [Fact]
    public void Hip_flexion_swings_the_femur_forward_about_the_pelvis_z_axis()
    {
        var fk = new ForwardKinematics(Model);
        double[] q = Model.DefaultCoordinates();
        BodyPose[] neutral = fk.Compute(q);
        q[Model.CoordinateIndex("hip_flexion_r")] = Math.PI / 2;
        BodyPose[] flexed = fk.Compute(q);
        int knee = Model.BodyIndex("tibia_r");
        Vec3 hip = neutral[Model.BodyIndex("femur_r")].OriginM;
        // Standing, the knee is below the hip; at 90° flexion it is in front (+X, the walking direction) at hip height.
        Assert.True(neutral[knee].OriginM.Y < hip.Y - 0.4);
        Assert.True(flexed[knee].OriginM.X > hip.X + 0.4);
        Assert.Equal(hip.Y, flexed[knee].OriginM.Y, 1);
    }

    [Fact]
    public void Coordinate_vector_converts_degrees_only_for_rotational_coordinates()
    {
        double[] q = Model.CoordinateVector(new Dictionary<string, double> { ["hip_flexion_r"] = 90, ["pelvis_ty"] = 0.9 }, rotationalInDegrees: true);
        Assert.Equal(Math.PI / 2, q[Model.CoordinateIndex("hip_flexion_r")], 12);
        Assert.Equal(0.9, q[Model.CoordinateIndex("pelvis_ty")], 12);
        Assert.Equal(0, q[Model.CoordinateIndex("knee_angle_r")]);
    }
}
