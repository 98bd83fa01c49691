using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;

namespace GaitStream.Synth.Cohort;

/// <summary>
/// Subject-specific models from the generic one (gait2392, subject01_simbody_adjusted_StaticOp.osim, 72.6 kg): each
/// body takes the subject's height factor times its segment group's own factor; masses follow to the subject's body
/// mass. The generic model's stature is not in the file, so it is estimated from its leg: hip-joint-to-ankle-joint
/// length is 0.491 of stature in Winter's segment table (greater trochanter 0.530 H, lateral malleolus 0.039 H).
/// </summary>
public sealed class SubjectModels
{
    private static readonly Dictionary<string, string> BodyGroup = new(StringComparer.Ordinal)
    {
        ["pelvis"] = "pelvis",
        ["femur_r"] = "thigh", ["femur_l"] = "thigh", ["patella_r"] = "thigh", ["patella_l"] = "thigh",
        ["tibia_r"] = "shank", ["tibia_l"] = "shank",
        ["talus_r"] = "foot", ["talus_l"] = "foot", ["calcn_r"] = "foot", ["calcn_l"] = "foot", ["toes_r"] = "foot", ["toes_l"] = "foot",
        ["torso"] = "torso",
    };

    public SubjectModels(MusculoskeletalModel generic)
    {
        Generic = generic ?? throw new ArgumentNullException(nameof(generic));
        double[] q = new double[generic.Coordinates.Count];
        BodyPose[] poses = new ForwardKinematics(generic).Compute(q);
        double leg = (poses[generic.BodyIndex("femur_r")].OriginM - poses[generic.BodyIndex("talus_r")].OriginM).Length;
        ReferenceHeightM = leg / 0.491;
    }

    public MusculoskeletalModel Generic { get; }

    /// <summary>Estimated stature of the generic model's subject, m.</summary>
    public double ReferenceHeightM { get; }

    public MusculoskeletalModel Build(SubjectProfile subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        double s = subject.LengthFactor(ReferenceHeightM);
        var factors = new Dictionary<string, Vec3>(StringComparer.Ordinal);
        foreach (Body b in Generic.Bodies.Where(b => !b.IsGround))
        {
            double f = s * (BodyGroup.TryGetValue(b.Name, out string? g) ? subject.SegmentLengthFactors.GetValueOrDefault(g, 1.0) : 1.0);
            factors[b.Name] = new Vec3(f, f, f);
        }
        return ModelScaler.Scale(Generic, factors, subject.BodyMassKg);
    }

    /// <summary>The leg's length factor (thigh and shank, weighted by their lengths), which sets stride length and pelvis height.</summary>
    public double LegFactor(SubjectProfile subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return subject.LengthFactor(ReferenceHeightM) * ((0.53 * subject.SegmentLengthFactors.GetValueOrDefault("thigh", 1)) + (0.47 * subject.SegmentLengthFactors.GetValueOrDefault("shank", 1)));
    }
}
