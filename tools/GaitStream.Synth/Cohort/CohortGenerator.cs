using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Schema;
using GaitStream.Synth.Kinematics;
using GaitStream.Synth.Labels;
using GaitStream.Synth.Reports;

namespace GaitStream.Synth.Cohort;

/// <summary>
/// Generates a synthetic Gait2Hip-60-style cohort in the GaitStream dataset layout: subjects drawn by
/// <see cref="SubjectSampler"/>, a scaled gait2392 model per subject, one trial per metronome cadence synthesised from
/// the real template and labelled by <see cref="TrialLabeler"/>, then <c>dataset.json</c>, <c>subjects.csv</c>,
/// <c>trials.csv</c> and the <c>cohort.md</c> report. Trials run in parallel; each owns a random stream derived from
/// (seed, subject, condition) and its own files, so the bytes written do not depend on scheduling.
/// </summary>
public sealed class CohortGenerator
{
    public const string GenericModelFile = "gait2392_so_walk/subject01_simbody_adjusted_StaticOp.osim";
    public const string TrialId = "walk1";

    private static readonly JsonSerializerOptions ManifestJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly string _referenceDir;
    private readonly CohortOptions _options;

    public CohortGenerator(string referenceDir, CohortOptions options)
    {
        _referenceDir = referenceDir ?? throw new ArgumentNullException(nameof(referenceDir));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
    }

    public static string GeneratorVersion =>
        typeof(CohortGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Total trials the options ask for.</summary>
    public int TrialCount => (_options.Healthy + _options.Pathological) * _options.Cadences;

    public CohortResult Generate(string outDir, IProgress<GeneratedTrial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outDir);
        string root = Path.GetFullPath(outDir);
        Directory.CreateDirectory(root);

        MusculoskeletalModel generic = OsimModelReader.Read(Path.Combine(_referenceDir, GenericModelFile));
        GaitTemplate template = GaitTemplate.FromReference(_referenceDir, generic);
        var models = new SubjectModels(generic);
        IReadOnlyList<SubjectProfile> subjects = new SubjectSampler(template, _options).SampleAll();
        var synthesizer = new GaitSynthesizer(template);
        var scaled = subjects.ToDictionary(s => s.SubjectId, s => new Lazy<MusculoskeletalModel>(() => models.Build(s)), StringComparer.Ordinal);

        var work = subjects.SelectMany(s => _options.CadenceFactors.Select(f => (Subject: s, Factor: f))).ToList();
        var results = new GeneratedTrial[work.Count];
        var storage = new StorageWriteOptions { FixedDecimals = _options.Decimals };
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism ?? Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
        {
            (SubjectProfile subject, double factor) = work[i];
            string condition = CohortOptions.ConditionName(factor);
            MusculoskeletalModel model = scaled[subject.SubjectId].Value;
            SynthRandom rng = SynthRandom.Derive(_options.Seed, SynthRandom.Key("trial"), SynthRandom.Key(subject.SubjectId), SynthRandom.Key(condition));
            double cadence = Math.Round(subject.PreferredCadenceSpm * factor, 1);
            SynthesizedMotion motion = synthesizer.Generate(model, subject, models.LegFactor(subject), cadence, _options.Pathology, _options.Seconds, _options.RateHz, rng);
            LabelledTrial labelled = TrialLabeler.Label(model, motion, _options.AngleNoiseDeg, SynthRandom.Derive(_options.Seed, SynthRandom.Key("noise"), SynthRandom.Key(subject.SubjectId), SynthRandom.Key(condition)));

            string dir = $"{subject.SubjectId}/{condition}";
            string ik = $"{dir}/{TrialId}_ik.mot", id = $"{dir}/{TrialId}_id.sto", forces = $"{dir}/{TrialId}_so_force.sto";
            StorageWriter.Write(labelled.Ik, Path.Combine(root, ik), storage);
            StorageWriter.Write(labelled.InverseDynamics, Path.Combine(root, id), storage);
            StorageWriter.Write(labelled.Forces, Path.Combine(root, forces), storage);
            var trial = new GeneratedTrial(subject, condition, factor, TrialId, cadence, motion.SpeedMps, ik, id, forces,
                labelled.Right, labelled.Left, labelled.MeanVerticalGrfBw, labelled.MaxReserveNm);
            results[i] = trial;
            progress?.Report(trial);
        });

        WriteSubjects(root, subjects);
        WriteTrials(root, results);
        WriteManifest(root, template, models);
        IReadOnlyList<string> figures = CohortReport.Write(root, subjects, results, _options, template, models.ReferenceHeightM);
        return new CohortResult(root, template, subjects, results, figures);
    }

    private static string F(double v, string format = "0.###") => v.ToString(format, CultureInfo.InvariantCulture);

    private static void WriteSubjects(string root, IReadOnlyList<SubjectProfile> subjects)
    {
        var sb = new StringBuilder("subject_id,cohort,body_mass_kg,height_m,affected_side,sex,preferred_cadence_spm\n");
        foreach (SubjectProfile s in subjects)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s.SubjectId},{s.Cohort},{F(s.BodyMassKg, "0.0")},{F(s.HeightM, "0.000")},{s.AffectedSide},{s.Sex},{F(s.PreferredCadenceSpm, "0.0")}\n");
        }
        File.WriteAllText(Path.Combine(root, "subjects.csv"), sb.ToString());
    }

    private static void WriteTrials(string root, IReadOnlyList<GeneratedTrial> trials)
    {
        var sb = new StringBuilder("subject_id,condition,trial,cadence_spm,ik,id,forces\n");
        foreach (GeneratedTrial t in trials)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{t.Subject.SubjectId},{t.Condition},{t.TrialId},{F(t.CadenceSpm, "0.0")},{t.IkPath},{t.IdPath},{t.ForcesPath}\n");
        }
        File.WriteAllText(Path.Combine(root, "trials.csv"), sb.ToString());
    }

    private void WriteManifest(string root, GaitTemplate template, SubjectModels models)
    {
        var conditions = _options.CadenceFactors.ToDictionary(CohortOptions.ConditionName,
            f => FormattableString.Invariant($"metronome cadence at {f * 100:0}% of the subject's preferred cadence (steps/min in trials.csv cadence_spm)"));
        var manifest = new
        {
            name = "Gait2Hip-60-synthetic",
            provenance = FormattableString.Invariant(
                $"Synthetic cohort generated by GaitStream.Synth {GeneratorVersion} with seed {_options.Seed}: kinematics from Fourier templates fitted to {template.Source}, labels from GaitStream.Biomech (GRF estimated from kinematics, inverse dynamics, whole-leg static optimization) on gait2392 ({GenericModelFile}) scaled per subject."),
            generator = new
            {
                tool = "GaitStream.Synth",
                version = GeneratorVersion,
                seed = _options.Seed,
                healthy = _options.Healthy,
                pathological = _options.Pathological,
                cadences = _options.Cadences,
                cadence_spread = _options.CadenceSpread,
                seconds = _options.Seconds,
                rate_hz = _options.RateHz,
                angle_noise_deg = _options.AngleNoiseDeg,
                generic_model = GenericModelFile,
                generic_model_mass_kg = Math.Round(models.Generic.TotalMassKg, 3),
                generic_model_height_m = Math.Round(models.ReferenceHeightM, 3),
                template = template.Source,
                template_cadence_spm = Math.Round(template.CadenceSpm, 2),
                template_stride_length_m = Math.Round(template.StrideLengthM, 4),
                pathology = _options.Pathology,
            },
            units = new
            {
                time = "s",
                ik = "degrees for rotational coordinates, metres for pelvis translations (inDegrees=yes)",
                id = "N·m (generalized forces, OpenSim ID sign); divide by body_mass_kg for N·m/kg",
                forces = "N per muscle (OpenSim static optimization force file); groups summed per the channel schema",
                cadence_spm = "steps/min",
            },
            conditions,
            cohorts = new Dictionary<string, string>
            {
                [SubjectProfile.HealthyCohort] = "healthy adults walking at metronome cadences",
                [SubjectProfile.PathologicalCohort] = "antalgic hip gait (ONFH-like), affected side in subjects.csv; for zero-shot external validation",
            },
            channels = new
            {
                inputs = ChannelSchema.InputAngles,
                outputs = ChannelSchema.HipMoments.Concat(ChannelSchema.GroupForces).ToArray(),
            },
        };
        string json = JsonSerializer.Serialize(manifest, ManifestJson);
        File.WriteAllText(Path.Combine(root, "dataset.json"), json + "\n");
    }
}
