using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Core.Preprocessing;
using GaitStream.Synth.Cohort;

namespace GaitStream.Synth.Kinematics;

/// <summary>
/// Turns the template into one subject's trial at one cadence. The gait phase advances at the stride frequency with
/// a slow stride-to-stride wobble (stride-time CV about 1.5 %, Hausdorff et al. 1995); each leg's phase is warped
/// smoothly so its toe-off lands at the stance fraction asked for while heel strikes stay put; the subject's style
/// (<see cref="GaitStyle"/>) and the cadence- and pathology-driven range changes act on the Fourier harmonics.
/// The walk is overground: pelvis_tx = stride length × phase + the template's periodic part, with
/// stride length = template stride × leg factor × the sagittal range factor, so stance feet barely slide.
/// Finally pelvis_ty is corrected so that the lowest heel or MTP point sits on the floor throughout (low-passed at
/// 4 Hz), which keeps contact detection and vertical ground reactions physical after the angles changed.
/// <para>Cadence effects, relative to the subject's preferred cadence c_p: sagittal hip/knee/ankle and pelvis ranges
/// and stride length ∝ (c/c_p)^0.7 (hip flexion–extension range grows about 25 % from 1.0 to 1.6 m/s, Lelas et al.
/// 2003); harmonics above the first × (c/c₀)^−1.5 against the template cadence c₀, so angular accelerations grow
/// about like c^0.5 rather than c² with time compression; stance fraction −0.03 × (speed relative to the preferred − 1),
/// clamped to ±0.012 (the leg-phase warp that realises it adds accelerations, so it is kept small: a warp of 0.03 of
/// a cycle roughly doubled peak hip extension moments).</para>
/// </summary>
public sealed class GaitSynthesizer
{
    private static readonly HashSet<string> Sagittal = new(StringComparer.Ordinal) { "hip_flexion", "knee_angle", "ankle_angle", "pelvis_tilt", "pelvis_rotation" };

    private readonly GaitTemplate _template;

    public GaitSynthesizer(GaitTemplate template) => _template = template ?? throw new ArgumentNullException(nameof(template));

    public SynthesizedMotion Generate(MusculoskeletalModel model, SubjectProfile subject, double legFactor, double cadenceSpm,
        PathologyOptions pathology, double seconds, double rateHz, SynthRandom rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(pathology);
        ArgumentNullException.ThrowIfNull(rng);
        int frames = (int)Math.Round(seconds * rateHz);
        var time = new double[frames];
        for (int i = 0; i < frames; i++)
        {
            time[i] = i / rateHz;
        }

        // Cadence-driven changes, on Froude-normalised cadence.
        // Ranges grow with cadence relative to the subject's preferred cadence (the template's ranges stand for a
        // preferred-speed walk): within-subject speed changes, not the template-to-subject time compression, widen them.
        double romCadence = Math.Pow(cadenceSpm / subject.PreferredCadenceSpm, 0.7);
        // Time-compressing the template multiplies every harmonic's acceleration by (c/c₀)²; measured faster walking
        // does not sharpen the waveforms like that (moments rise ~20–40 % slow to fast, Lelas et al. 2003), so the
        // harmonics above the first are damped by (c/c₀)^−1.5.
        double higherHarmonicScale = Math.Pow(cadenceSpm / _template.CadenceSpm, -1.5);
        // The stance-fraction change is taken relative to the subject's own preferred cadence, where the template's
        // stance applies: it is realised by warping the legs' phase, which speeds up and slows down their motion
        // within the cycle and so adds accelerations that the labels turn into moment peaks (a warp of 0.03 of a cycle
        // roughly doubled peak hip extension moments); at the preferred cadence no warp is needed.
        double speedRelPreferred = Math.Pow(cadenceSpm / subject.PreferredCadenceSpm, 1.7);
        double stanceShift = Math.Clamp(-0.03 * (speedRelPreferred - 1), -0.012, 0.012);
        double stanceR = _template.RightStanceFraction + stanceShift + subject.Style.RightStanceDelta;
        double stanceL = _template.LeftStanceFraction + stanceShift + subject.Style.LeftStanceDelta;
        string? aff = subject.AffectedSide;
        if (aff is not null)
        {
            stanceR += aff == "r" ? pathology.AffectedStanceDelta : pathology.UnaffectedStanceDelta;
            stanceL += aff == "l" ? pathology.AffectedStanceDelta : pathology.UnaffectedStanceDelta;
        }

        double hipRomR = HipSagittalScale(subject, "r", pathology);
        double hipRomL = HipSagittalScale(subject, "l", pathology);
        double strideM = _template.StrideLengthM * legFactor * romCadence * 0.5 * (hipRomR + hipRomL)
            * subject.Style.AmplitudeScale[_template.IndexOf("hip_flexion_r")];
        double strideHz = cadenceSpm / 120.0;

        // Stride-to-stride wobble of the frequency: three slow sinusoids, total SD 1.5 %.
        var wobble = new (double Amp, double Hz, double Phase)[3];
        for (int m = 0; m < wobble.Length; m++)
        {
            wobble[m] = (0.015 * Math.Sqrt(2.0 / wobble.Length) * rng.TruncatedNormal(1, 0.2, 0.5, 1.5), rng.Uniform(0.03, 0.25), rng.Uniform(0, 2 * Math.PI));
        }
        double phase0 = rng.NextDouble();
        var phase = new double[frames];
        for (int i = 0; i < frames; i++)
        {
            // ψ(t) = ψ₀ + f·(t + Σ a/(2πν)·(cos θ − cos(2πνt + θ))), the exact integral of f·(1 + Σ a·sin(2πνt + θ)).
            double integral = time[i];
            foreach ((double a, double hz, double th) in wobble)
            {
                integral += a / (2 * Math.PI * hz) * (Math.Cos(th) - Math.Cos((2 * Math.PI * hz * time[i]) + th));
            }
            phase[i] = phase0 + (strideHz * integral);
        }

        IReadOnlyList<string> names = _template.CoordinateNames;
        // The pelvis translations (the whole body's fore-aft and vertical oscillation) follow the legs' events.
        BodyWarp body = BodyWarp.Fit(_template, stanceR, stanceL);
        var values = new double[names.Count][];
        double leanSign = aff is null ? 0 : LeanSign(model, aff);
        for (int c = 0; c < names.Count; c++)
        {
            string name = names[c];
            string baseName = SubjectSampler.BaseName(name);
            string? side = name == baseName ? null : name[^1..];
            FourierSeries s = _template.Series[c];
            double scale = subject.Style.AmplitudeScale[c];
            if (Sagittal.Contains(baseName))
            {
                scale *= romCadence;
            }
            double offset = subject.Style.OffsetRad[c];
            if (aff is not null)
            {
                if (baseName == "hip_flexion" && side == aff)
                {
                    scale *= pathology.HipSagittalRomScale;
                    offset += pathology.HipFlexionOffsetDeg * Math.PI / 180;
                }
                if ((baseName == "hip_adduction" && side == aff) || baseName == "pelvis_list")
                {
                    scale *= pathology.HipFrontalRomScale;
                }
            }
            double lengthScale = baseName is "pelvis_tx" or "pelvis_ty" or "pelvis_tz" ? legFactor : 1.0;
            var column = new double[frames];
            for (int i = 0; i < frames; i++)
            {
                double p = side switch
                {
                    "r" => Warp(Frac(phase[i]), _template.RightStanceFraction, stanceR),
                    "l" => _template.LeftHeelStrikePhase + Warp(Frac(phase[i] - _template.LeftHeelStrikePhase), _template.LeftStanceFraction, stanceL),
                    _ => baseName is "pelvis_tx" or "pelvis_ty" ? phase[i] + body.Offset(Frac(phase[i])) : phase[i],
                };
                p += subject.Style.PhaseShiftCycles[c];
                double periodic = 0;
                double w = 2 * Math.PI * p;
                for (int k = 0; k < s.Harmonics; k++)
                {
                    (double sn, double cs) = Math.SinCos(((k + 1) * w) + subject.Style.HarmonicPhaseRad[c][k]);
                    periodic += (k == 0 ? 1.0 : higherHarmonicScale) * subject.Style.HarmonicScale[c][k] * ((s.Cos[k] * cs) + (s.Sin[k] * sn));
                }
                double mean = baseName == "pelvis_tz" ? 0 : s.Mean;
                column[i] = lengthScale * (mean + (scale * periodic)) + offset;
                if (baseName == "pelvis_tx")
                {
                    column[i] = (strideM * (phase[i] - phase0)) + (legFactor * scale * periodic);
                }
                if (baseName == "lumbar_bending" && aff is not null)
                {
                    double u = aff == "r" ? Frac(phase[i]) : Frac(phase[i] - _template.LeftHeelStrikePhase);
                    double st = aff == "r" ? stanceR : stanceL;
                    double bump = u < st ? Math.Pow(Math.Sin(Math.PI * u / st), 2) : 0;
                    column[i] += leanSign * pathology.TrunkLeanDeg * Math.PI / 180 * bump;
                }
            }
            values[c] = column;
        }

        PutFeetOnFloor(model, values, rateHz);
        // The events the motion was built with: each leg's warp puts its toe-off at its stance fraction.
        bool[] rightContact = [.. phase.Select(p => Frac(p) < stanceR)];
        bool[] leftContact = [.. phase.Select(p => Frac(p - _template.LeftHeelStrikePhase) < stanceL)];
        return new SynthesizedMotion(time, values, cadenceSpm, strideM * strideHz, strideM, stanceR, stanceL, rightContact, leftContact);
    }

    private static double HipSagittalScale(SubjectProfile subject, string side, PathologyOptions pathology) =>
        subject.AffectedSide == side ? pathology.HipSagittalRomScale : 1.0;

    private static double Frac(double x) => x - Math.Floor(x);

    /// <summary>
    /// Maps the output's fraction of the cycle u to the template's so that u = target lands on the template's toe-off
    /// (w(target) = stanceTemplate) with w(0) = 0 and w(1) = 1: w(u) = u + a·sin(2πu), |2πa| kept below 0.8 so it stays monotonic.
    /// </summary>
    internal static double Warp(double u, double stanceTemplate, double target)
    {
        double sin = Math.Sin(2 * Math.PI * target);
        double a = Math.Abs(sin) < 1e-6 ? 0 : (stanceTemplate - target) / sin;
        a = Math.Clamp(a, -0.8 / (2 * Math.PI), 0.8 / (2 * Math.PI));
        return u + (a * Math.Sin(2 * Math.PI * u));
    }

    /// <summary>+1 or −1: the lumbar_bending direction that moves the torso's centre of mass towards the affected side.</summary>
    private static double LeanSign(MusculoskeletalModel model, string side)
    {
        var fk = new ForwardKinematics(model);
        double[] q = new double[model.Coordinates.Count];
        int torso = model.BodyIndex("torso");
        double z0 = fk.Compute(q)[torso].CenterOfMassM.Z;
        q[model.CoordinateIndex("lumbar_bending")] = 0.1;
        double z1 = fk.Compute(q)[torso].CenterOfMassM.Z;
        // Ground Z points to the subject's right in OpenSim's gait models.
        double towardsRight = Math.Sign(z1 - z0);
        return side == "r" ? towardsRight : -towardsRight;
    }

    /// <summary>
    /// The phase warp of the pelvis translations, i.e. of the body's fore-aft and vertical oscillation. Each leg's warp
    /// moves its toe-off to the subject's stance fraction, and the contacts (and with them the ground-reaction
    /// estimator's load transfer between the feet) follow; the body's braking and push-off must follow the same
    /// events. Left on the template's timing, a shorter double support handed the leading foot the whole body weight
    /// before the body had started to brake, and the hip extension moment at the end of double support overshot
    /// (issue 4: a stance fraction of 0.615 instead of 0.640, alone, took one subject's peak from 0.81 to 1.71 N·m/kg;
    /// 1.11 with this warp).
    /// D(u) = s₁ sin 2πu + c₁ cos 2πu + s₂ sin 4πu + c₂ cos 4πu is zero at both heel strikes and carries the subject's
    /// two toe-offs to the template's; it is smooth, so it adds no acceleration steps. The pelvis rotations and the
    /// trunk keep the template's timing: warping them too changed the frontal-plane (abduction) moments of the
    /// asymmetric antalgic gait, whose warp is the largest, by up to 0.9 N·m/kg.
    /// </summary>
    private readonly record struct BodyWarp(double S1, double C1, double S2, double C2)
    {
        public static BodyWarp Identity => default;

        public double Offset(double u)
        {
            double w = 2 * Math.PI * u;
            return (S1 * Math.Sin(w)) + (C1 * Math.Cos(w)) + (S2 * Math.Sin(2 * w)) + (C2 * Math.Cos(2 * w));
        }

        public static BodyWarp Fit(GaitTemplate template, double stanceRight, double stanceLeft)
        {
            double leftStrike = template.LeftHeelStrikePhase;
            // Subject's event phases (right heel strike = 0) and the offsets that carry them to the template's.
            double[] u = [0, leftStrike, stanceRight, Frac(leftStrike + stanceLeft)];
            double[] d = [0, 0, template.RightStanceFraction - stanceRight, template.LeftStanceFraction - stanceLeft];
            var a = new double[4, 5];
            for (int r = 0; r < 4; r++)
            {
                double w = 2 * Math.PI * u[r];
                a[r, 0] = Math.Sin(w);
                a[r, 1] = Math.Cos(w);
                a[r, 2] = Math.Sin(2 * w);
                a[r, 3] = Math.Cos(2 * w);
                a[r, 4] = d[r];
            }
            double[]? c = Solve(a);
            return c is null ? Identity : new BodyWarp(c[0], c[1], c[2], c[3]);
        }

        // Gaussian elimination with partial pivoting on an n × (n + 1) augmented matrix; null when singular.
        private static double[]? Solve(double[,] a)
        {
            int n = a.GetLength(0);
            for (int col = 0; col < n; col++)
            {
                int pivot = col;
                for (int r = col + 1; r < n; r++)
                {
                    if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                    {
                        pivot = r;
                    }
                }
                if (Math.Abs(a[pivot, col]) < 1e-9)
                {
                    return null;
                }
                for (int k = 0; k <= n; k++)
                {
                    (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                }
                for (int r = 0; r < n; r++)
                {
                    if (r != col)
                    {
                        double f = a[r, col] / a[col, col];
                        for (int k = col; k <= n; k++)
                        {
                            a[r, k] -= f * a[col, k];
                        }
                    }
                }
            }
            var x = new double[n];
            for (int r = 0; r < n; r++)
            {
                x[r] = a[r, n] / a[r, r];
            }
            return x;
        }
    }

    /// <summary>Lowers or raises the pelvis so the lowest heel / MTP point (relative to its own lowest) touches the floor.</summary>
    private static void PutFeetOnFloor(MusculoskeletalModel model, double[][] values, double rateHz)
    {
        int frames = values[0].Length;
        var fk = new ForwardKinematics(model);
        int[] points = [model.BodyIndex("calcn_r"), model.BodyIndex("toes_r"), model.BodyIndex("calcn_l"), model.BodyIndex("toes_l")];
        var heights = new double[points.Length][];
        for (int p = 0; p < points.Length; p++)
        {
            heights[p] = new double[frames];
        }
        var q = new double[values.Length];
        var poses = new BodyPose[model.Bodies.Count];
        for (int i = 0; i < frames; i++)
        {
            for (int c = 0; c < values.Length; c++)
            {
                q[c] = values[c][i];
            }
            fk.Compute(q, poses);
            for (int p = 0; p < points.Length; p++)
            {
                heights[p][i] = poses[points[p]].OriginM.Y;
            }
        }
        double[] floor = [.. heights.Select(h => h.Min())];
        var lift = new double[frames];
        for (int i = 0; i < frames; i++)
        {
            double e = double.MaxValue;
            for (int p = 0; p < points.Length; p++)
            {
                e = Math.Min(e, heights[p][i] - floor[p]);
            }
            lift[i] = e;
        }
        double[] smooth = new ButterworthLowPass(4.0, rateHz, 2).FiltFilt(lift);
        double[] ty = values[model.CoordinateIndex("pelvis_ty")];
        for (int i = 0; i < frames; i++)
        {
            ty[i] -= smooth[i];
        }
    }
}
