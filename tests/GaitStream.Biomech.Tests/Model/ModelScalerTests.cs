using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Biomech.Muscles;
using GaitStream.Core.OpenSim;

namespace GaitStream.Biomech.Tests.Model;

public sealed class ModelScalerTests
{
    [Fact]
    public void Uniform_scaling_scales_lengths_masses_and_inertias_like_a_bigger_body()
    {
        MusculoskeletalModel generic = Gait2392So.Model;
        MusculoskeletalModel big = ModelScaler.ScaleUniform(generic, 1.1, 90.0);

        Assert.Equal(90.0, big.TotalMassKg, 9);
        double massRatio = 90.0 / generic.TotalMassKg;
        Body femur = generic.Body("femur_r");
        Body bigFemur = big.Body("femur_r");
        Assert.Equal(femur.MassKg * massRatio, bigFemur.MassKg, 9);
        Assert.Equal(femur.MassCenterM.Y * 1.1, bigFemur.MassCenterM.Y, 12);
        // A uniformly stretched body of m'/m the mass: I' = (m'/m)·s²·I, component by component.
        Assert.Equal(femur.InertiaKgM2.M11 * massRatio * 1.21, bigFemur.InertiaKgM2.M11, 9);
        Assert.Equal(femur.InertiaKgM2.M33 * massRatio * 1.21, bigFemur.InertiaKgM2.M33, 9);

        Joint knee = generic.Joint("knee_r");
        Assert.Equal(knee.ParentOffset.TranslationM.Y * 1.1, big.Joint("knee_r").ParentOffset.TranslationM.Y, 12);
        Assert.Equal(generic.Muscles[0].PathPoints[0].LocationM.X * 1.1, big.Muscles[0].PathPoints[0].LocationM.X, 12);
    }

    [Fact]
    public void Uniform_scaling_scales_every_point_of_the_posed_model_about_the_ground_origin()
    {
        MusculoskeletalModel generic = Gait2392So.Model;
        MusculoskeletalModel big = ModelScaler.ScaleUniform(generic, 1.2, generic.TotalMassKg);
        double[] q = generic.DefaultCoordinates();
        q[generic.CoordinateIndex("knee_angle_r")] = -1.0; // the knee's translations follow knee_angle: they must scale too
        q[generic.CoordinateIndex("hip_flexion_r")] = 0.5;
        foreach (string t in (string[])["pelvis_tx", "pelvis_ty", "pelvis_tz"])
        {
            q[generic.CoordinateIndex(t)] = 0; // the subject's position is not a length of the body
        }

        BodyPose[] small = new ForwardKinematics(generic).Compute(q);
        BodyPose[] large = new ForwardKinematics(big).Compute(q);
        foreach (string body in (string[])["tibia_r", "calcn_r", "toes_l", "torso"])
        {
            int i = generic.BodyIndex(body);
            Vec3 expected = 1.2 * small[i].OriginM;
            Assert.True((large[i].OriginM - expected).Length < 1e-9, $"{body}: {large[i].OriginM} vs {expected}");
        }
    }

    [Fact]
    public void Scaled_model_moment_arms_scale_with_length_and_inverse_dynamics_with_mass_times_length()
    {
        MusculoskeletalModel generic = Gait2392So.Model;
        MusculoskeletalModel big = ModelScaler.ScaleUniform(generic, 1.1, generic.TotalMassKg * 1.3);
        double[] q = generic.DefaultCoordinates();
        q[generic.CoordinateIndex("knee_angle_r")] = -0.8;
        foreach (string muscle in (string[])["glut_med1_r", "rect_fem_r", "semimem_r"])
        {
            Assert.Equal(new MusclePathGeometry(generic).Length(muscle, q) * 1.1, new MusclePathGeometry(big).Length(muscle, q), 9);
        }

        // Static pose, no ground contact: gravity moments scale by mass × length.
        CoordinateTrajectory Still(MusculoskeletalModel model) =>
            new(model, [.. Enumerable.Range(0, 20).Select(i => i * 0.01)], [.. q.Select(v => Enumerable.Repeat(v, 20).ToArray())]);
        double[] time = [.. Enumerable.Range(0, 20).Select(i => i * 0.01)];
        var none = new ExternalLoadSet([], new StorageTable("none", [], time, []));
        double tauSmall = new InverseDynamicsSolver(generic).Solve(Still(generic), none, new InverseDynamicsOptions()).Column("hip_flexion_r_moment")[10];
        double tauLarge = new InverseDynamicsSolver(big).Solve(Still(big), none, new InverseDynamicsOptions()).Column("hip_flexion_r_moment")[10];
        Assert.Equal(tauSmall * 1.3 * 1.1, tauLarge, 6);
    }
}
