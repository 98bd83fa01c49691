using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;

namespace GaitStream.Biomech.Tests.Dynamics;

public sealed class InverseDynamicsPhysicsTests
{
    private static readonly MusculoskeletalModel Model = Gait2354.Model;

    [Fact]
    public void At_rest_the_pelvis_carries_the_body_weight_and_joints_hold_gravity_moments()
    {
        var solver = new InverseDynamicsSolver(Model);
        double[] q = Model.DefaultCoordinates();
        var zero = new double[q.Length];
        var tau = new double[q.Length];
        solver.SolveFrame(q, zero, zero, tau);

        Assert.Equal(72.6 * 9.80665, tau[Model.CoordinateIndex("pelvis_ty")], 1);
        Assert.Equal(0, tau[Model.CoordinateIndex("pelvis_tx")], 6);
        Assert.Equal(0, tau[Model.CoordinateIndex("pelvis_tz")], 6);

        // Knee at 0: the shank and foot hang below the knee. Rotating the knee by dθ about +Z moves each mass centre
        // by ẑ × (c − knee)·dθ plus the coupled slide of the tibia (the knee's spline translations, dp/dθ in the
        // femur frame); the holding torque is that displacement's vertical part times the weight, summed.
        BodyPose[] p = new ForwardKinematics(Model).Compute(q);
        Joint knee = Model.Joint("knee_r");
        var slideInFemur = new GaitStream.Biomech.Geometry.Vec3(knee.Axes[3].Function.Derivative(0), knee.Axes[4].Function.Derivative(0), 0);
        double slideY = (p[Model.BodyIndex("femur_r")].Rotation * slideInFemur).Y;
        double kneeX = p[Model.BodyIndex("tibia_r")].OriginM.X;
        double expected = 0;
        foreach (string b in new[] { "tibia_r", "talus_r", "calcn_r", "toes_r" })
        {
            double weight = Model.Body(b).MassKg * 9.80665;
            expected += weight * ((p[Model.BodyIndex(b)].CenterOfMassM.X - kneeX) + slideY);
        }
        Assert.Equal(expected, tau[Model.CoordinateIndex("knee_angle_r")], 6);
    }

    [Fact]
    public void External_loads_file_maps_plate_columns_to_each_calcaneus_in_ground()
    {
        ExternalLoadSet loads = Gait2354.Loads;
        Assert.Equal(2, loads.Forces.Count);
        ExternalForceSpec right = loads.Forces[0], left = loads.Forces[1];
        Assert.Equal(("calcn_r", "ground_force_v", "ground_force_p", "ground_torque_"),
            (right.AppliedToBody, right.ForceIdentifier, right.PointIdentifier, right.TorqueIdentifier));
        Assert.Equal(("calcn_l", "1_ground_force_v", "1_ground_force_p", "1_ground_torque_"),
            (left.AppliedToBody, left.ForceIdentifier, left.PointIdentifier, left.TorqueIdentifier));
        Assert.All(loads.Forces, f => Assert.Equal(("ground", "ground", true), (f.ForceExpressedInBody, f.PointExpressedInBody, f.Enabled)));
        // The 2.x file sets no lowpass for load kinematics (none is needed: everything is expressed in ground).
        Assert.Null(loads.LowpassCutoffForLoadKinematicsHz);
        Assert.Empty(loads.Warnings);
        Assert.Equal(1501, loads.Data.RowCount);
        // Times are printed with 4 decimals (0.0017, 0.0033 …), so read the rate from the span, not one step.
        Assert.Equal(600, (loads.Data.RowCount - 1) / (loads.Data.Time[^1] - loads.Data.Time[0]), 6);
    }

    [Fact]
    public void Padding_reflects_and_negates_about_the_end_points_as_OpenSim_does()
    {
        double[] p = SmoothedCoordinates.PadReflectNegate([1, 2, 4, 7], 2);
        Assert.Equal([-2, 0, 1, 2, 4, 7, 10, 12], p);
    }
}
