using GaitStream.Synth.Kinematics;

namespace GaitStream.Synth.Cohort;

/// <summary>
/// Draws the cohort's subjects. Every number below is a population figure with its source or its reasoning:
/// <list type="bullet">
/// <item>Height: men N(1.755, 0.070) m, women N(1.625, 0.065) m, truncated at ±3 SD — adult stature in Europe and
/// North America (NCD-RisC 2016 adult height; CDC NHANES anthropometric reference 2015–2018, SD ≈ 7 cm).</item>
/// <item>Mass from BMI: healthy N(23.0, 2.8) kg/m² in 18.5–32 (young and middle-aged volunteers of gait labs);
/// patients N(24.5, 3.0) in 18.5–35 (ONFH cohorts are middle-aged and slightly heavier).</item>
/// <item>Sex: healthy 1:1; patients 70 % men (ONFH's male predominance, about 2–3:1 in published series).</item>
/// <item>Segment lengths: the height factor times N(1, 0.025) per segment group (thigh, shank, foot, pelvis, torso),
/// the spread of segment-to-stature ratios in Drillis &amp; Contini's / Winter's tables; left and right equal.</item>
/// <item>Preferred cadence: N(105, 5.6) steps/min (truncated 91–119) for a 1.70 m adult, scaled by (height/1.70)^−0.5
/// (pendulum, Froude scaling); 100–125 spm is the normal adult band (Tudor-Locke et al. 2011 review; Hollman et al.
/// 2011). The mean sits at the low end of that band, nearer the template walk (97 spm at 1.79 m, 1.07 m/s), because
/// time-compressing the template further inflates accelerations and so the moment labels.
/// Patients walk at <see cref="PathologyOptions.CadenceScale"/> of that.</item>
/// <item>Gait style: offsets of the mean angle with SDs from the between-subject spread of normative kinematics
/// (Kadaba et al. 1989; Schwartz et al. 2008: 2–4° for hip/knee/ankle/pelvis), amplitude scale N(1, 0.08), timing
/// shift N(0, 0.01) of a cycle, higher harmonics ×N(1, 0.10) and phase N(0, 0.08) rad; asymmetry a side-specific
/// 0.8° offset and 3 % amplitude (healthy left–right differences are of that size, Sadeghi et al. 2000). The hip
/// flexion offset is the thigh's angle in space (SD 1.5°) minus the pelvic tilt offset, since hip flexion is measured
/// from the pelvis.</item>
/// <item>Stance fraction: N(0, 0.01) per subject around the template's (about 0.6 of the cycle, Perry &amp; Burnfield).</item>
/// </list>
/// </summary>
public sealed class SubjectSampler
{
    private static readonly string[] SegmentGroups = ["pelvis", "thigh", "shank", "foot", "torso"];

    private readonly GaitTemplate _template;
    private readonly CohortOptions _options;

    public SubjectSampler(GaitTemplate template, CohortOptions options)
    {
        _template = template ?? throw new ArgumentNullException(nameof(template));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The healthy and then the pathological subjects, ids <c>H01…</c> and <c>P01…</c>.</summary>
    public IReadOnlyList<SubjectProfile> SampleAll()
    {
        var subjects = new List<SubjectProfile>();
        int width = Math.Max(2, Math.Max(_options.Healthy, _options.Pathological).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        for (int i = 0; i < _options.Healthy; i++)
        {
            subjects.Add(Sample($"H{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}", pathological: false, i));
        }
        for (int i = 0; i < _options.Pathological; i++)
        {
            subjects.Add(Sample($"P{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}", pathological: true, i));
        }
        return subjects;
    }

    public SubjectProfile Sample(string id, bool pathological, int index)
    {
        SynthRandom rng = SynthRandom.Derive(_options.Seed, SynthRandom.Key("subject"), SynthRandom.Key(id));
        string sex = rng.NextDouble() < (pathological ? 0.7 : 0.5) ? "m" : "f";
        double height = sex == "m" ? rng.TruncatedNormal(1.755, 0.070, 1.545, 1.965) : rng.TruncatedNormal(1.625, 0.065, 1.43, 1.82);
        double bmi = pathological ? rng.TruncatedNormal(24.5, 3.0, 18.5, 35) : rng.TruncatedNormal(23.0, 2.8, 18.5, 32);
        double mass = Math.Round(bmi * height * height, 1);
        height = Math.Round(height, 3);

        var segments = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string g in SegmentGroups)
        {
            segments[g] = rng.TruncatedNormal(1, 0.025, 0.93, 1.07);
        }

        double cadence = rng.TruncatedNormal(113, 6, 98, 128) * (105.0 / 113.0) * Math.Pow(height / 1.70, -0.5);
        string? side = null;
        if (pathological)
        {
            cadence *= _options.Pathology.CadenceScale;
            side = _options.Pathology.AffectedSide == "random" ? (rng.NextDouble() < 0.5 ? "r" : "l") : _options.Pathology.AffectedSide;
        }

        GaitStyle style = DrawStyle(rng);
        return new SubjectProfile(id, pathological ? SubjectProfile.PathologicalCohort : SubjectProfile.HealthyCohort, index, sex, height, mass,
            segments, Math.Round(cadence, 1), side, style);
    }

    private GaitStyle DrawStyle(SynthRandom rng)
    {
        IReadOnlyList<string> names = _template.CoordinateNames;
        int n = names.Count;
        int h = _template.Series[0].Harmonics;
        var offset = new double[n];
        var amp = new double[n];
        var shift = new double[n];
        var hs = new double[n][];
        var hp = new double[n][];
        // Shared (bilateral) draws per base name, then the side-specific part on top.
        var shared = new Dictionary<string, (double Offset, double Amp, double Shift, double[] Hs, double[] Hp)>(StringComparer.Ordinal);
        for (int c = 0; c < n; c++)
        {
            string name = names[c];
            string baseName = BaseName(name);
            if (!shared.TryGetValue(baseName, out var s))
            {
                double sdDeg = OffsetSdDeg(baseName);
                s = (rng.Normal(0, sdDeg) * Math.PI / 180, rng.TruncatedNormal(1, 0.08, 0.8, 1.2), rng.TruncatedNormal(0, 0.01, -0.025, 0.025),
                    [.. Enumerable.Range(0, h).Select(k => k == 0 ? 1.0 : rng.TruncatedNormal(1, 0.10, 0.7, 1.3))],
                    [.. Enumerable.Range(0, h).Select(k => k == 0 ? 0.0 : rng.TruncatedNormal(0, 0.08, -0.2, 0.2))]);
                shared[baseName] = s;
            }
            bool sided = name != baseName;
            bool fixedCoordinate = baseName is "mtp_angle" or "pelvis_tx" or "pelvis_ty" or "pelvis_tz";
            offset[c] = fixedCoordinate ? 0 : s.Offset + (sided ? rng.Normal(0, 0.8) * Math.PI / 180 : 0);
            amp[c] = baseName == "mtp_angle" ? 1 : s.Amp * (sided ? rng.TruncatedNormal(1, 0.03, 0.92, 1.08) : 1);
            shift[c] = fixedCoordinate ? 0 : s.Shift;
            hs[c] = fixedCoordinate ? [.. Enumerable.Repeat(1.0, h)] : s.Hs;
            hp[c] = fixedCoordinate ? new double[h] : s.Hp;
        }
        // Hip flexion is measured from the pelvis, so a subject's pelvic tilt shows up in it: the thigh's own angle in
        // space (pelvis_tilt + hip_flexion) varies far less between subjects than either. The hip_flexion draw above is
        // that thigh angle; the pelvic tilt is taken out of it here. Drawing the two independently tilted the thigh by
        // about 4° SD, i.e. the foot landed ±6 cm further ahead of or behind the hip than the (template) body's braking
        // allowed, which made the hip extension moment at loading response spread and overshoot (issue 4: at the
        // preferred cadence the hip flexion offsets alone spread the right-side peaks by 0.28 N·m/kg SD, the pelvic tilt
        // offsets alone by 0.20; subjects with the template's angles, 0.06).
        int tilt = IndexOfName(names, "pelvis_tilt");
        if (tilt >= 0)
        {
            for (int c = 0; c < n; c++)
            {
                if (BaseName(names[c]) == "hip_flexion")
                {
                    offset[c] -= offset[tilt];
                }
            }
        }
        double stance = rng.TruncatedNormal(0, 0.01, -0.025, 0.025);
        return new GaitStyle(offset, amp, shift, hs, hp, stance + rng.Normal(0, 0.004), stance + rng.Normal(0, 0.004));
    }

    /// <summary>
    /// Between-subject SD of the thigh's sagittal angle in space, degrees. Hip flexion's own SD, about 3–4° in normative
    /// data (Kadaba et al. 1989), is mostly pelvic tilt (SD 3° here); with this the hip flexion offsets keep an SD of
    /// √(1.5² + 3²) ≈ 3.4°.
    /// </summary>
    private const double ThighOffsetSdDeg = 1.5;

    private static int IndexOfName(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }

    internal static string BaseName(string coordinate) =>
        coordinate.EndsWith("_r", StringComparison.Ordinal) || coordinate.EndsWith("_l", StringComparison.Ordinal) ? coordinate[..^2] : coordinate;

    private static double OffsetSdDeg(string baseName) => baseName switch
    {
        "pelvis_tilt" => 3.0,
        "pelvis_list" => 1.0,
        "pelvis_rotation" => 2.0,
        "hip_flexion" => ThighOffsetSdDeg,
        "hip_adduction" => 2.0,
        "hip_rotation" => 4.0,
        "knee_angle" => 3.0,
        "ankle_angle" => 2.5,
        "subtalar_angle" => 2.0,
        "lumbar_extension" => 3.0,
        "lumbar_bending" => 1.0,
        "lumbar_rotation" => 2.0,
        _ => 0.0,
    };
}
