using GaitStream.Biomech.Functions;
using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Model;

namespace GaitStream.Biomech.Kinematics;

/// <summary>
/// Forward kinematics of a model's joint tree, following OpenSim's CustomJoint (Simbody FunctionBased mobilizer):
/// for each joint, parent offset frame F, then R_FM = R(a1,s1)·R(a2,s2)·R(a3,s3) (successive rotations about the
/// three rotation axes, each expressed in the frame left by the previous one), then the translation
/// p_FM = s4·t1 + s5·t2 + s6·t3 expressed in F, then the inverse of the child offset frame to reach the child body.
/// s_i are the axis functions of their coordinate. The model is compiled into flat arrays once; <see cref="Compute"/>
/// allocates nothing, so inverse dynamics can call it dozens of times per frame.
/// </summary>
public sealed class ForwardKinematics
{
    private readonly CompiledJoint[] _joints;
    private readonly Vec3[] _massCenters;

    public ForwardKinematics(MusculoskeletalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _massCenters = model.Bodies.Select(b => b.MassCenterM).ToArray();
        _joints = model.Joints.Select(Compile).ToArray();
    }

    public MusculoskeletalModel Model { get; }

    public int BodyCount => _massCenters.Length;

    public int CoordinateCount => Model.Coordinates.Count;

    /// <summary>
    /// Poses of all bodies for coordinates <paramref name="q"/> (model order, SI units: radians and metres).
    /// <paramref name="poses"/> must hold one entry per body; entry 0 (ground) is the identity.
    /// </summary>
    public void Compute(ReadOnlySpan<double> q, Span<BodyPose> poses)
    {
        if (q.Length != CoordinateCount)
        {
            throw new ArgumentException($"Expected {CoordinateCount} coordinates, got {q.Length}.", nameof(q));
        }
        if (poses.Length < BodyCount)
        {
            throw new ArgumentException($"Need room for {BodyCount} body poses, got {poses.Length}.", nameof(poses));
        }

        poses[0] = new BodyPose(Mat33.Identity, Vec3.Zero, Vec3.Zero);
        foreach (CompiledJoint j in _joints)
        {
            poses[j.Child] = ChildPose(j, q, poses[j.Parent]);
        }
    }

    /// <summary>Number of joints, in the model's parent-first order.</summary>
    internal int JointCount => _joints.Length;

    internal int JointChild(int joint) => _joints[joint].Child;

    internal int JointParent(int joint) => _joints[joint].Parent;

    /// <summary>The child body's pose of one joint given its parent's pose: lets dynamics perturb one coordinate cheaply.</summary>
    internal BodyPose ComputeJointChild(int joint, ReadOnlySpan<double> q, in BodyPose parent) => ChildPose(_joints[joint], q, parent);

    private BodyPose ChildPose(CompiledJoint j, ReadOnlySpan<double> q, in BodyPose parent)
    {
        Mat33 rGF = parent.Rotation * j.RotationParentOffset;
        Vec3 oF = parent.OriginM + (parent.Rotation * j.TranslationParentOffset);

        Mat33 rFM = Mat33.Identity;
        for (int a = 0; a < 3; a++)
        {
            ref readonly AxisTerm axis = ref j.Axes[a];
            double angle = axis.Evaluate(q);
            if (angle != 0)
            {
                rFM *= Mat33.FromAxisAngle(axis.UnitAxis, angle);
            }
        }
        Vec3 pFM = Vec3.Zero;
        for (int a = 3; a < 6; a++)
        {
            ref readonly AxisTerm axis = ref j.Axes[a];
            pFM += axis.Evaluate(q) * axis.UnitAxis;
        }

        Mat33 rGM = rGF * rFM;
        Vec3 oM = oF + (rGF * pFM);
        Mat33 rGB = rGM * j.RotationMToBody;
        Vec3 oB = oM + (rGM * j.TranslationMToBody);
        return new BodyPose(rGB, oB, oB + (rGB * _massCenters[j.Child]));
    }

    /// <summary>Convenience overload that allocates the pose array.</summary>
    public BodyPose[] Compute(ReadOnlySpan<double> q)
    {
        var poses = new BodyPose[BodyCount];
        Compute(q, poses);
        return poses;
    }

    private static CompiledJoint Compile(Joint joint)
    {
        // Child offset X_BM (M expressed in the child body B); FK needs its inverse X_MB.
        Mat33 rBM = joint.ChildOffset.Rotation;
        Mat33 rMB = rBM.Transpose();
        return new CompiledJoint(
            joint.ParentBodyIndex,
            joint.ChildBodyIndex,
            joint.ParentOffset.Rotation,
            joint.ParentOffset.TranslationM,
            rMB,
            -(rMB * joint.ChildOffset.TranslationM),
            joint.Axes.Select(a => new AxisTerm(a.UnitAxis, a.CoordinateIndex, a.Function, a.HasCoordinate ? 0 : a.Function.Value(0))).ToArray());
    }

    private sealed record CompiledJoint(
        int Parent,
        int Child,
        Mat33 RotationParentOffset,
        Vec3 TranslationParentOffset,
        Mat33 RotationMToBody,
        Vec3 TranslationMToBody,
        AxisTerm[] Axes);

    private readonly record struct AxisTerm(Vec3 UnitAxis, int CoordinateIndex, ModelFunction Function, double ConstantValue)
    {
        // Coordinate-free axes are constants, evaluated once at compile time.
        public double Evaluate(ReadOnlySpan<double> q) => CoordinateIndex >= 0 ? Function.Value(q[CoordinateIndex]) : ConstantValue;
    }
}
