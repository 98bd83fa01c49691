using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// Ground reactions of both feet from whole-body kinematics alone, no force plates. Owns three steps:
/// <list type="number">
/// <item>The total external wrench from Newton–Euler over all bodies along the ID solver's smoothed coordinates:
/// F = Σ m_b (a_b − g), M_O = Σ [c_b × m_b (a_b − g) + I_b α_b + ω_b × I_b ω_b]. In walking the floor is the only other
/// external load, so this is the summed ground reaction.</item>
/// <item>Foot contact from heel (calcn origin) and toe-tip heights, each relative to its own lowest height in the trial,
/// thresholds a fraction of the foot length, with hysteresis (a tight threshold starts a contact, a looser one on the
/// toe tip holds it through push-off). Vertical heights only: on a treadmill a foot in stance moves at belt speed,
/// so horizontal velocity says nothing about contact.</item>
/// <item>Sharing between feet. Single support: the foot takes F, its centre of pressure is where F's line of action
/// meets the floor (the zero-moment point of M_O), clamped to the foot's heel–toe outline. Double support: the trailing
/// foot's vertical load decays from the total at contralateral heel strike as (1 − u)²(1 + 2u), u the fraction of
/// double support elapsed (Ren, Jones &amp; Howard 2008, smooth transition assumption); its centre of pressure rides
/// on its toes. The leading foot takes the rest of the vertical load, its centre of pressure from the remaining moment
/// about the floor's horizontal axes (which involves only vertical loads and centres of pressure), held at the heel
/// while its load is small. The horizontal force is not split like the vertical one: each foot's reaction is aimed at
/// a point above the whole-body mass centre (the virtual pivot point that measured GRFs converge on in walking; see
/// <see cref="GroundReactionOptions.PivotAboveCenterOfMassM"/>), so the trailing foot pushes forward and the leading
/// one brakes, and the small remainder to the Newton–Euler total is shared by vertical load. Splitting the horizontal
/// force with the vertical share instead leaves the leading foot without its braking force through the changeover,
/// which the hip (about 0.9 m above the floor) feels as a flexion-moment error of roughly 0.1 BW × 0.9 m ≈ 0.9 N·m/kg.
/// Free moments are zero.</item>
/// </list>
/// Holds scratch buffers: one instance per thread.
/// </summary>
public sealed class GroundReactionEstimator
{
    private const int Right = 0;
    private const int Left = 1;

    private readonly MusculoskeletalModel _model;
    private readonly ForwardKinematics _fk;
    private readonly int _nb;
    private readonly BodyPose[][] _stencil;
    private readonly double[] _qs;
    private readonly Mat33[] _inertia;
    private readonly double[] _mass;

    public GroundReactionEstimator(MusculoskeletalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _fk = new ForwardKinematics(model);
        _nb = _fk.BodyCount;
        _stencil = Enumerable.Range(0, 5).Select(_ => new BodyPose[_nb]).ToArray();
        _qs = new double[_fk.CoordinateCount];
        _inertia = model.Bodies.Select(b => b.InertiaKgM2).ToArray();
        _mass = model.Bodies.Select(b => b.MassKg).ToArray();
    }

    public MusculoskeletalModel Model => _model;

    /// <summary>Estimates both feet's ground reactions at every frame of <paramref name="trajectory"/>.</summary>
    public GroundReactionEstimate Estimate(CoordinateTrajectory trajectory, GroundReactionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        options ??= new GroundReactionOptions();
        options.Validate();
        if (trajectory.Model != _model)
        {
            throw new ArgumentException("The trajectory belongs to a different model.", nameof(trajectory));
        }

        Foot[] feet =
        [
            new Foot(_model, options.RightHeelBody, options.RightToesBody),
            new Foot(_model, options.LeftHeelBody, options.LeftToesBody),
        ];
        int n = trajectory.FrameCount;
        double[] time = trajectory.TimeS;
        SmoothedCoordinates prepared = SmoothedCoordinates.Prepare(trajectory, options.Coordinates);

        // Step 1: total wrench and foot poses per frame.
        var force = new Vec3[n];
        var moment = new Vec3[n];
        var centerOfMass = new Vec3[n];
        var heelPose = new BodyPose[2][];
        var toesPose = new BodyPose[2][];
        for (int f = 0; f < 2; f++)
        {
            heelPose[f] = new BodyPose[n];
            toesPose[f] = new BodyPose[n];
        }
        double h = options.Coordinates.StencilStepS;
        for (int k = 0; k < n; k++)
        {
            (force[k], moment[k]) = TotalWrench(prepared, k, h);
            centerOfMass[k] = CenterOfMass(_stencil[2]);
            for (int f = 0; f < 2; f++)
            {
                heelPose[f][k] = _stencil[2][feet[f].HeelBody];
                toesPose[f][k] = _stencil[2][feet[f].ToesBody];
            }
        }

        // Step 2: contacts.
        var heelHeight = new double[2][];
        var tipHeight = new double[2][];
        double footLength = 0;
        for (int f = 0; f < 2; f++)
        {
            heelHeight[f] = new double[n];
            tipHeight[f] = new double[n];
            for (int k = 0; k < n; k++)
            {
                Vec3 heel = heelPose[f][k].OriginM, tip = toesPose[f][k].ToGround(feet[f].ToeTipLocalM);
                heelHeight[f][k] = heel.Y;
                tipHeight[f][k] = tip.Y;
                footLength += (tip - heel).Length / (2.0 * n);
            }
        }
        double floor = options.FloorHeightM ?? Math.Min(Math.Min(heelHeight[Right].Min(), tipHeight[Right].Min()), Math.Min(heelHeight[Left].Min(), tipHeight[Left].Min()));
        double startHeight = options.ContactStartFraction * footLength, holdHeight = options.ContactHoldFraction * footLength;
        double dt = (time[^1] - time[0]) / Math.Max(1, n - 1);
        int minimumRun = (int)Math.Round(options.MinimumPhaseS / dt);
        var contact = new bool[2][];
        var clearance = new double[2][];
        for (int f = 0; f < 2; f++)
        {
            double heelLow = heelHeight[f].Min(), tipLow = tipHeight[f].Min();
            contact[f] = new bool[n];
            clearance[f] = new double[n];
            for (int k = 0; k < n; k++)
            {
                double heel = heelHeight[f][k] - heelLow, tip = tipHeight[f][k] - tipLow;
                clearance[f][k] = Math.Min(heel, tip);
                bool inContact = k > 0 && contact[f][k - 1];
                contact[f][k] = inContact ? heel < startHeight || tip < holdHeight : clearance[f][k] < startHeight;
            }
            RemoveShortRuns(contact[f], minimumRun);
            IReadOnlyList<bool>? known = f == Right ? options.RightContact : options.LeftContact;
            if (known is not null)
            {
                if (known.Count != n)
                {
                    throw new ArgumentException($"Known contacts have {known.Count} frames; the trajectory has {n}.", nameof(options));
                }
                for (int k = 0; k < n; k++)
                {
                    contact[f][k] = known[k];
                }
            }
        }
        for (int k = 0; k < n; k++)
        {
            // Walking has no flight phase: if neither foot passes the test, the lower one carries the load.
            if (!contact[Right][k] && !contact[Left][k])
            {
                contact[clearance[Right][k] <= clearance[Left][k] ? Right : Left][k] = true;
            }
        }

        // Step 3: share the wrench.
        var footForce = new[] { new Vec3[n], new Vec3[n] };
        var cop = new[] { new Vec3[n], new Vec3[n] };
        double bodyWeightN = _model.TotalMassKg * _model.GravityMps2.Length;
        var trailingCopOnToes = Vec3.Zero;
        for (int k = 0; k < n; k++)
        {
            if (contact[Right][k] != contact[Left][k])
            {
                int f = contact[Right][k] ? Right : Left;
                footForce[f][k] = force[k];
                cop[f][k] = ClampToFoot(ZeroMomentPoint(force[k], moment[k], floor), heelPose[f][k], toesPose[f][k], feet[f], floor);
                cop[1 - f][k] = Project(heelPose[1 - f][k].OriginM, floor);
                continue;
            }

            // Double support from frame a to b: u runs from the last single-support frame (0) to the next one (1).
            int a = k;
            while (a > 0 && contact[Right][a - 1] && contact[Left][a - 1])
            {
                a--;
            }
            int b = k;
            while (b < n - 1 && contact[Right][b + 1] && contact[Left][b + 1])
            {
                b++;
            }
            int before = Math.Max(a - 1, 0), after = Math.Min(b + 1, n - 1);
            int lead = LeadingFoot(heelPose, toesPose, a);
            int trail = 1 - lead;
            if (k == a)
            {
                // The trailing foot's centre of pressure at contralateral heel strike, fixed to its toes from then on.
                Vec3 start = a > 0
                    ? cop[trail][a - 1]
                    : Project(toesPose[trail][a].OriginM, floor);
                trailingCopOnToes = toesPose[trail][a].ToBody(start);
            }
            double u = after > before ? (time[k] - time[before]) / (time[after] - time[before]) : 0.5;
            double share = (1 - u) * (1 - u) * (1 + (2 * u));
            double trailLoad = Math.Min(share * force[before].Y, force[k].Y);
            double leadLoad = force[k].Y - trailLoad;
            Vec3 trailCop = Project(toesPose[trail][k].ToGround(trailingCopOnToes), floor);
            Vec3 heel = Project(heelPose[lead][k].OriginM, floor);
            // The floor-plane moments (about x and z through a floor point) depend only on the vertical loads and the
            // centres of pressure, so the leading foot's CoP follows from the vertical split alone.
            Vec3 solved = ZeroMomentPoint(new Vec3(force[k].X, leadLoad, force[k].Z), moment[k] - Vec3.Cross(trailCop, new Vec3(0, trailLoad, 0)), floor);
            double w = SmoothStep(leadLoad / (options.CopSolveWeightFraction * bodyWeightN));
            Vec3 leadCop = ClampToFoot(heel + (w * (solved - heel)), heelPose[lead][k], toesPose[lead][k], feet[lead], floor);

            // Horizontal split: each foot's reaction points from its centre of pressure at the virtual pivot point
            // above the mass centre (the trailing foot pushes forward, the leading one brakes); whatever the two differ
            // from the Newton–Euler total is shared by vertical load, so the feet still sum to the total wrench.
            Vec3 pivot = centerOfMass[k] + new Vec3(0, options.PivotAboveCenterOfMassM, 0);
            double height = Math.Max(pivot.Y - floor, 1e-3);
            Vec3 trailH = (trailLoad / height) * Horizontal(pivot - trailCop);
            Vec3 leadH = (leadLoad / height) * Horizontal(pivot - leadCop);
            Vec3 residual = Horizontal(force[k]) - trailH - leadH;
            double trailFraction = force[k].Y > 1e-6 ? trailLoad / force[k].Y : 0.5;
            Vec3 trailForce = trailH + (trailFraction * residual) + new Vec3(0, trailLoad, 0);
            Vec3 leadForce = force[k] - trailForce;

            footForce[trail][k] = trailForce;
            footForce[lead][k] = leadForce;
            cop[trail][k] = trailCop;
            cop[lead][k] = leadCop;
        }

        FootGroundReaction Reaction(int f, string body) =>
            new(body, footForce[f], cop[f], new double[n], contact[f]);
        return new GroundReactionEstimate((double[])time.Clone(), Reaction(Right, options.RightHeelBody), Reaction(Left, options.LeftHeelBody), floor);
    }

    // Newton–Euler over all bodies at frame k, along the quadratic q + q̇s + ½q̈s² (as the ID solver does).
    private (Vec3 Force, Vec3 Moment) TotalWrench(SmoothedCoordinates c, int k, double h)
    {
        for (int s = 0; s < 5; s++)
        {
            double t = (s - 2) * h;
            for (int i = 0; i < _qs.Length; i++)
            {
                _qs[i] = c.Q[i][k] + (c.Qd[i][k] * t) + (0.5 * c.Qdd[i][k] * t * t);
            }
            _fk.Compute(_qs, _stencil[s]);
        }
        Vec3 g = _model.GravityMps2;
        Vec3 force = Vec3.Zero, moment = Vec3.Zero;
        for (int b = 1; b < _nb; b++)
        {
            BodyPose m2 = _stencil[0][b], m1 = _stencil[1][b], z = _stencil[2][b], p1 = _stencil[3][b], p2 = _stencil[4][b];
            Vec3 a = (p1.CenterOfMassM - (2 * z.CenterOfMassM) + m1.CenterOfMassM) / (h * h);
            Vec3 w0 = AngularVelocity(m1.Rotation, p1.Rotation, z.Rotation, h);
            Vec3 alpha = (AngularVelocity(z.Rotation, p2.Rotation, p1.Rotation, h) - AngularVelocity(m2.Rotation, z.Rotation, m1.Rotation, h)) / (2 * h);
            Mat33 inertia = z.Rotation * _inertia[b] * z.Rotation.Transpose();
            Vec3 fb = _mass[b] * (a - g);
            force += fb;
            moment += Vec3.Cross(z.CenterOfMassM, fb) + (inertia * alpha) + Vec3.Cross(w0, inertia * w0);
        }
        return (force, moment);
    }

    private Vec3 CenterOfMass(BodyPose[] poses)
    {
        Vec3 sum = Vec3.Zero;
        double mass = 0;
        for (int b = 1; b < _nb; b++)
        {
            sum += _mass[b] * poses[b].CenterOfMassM;
            mass += _mass[b];
        }
        return sum / mass;
    }

    private static Vec3 AngularVelocity(Mat33 before, Mat33 after, Mat33 middle, double h) =>
        ((1.0 / (2 * h)) * (after - before) * middle.Transpose()).SkewVector();

    // Where the line of action of a force F with moment M about the ground origin meets the floor y = floor:
    // M = p × F + T·ŷ gives p_x = (M_z + y F_x) / F_y and p_z = (y F_z − M_x) / F_y.
    private static Vec3 ZeroMomentPoint(Vec3 f, Vec3 m, double floor)
    {
        double fy = Math.Max(f.Y, 1e-6);
        return new Vec3((m.Z + (floor * f.X)) / fy, floor, ((floor * f.Z) - m.X) / fy);
    }

    // Keeps a point on the floor inside the foot: along the heel → toe-tip axis between the two, across it within a
    // fifth of the foot length either side.
    private static Vec3 ClampToFoot(Vec3 p, in BodyPose heel, in BodyPose toes, Foot foot, double floor)
    {
        Vec3 h = Project(heel.OriginM, floor);
        Vec3 t = Project(toes.ToGround(foot.ToeTipLocalM), floor);
        Vec3 axis = t - h;
        double length = axis.Length;
        if (length < 1e-9)
        {
            return h;
        }
        Vec3 along = axis / length;
        Vec3 across = new(-along.Z, 0, along.X);
        Vec3 d = Project(p, floor) - h;
        double s = Math.Clamp(Vec3.Dot(d, along), 0, length);
        double l = Math.Clamp(Vec3.Dot(d, across), -0.2 * length, 0.2 * length);
        return h + (s * along) + (l * across);
    }

    private static Vec3 Project(Vec3 p, double floor) => new(p.X, floor, p.Z);

    private static Vec3 Horizontal(Vec3 v) => new(v.X, 0, v.Z);

    private static double SmoothStep(double x)
    {
        x = Math.Clamp(x, 0, 1);
        return x * x * (3 - (2 * x));
    }

    // The leading foot is the one whose heel is further along the walking direction, taken as the mean heel → toes
    // direction of both feet (feet point forward in walking; this holds overground and on a treadmill alike).
    private static int LeadingFoot(BodyPose[][] heel, BodyPose[][] toes, int k)
    {
        Vec3 forward = toes[Right][k].OriginM - heel[Right][k].OriginM + toes[Left][k].OriginM - heel[Left][k].OriginM;
        forward = new Vec3(forward.X, 0, forward.Z);
        return Vec3.Dot(heel[Right][k].OriginM - heel[Left][k].OriginM, forward) > 0 ? Right : Left;
    }

    // Flips interior runs shorter than minimumRun frames (jitter around the threshold); runs touching either end stay.
    private static void RemoveShortRuns(bool[] state, int minimumRun)
    {
        int start = 0;
        for (int k = 1; k <= state.Length; k++)
        {
            if (k == state.Length || state[k] != state[start])
            {
                if (start > 0 && k < state.Length && k - start < minimumRun)
                {
                    for (int i = start; i < k; i++)
                    {
                        state[i] = !state[i];
                    }
                }
                start = k;
            }
        }
    }

    /// <summary>A foot's bodies and its toe tip, placed from the toes' mass centre so it scales with the model.</summary>
    private sealed class Foot
    {
        public Foot(MusculoskeletalModel model, string heelBody, string toesBody)
        {
            HeelBody = model.BodyIndex(heelBody);
            ToesBody = model.BodyIndex(toesBody);
            // The toes' mass centre sits about halfway from the MTP joint (the toes origin) to the tip.
            Vec3 com = model.Bodies[ToesBody].MassCenterM;
            ToeTipLocalM = new Vec3(2 * com.X, 0, com.Z);
        }

        public int HeelBody { get; }

        public int ToesBody { get; }

        public Vec3 ToeTipLocalM { get; }
    }
}
