using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// Inverse dynamics of a model's tree with external loads, by virtual power: for every coordinate j,
/// τ_j = Σ_bodies [ ∂c/∂q_j · (m(a − g) − F_ext) + ∂θ/∂q_j · (Iα + ω × Iω − M_ext,c) ],
/// where c is the body's mass centre, a its acceleration, ω and α the body's angular velocity and acceleration in
/// ground, I its inertia about c rotated into ground, and F_ext / M_ext,c the external force and its moment about c
/// (point force moment plus free torque). The Jacobian columns are joint twists from central differences of one
/// joint's transform (coupled knee translations included), applied to subtree wrench sums; a, ω, α come
/// from forward kinematics along the quadratic q + q̇s + ½q̈s², which gives exactly J·q̈ + J̇·q̇ up to O(s²).
/// Coordinates are prepared as OpenSim's ID tool does: padded, low-pass filtered, then splined (natural cubic) and
/// differentiated. Holds scratch buffers: one instance per thread.
/// </summary>
public sealed class InverseDynamicsSolver
{
    private readonly ForwardKinematics _fk;
    private readonly MusculoskeletalModel _model;
    private readonly int _nb;
    private readonly int _nq;
    private readonly BodyPose[][] _stencil;
    private readonly Vec3[] _subForce;
    private readonly Vec3[] _subMoment;
    private readonly int[] _coordinateJoint;
    private readonly Vec3[] _force;
    private readonly Vec3[] _moment;
    private readonly double[] _qs;
    private readonly Mat33[] _inertia;
    private readonly double[] _mass;

    public InverseDynamicsSolver(MusculoskeletalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _fk = new ForwardKinematics(model);
        _nb = _fk.BodyCount;
        _nq = _fk.CoordinateCount;
        _stencil = Enumerable.Range(0, 5).Select(_ => new BodyPose[_nb]).ToArray();
        _subForce = new Vec3[_nb];
        _subMoment = new Vec3[_nb];
        _coordinateJoint = new int[_nq];
        for (int j = 0; j < model.Joints.Count; j++)
        {
            foreach (int c in model.Joints[j].CoordinateIndices)
            {
                _coordinateJoint[c] = j;
            }
        }
        _force = new Vec3[_nb];
        _moment = new Vec3[_nb];
        _qs = new double[_nq];
        _inertia = model.Bodies.Select(b => b.InertiaKgM2).ToArray();
        _mass = model.Bodies.Select(b => b.MassKg).ToArray();
    }

    public MusculoskeletalModel Model => _model;

    /// <summary>Inverse dynamics over a whole trial: filter, spline and differentiate the coordinates, then solve every frame.</summary>
    public InverseDynamicsResult Solve(CoordinateTrajectory trajectory, ExternalLoadSet? loads, InverseDynamicsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        options ??= new InverseDynamicsOptions();
        options.Validate();
        if (trajectory.Model != _model)
        {
            throw new ArgumentException("The trajectory belongs to a different model.", nameof(trajectory));
        }

        int n = trajectory.FrameCount;
        SmoothedCoordinates prepared = SmoothedCoordinates.Prepare(trajectory, options);
        double[][] q = prepared.Q, qd = prepared.Qd, qdd = prepared.Qdd;
        ExternalLoadSampler? sampler = loads is null ? null : new ExternalLoadSampler(_model, loads);

        var tau = new double[_nq][];
        for (int c = 0; c < _nq; c++)
        {
            tau[c] = new double[n];
        }
        Span<double> qf = stackalloc double[_nq];
        Span<double> qdf = stackalloc double[_nq];
        Span<double> qddf = stackalloc double[_nq];
        Span<double> tauf = stackalloc double[_nq];
        for (int k = 0; k < n; k++)
        {
            for (int c = 0; c < _nq; c++)
            {
                qf[c] = q[c][k];
                qdf[c] = qd[c][k];
                qddf[c] = qdd[c][k];
            }
            SolveFrame(qf, qdf, qddf, trajectory.TimeS[k], sampler, options, tauf);
            for (int c = 0; c < _nq; c++)
            {
                tau[c][k] = tauf[c];
            }
        }

        string[] labels = _model.Coordinates.Select(c => c.Name + (c.IsRotational ? "_moment" : "_force")).ToArray();
        return new InverseDynamicsResult((double[])trajectory.TimeS.Clone(), labels, tau, _model.TotalMassKg);
    }

    /// <summary>
    /// Generalized forces for one state (SI units, model coordinate order) with no external loads, or with loads
    /// sampled at <paramref name="timeS"/>.
    /// </summary>
    public void SolveFrame(ReadOnlySpan<double> q, ReadOnlySpan<double> qd, ReadOnlySpan<double> qdd, Span<double> tau) =>
        SolveFrame(q, qd, qdd, 0, null, new InverseDynamicsOptions(), tau);

    internal void SolveFrame(
        ReadOnlySpan<double> q, ReadOnlySpan<double> qd, ReadOnlySpan<double> qdd, double timeS,
        ExternalLoadSampler? loads, InverseDynamicsOptions options, Span<double> tau)
    {
        double h = options.StencilStepS;

        // Poses along the quadratic path at s = -2h, -h, 0, h, 2h.
        for (int s = 0; s < 5; s++)
        {
            double t = (s - 2) * h;
            for (int c = 0; c < _nq; c++)
            {
                _qs[c] = q[c] + (qd[c] * t) + (0.5 * qdd[c] * t * t);
            }
            _fk.Compute(_qs, _stencil[s]);
        }
        BodyPose[] p0 = _stencil[2];

        Vec3 g = _model.GravityMps2;
        for (int b = 1; b < _nb; b++)
        {
            BodyPose m2 = _stencil[0][b], m1 = _stencil[1][b], z = p0[b], p1 = _stencil[3][b], p2 = _stencil[4][b];
            Vec3 a = (p1.CenterOfMassM - (2 * z.CenterOfMassM) + m1.CenterOfMassM) / (h * h);
            Vec3 w0 = AngularVelocity(m1.Rotation, p1.Rotation, z.Rotation, h);
            Vec3 wPlus = AngularVelocity(z.Rotation, p2.Rotation, p1.Rotation, h);
            Vec3 wMinus = AngularVelocity(m2.Rotation, z.Rotation, m1.Rotation, h);
            Vec3 alpha = (wPlus - wMinus) / (2 * h);
            Mat33 inertiaG = z.Rotation * _inertia[b] * z.Rotation.Transpose();
            _force[b] = _mass[b] * (a - g);
            _moment[b] = (inertiaG * alpha) + Vec3.Cross(w0, inertiaG * w0);
        }

        if (loads is not null)
        {
            for (int i = 0; i < loads.Count; i++)
            {
                (int body, Vec3 f, Vec3 point, Vec3 torque) = loads.Sample(i, timeS, p0);
                _force[body] -= f;
                _moment[body] -= torque + Vec3.Cross(point - p0[body].CenterOfMassM, f);
            }
        }

        // Perturbing coordinate j moves its joint's whole subtree as one rigid body with twist (ω_j, v_j at the
        // child origin), so τ_j = v_j · ΣF + ω_j · ΣM over that subtree, moments taken about the child origin.
        // Subtree sums are accumulated child-first; each twist needs only its own joint re-evaluated.
        for (int b = 1; b < _nb; b++)
        {
            _subForce[b] = _force[b];
            _subMoment[b] = _moment[b] + Vec3.Cross(p0[b].CenterOfMassM - p0[b].OriginM, _force[b]);
        }
        for (int j = _fk.JointCount - 1; j >= 0; j--)
        {
            int child = _fk.JointChild(j), parent = _fk.JointParent(j);
            if (parent != 0)
            {
                _subForce[parent] += _subForce[child];
                _subMoment[parent] += _subMoment[child] + Vec3.Cross(p0[child].OriginM - p0[parent].OriginM, _subForce[child]);
            }
        }

        double d = options.JacobianStep;
        q.CopyTo(_qs);
        for (int c = 0; c < _nq; c++)
        {
            int joint = _coordinateJoint[c];
            int child = _fk.JointChild(joint);
            BodyPose parentPose = p0[_fk.JointParent(joint)];
            double qc = q[c];
            _qs[c] = qc + d;
            BodyPose plus = _fk.ComputeJointChild(joint, _qs, parentPose);
            _qs[c] = qc - d;
            BodyPose minus = _fk.ComputeJointChild(joint, _qs, parentPose);
            _qs[c] = qc;
            Vec3 v = (plus.OriginM - minus.OriginM) / (2 * d);
            Vec3 w = AngularVelocity(minus.Rotation, plus.Rotation, p0[child].Rotation, d);
            tau[c] = Vec3.Dot(v, _subForce[child]) + Vec3.Dot(w, _subMoment[child]);
        }
    }

    // ω from Ṙ·Rᵀ with Ṙ ≈ (R(+) − R(−)) / 2h around the middle rotation.
    private static Vec3 AngularVelocity(Mat33 before, Mat33 after, Mat33 middle, double h) =>
        ((1.0 / (2 * h)) * (after - before) * middle.Transpose()).SkewVector();
}
