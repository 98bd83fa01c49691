using GaitStream.Biomech.Functions;
using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>
/// Scales a generic model to a subject the way OpenSim's ScaleTool does with manual scale factors: every body gets
/// per-axis length factors (bodies not named keep 1), which scale its centre of mass, the joint frames fixed in it,
/// its muscle path points (moving points through <see cref="MultiplierFunction"/>s), and the knee-style translation
/// functions of the joints whose parent it is; masses then follow the scaled segment volumes, normalised to the
/// target total mass, and inertias follow the scaled mass distribution (second moments J' = (m'/m)·S·J·S).
/// Muscle fibre and tendon lengths scale with the factor of the muscle's longest segment; max isometric forces are
/// left as they are, as OpenSim's scaling leaves them.
/// </summary>
public static class ModelScaler
{
    /// <summary>Returns a scaled copy of <paramref name="model"/>.</summary>
    /// <param name="model">The generic model.</param>
    /// <param name="lengthFactors">Per-body length factors (x, y, z in the body frame); absent bodies keep (1, 1, 1).</param>
    /// <param name="totalMassKg">Target total body mass; null keeps the mass each body gets from its volume change.</param>
    public static MusculoskeletalModel Scale(MusculoskeletalModel model, IReadOnlyDictionary<string, Vec3> lengthFactors, double? totalMassKg)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(lengthFactors);
        foreach ((string name, Vec3 f) in lengthFactors)
        {
            if (!model.TryGetBodyIndex(name, out _))
            {
                throw new ArgumentException($"Model '{model.Name}' has no body '{name}' to scale.", nameof(lengthFactors));
            }
            if (!(f.X > 0) || !(f.Y > 0) || !(f.Z > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(lengthFactors), $"Length factors of '{name}' must be positive, got {f}.");
            }
        }
        if (totalMassKg is double target && !(target > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(totalMassKg), target, "The target body mass must be positive.");
        }

        Vec3[] factor = model.Bodies.Select(b => b.IsGround ? new Vec3(1, 1, 1) : lengthFactors.GetValueOrDefault(b.Name, new Vec3(1, 1, 1))).ToArray();
        double[] volumeMass = model.Bodies.Select((b, i) => b.MassKg * factor[i].X * factor[i].Y * factor[i].Z).ToArray();
        double massScale = totalMassKg is double m ? m / volumeMass.Sum() : 1.0;

        var bodies = new List<Body>(model.Bodies.Count);
        foreach (Body b in model.Bodies)
        {
            Vec3 s = factor[b.Index];
            double mass = volumeMass[b.Index] * massScale;
            bodies.Add(b with
            {
                MassKg = mass,
                MassCenterM = Mul(s, b.MassCenterM),
                InertiaKgM2 = b.MassKg > 0 ? ScaleInertia(b.InertiaKgM2, s, mass / b.MassKg) : b.InertiaKgM2,
            });
        }

        var joints = model.Joints.Select(j => j with
        {
            ParentOffset = j.ParentOffset with { TranslationM = Mul(factor[j.ParentBodyIndex], j.ParentOffset.TranslationM) },
            ChildOffset = j.ChildOffset with { TranslationM = Mul(factor[j.ChildBodyIndex], j.ChildOffset.TranslationM) },
            Axes = j.Axes.Select(a => ScaleAxis(a, j, factor[j.ParentBodyIndex])).ToList(),
        }).ToList();

        var muscles = model.Muscles.Select(mu =>
        {
            double lengthScale = mu.PathPoints.Select(p => MeanFactor(factor[p.BodyIndex])).Max();
            return mu with
            {
                OptimalFiberLengthM = mu.OptimalFiberLengthM * lengthScale,
                TendonSlackLengthM = mu.TendonSlackLengthM * lengthScale,
                PathPoints = mu.PathPoints.Select(p => ScalePoint(p, factor[p.BodyIndex])).ToList(),
            };
        }).ToList();

        return new MusculoskeletalModel(model.Name, bodies, joints, model.Coordinates, muscles, model.GravityMps2, model.Warnings, model.SourcePath);
    }

    /// <summary>The same factor on all three axes of every body named (a uniformly scaled subject).</summary>
    public static MusculoskeletalModel ScaleUniform(MusculoskeletalModel model, double lengthFactor, double totalMassKg)
    {
        ArgumentNullException.ThrowIfNull(model);
        var factors = model.Bodies.Where(b => !b.IsGround).ToDictionary(b => b.Name, _ => new Vec3(lengthFactor, lengthFactor, lengthFactor), StringComparer.Ordinal);
        return Scale(model, factors, totalMassKg);
    }

    private static Vec3 Mul(Vec3 s, Vec3 v) => new(s.X * v.X, s.Y * v.Y, s.Z * v.Z);

    private static double MeanFactor(Vec3 s) => (s.X + s.Y + s.Z) / 3.0;

    /// <summary>
    /// I = tr(J)·1 − J with J = Σ m r rᵀ the second moments about the COM; stretching the body by S maps J to S·J·S,
    /// and the new mass scales it by m'/m.
    /// </summary>
    private static Mat33 ScaleInertia(Mat33 inertia, Vec3 s, double massRatio)
    {
        double half = 0.5 * (inertia.M11 + inertia.M22 + inertia.M33);
        Mat33 j = (half * Mat33.Identity) - inertia;
        var sm = new Mat33(s.X, 0, 0, 0, s.Y, 0, 0, 0, s.Z);
        Mat33 scaled = massRatio * (sm * j * sm);
        double trace = scaled.M11 + scaled.M22 + scaled.M33;
        return (trace * Mat33.Identity) - scaled;
    }

    /// <summary>
    /// A coordinate-driven translation (the knee's, expressed in the parent offset frame) scales with the parent body
    /// along its axis; the free joint's own translations (pelvis_tx …) are the subject's position and stay as they are.
    /// </summary>
    private static TransformAxis ScaleAxis(TransformAxis axis, Joint joint, Vec3 parentFactor)
    {
        if (axis.IsRotation || joint.ParentBodyIndex == 0)
        {
            return axis;
        }
        Vec3 u = joint.ParentOffset.Rotation * axis.UnitAxis;
        double f = Math.Sqrt((u.X * u.X * parentFactor.X * parentFactor.X) + (u.Y * u.Y * parentFactor.Y * parentFactor.Y) + (u.Z * u.Z * parentFactor.Z * parentFactor.Z));
        return Math.Abs(f - 1) < 1e-15 ? axis : axis with { Function = new MultiplierFunction(axis.Function, f) };
    }

    private static PathPoint ScalePoint(PathPoint p, Vec3 s) => p switch
    {
        MovingPathPoint mp => new MovingPathPoint(mp.Name, mp.BodyIndex, mp.BodyName,
            new MultiplierFunction(mp.XFunction, s.X), new MultiplierFunction(mp.YFunction, s.Y), new MultiplierFunction(mp.ZFunction, s.Z),
            mp.XCoordinateIndex, mp.YCoordinateIndex, mp.ZCoordinateIndex),
        ConditionalPathPoint cp => new ConditionalPathPoint(cp.Name, cp.BodyIndex, cp.BodyName, Mul(s, cp.LocationM), cp.CoordinateName, cp.CoordinateIndex, cp.RangeMin, cp.RangeMax),
        _ => new PathPoint(p.Name, p.BodyIndex, p.BodyName, Mul(s, p.LocationM)),
    };
}
